"""Where originals live: ``STORAGES["originals"]``, a storage never served to the public.

Originals keep what the camera wrote (GPS, titles, locations); channels get renditions, which
live in the default (public) storage. Locally the originals folder is outside MEDIA_ROOT; on
S3 they are private objects under their own key prefix, reached through signed URLs only.
"""
from django.core.files.storage import storages
from django.utils.functional import LazyObject


class OriginalsStorage(LazyObject):
    """``storages["originals"]``, looked up at each use (so a settings change reaches it, as it
    does ``default_storage``): a field's storage is otherwise fixed when models load."""

    def _setup(self):
        self._wrapped = storages["originals"]

    def __getattr__(self, name):
        return getattr(storages["originals"], name)


originals_storage = OriginalsStorage()


def get_originals_storage():
    return originals_storage
