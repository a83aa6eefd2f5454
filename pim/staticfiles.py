"""jQuery UI's script for the admin's translation tabs, from the XStatic package.

Only the script is served: the admin needs nothing else of jQuery UI, and its stylesheets carry
a ThemeRoller link with ``url(%22images%2F...%22)`` in a comment, which the manifest storage of
the production settings cannot resolve.
"""
from pathlib import Path

import xstatic.pkg.jquery_ui
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PREFIX = "jquery-ui"
SCRIPT = "jquery-ui.min.js"


class JQueryUIFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=xstatic.pkg.jquery_ui.BASE_DIR)
        self.storage.prefix = PREFIX

    def find(self, path, find_all=False, **kwargs):
        if path != f"{PREFIX}/{SCRIPT}":
            return []
        found = str(Path(self.storage.location) / SCRIPT)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        yield SCRIPT, self.storage
