"""The project's URLs plus the media files, which DEBUG=False leaves to the web server."""
from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from pim.urls import urlpatterns as project


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", media), *project]
