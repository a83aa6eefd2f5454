"""Celery tasks of the catalog: thin, idempotent wrappers around its services."""
from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def completeness_recompute_task(product_ids: list[int]) -> int:
    from catalog.services.completeness import completeness_recompute

    return completeness_recompute(product_ids=product_ids).products


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def completeness_recompute_scope_task(channel_ids: list[int] | None = None,
                                      category_paths: list[str] | None = None,
                                      brand_id: int | None = None) -> int:
    from catalog.services.completeness import completeness_recompute_scope

    return completeness_recompute_scope(
        channel_ids=channel_ids, category_paths=category_paths, brand_id=brand_id
    ).products


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def renditions_ensure_for_product_task(product_id: int, specs: list[str] | None = None) -> int:
    """The renditions a product needs for ``specs`` (default: every channel's)."""
    from catalog.models import Product
    from catalog.services.renditions import renditions_ensure_for_product

    product = Product.objects.filter(pk=product_id).first()
    if product is None:  # deleted since it was queued
        return 0
    return len(renditions_ensure_for_product(product=product, specs=specs))


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def renditions_for_channel_task(channel_id: int) -> int:
    """Every rendition a channel's specs ask for, for every product with media."""
    from catalog.models import Channel
    from catalog.services.renditions import renditions_ensure_for_channel

    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is None:
        return 0
    return renditions_ensure_for_channel(channel=channel)


@shared_task(acks_late=True)
def job_run_task(job_id: int) -> str | None:
    """Run a background job (an import...); a job already run is not run again."""
    from catalog.services.jobs import job_run

    job = job_run(job_id=job_id)
    return job.status if job else None
