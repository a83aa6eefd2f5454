"""Cleanup only: remove stored files when their rows are deleted."""
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from media.models import Asset, Rendition


def _delete_file_on_commit(field_file) -> None:
    name, storage = field_file.name, field_file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@receiver(post_delete, sender=Asset)
def asset_file_delete(sender, instance, **kwargs):
    _delete_file_on_commit(instance.file)


@receiver(post_delete, sender=Rendition)
def rendition_file_delete(sender, instance, **kwargs):
    _delete_file_on_commit(instance.file)
