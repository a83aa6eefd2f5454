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
