import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pim.settings.production")
application = get_wsgi_application()

# What the application loaded (modules, models, admin classes, settings) lives as long as the
# process: frozen out of the collector's sight, a full collection no longer walks it. On the
# product page that walk was a sixth of the server time, paid all at once by every fifth load.
# Frozen objects are still freed by reference counting; a worker forked after this shares
# their memory pages instead of copying them when a collection would have touched them.
gc.freeze()
# A young collection every 5,000 new objects instead of 700: a page's forms and templates,
# alive while it renders, were collected as young a dozen times, moved to the old generation
# and left there as garbage for a full collection (a tenth of a second, every tenth product
# page). Fewer young collections see fewer of them alive; each is still small.
gc.set_threshold(5000, 10, 10)
