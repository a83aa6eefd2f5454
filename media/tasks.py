"""Celery tasks: thin, idempotent wrappers around the media services."""
from celery import shared_task

from media.models import Asset


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def renditions_generate_task(asset_id: int, specs: list[str]) -> list[str]:
    from media.services import renditions_generate

    asset = Asset.objects.filter(pk=asset_id).first()
    if asset is None:  # deleted since it was queued
        return []
    return sorted(renditions_generate(asset=asset, specs=specs))

