"""Completeness rows are derived data: invalidate them when what they derive from changes.

Each receiver only names the products (or the rule scope) to recompute; the recompute runs
once per transaction, after it commits (see ``completeness_schedule``).
"""
from django.db.models.signals import post_delete, post_save, pre_delete

from catalog.models import (
    Category,
    Channel,
    Colour,
    CompositionLine,
    ContentProfile,
    Product,
    ProductPhoto,
    ProductVideo,
    ShippingRate,
    SizeChartRow,
    SocialImage,
    Variant,
)
from catalog.services.completeness import (
    completeness_schedule,
    completeness_schedule_scope,
    completeness_tally_forget,
)
from catalog.services.renditions import renditions_queue_for_channel


# Saves that touch only these fields change nothing completeness looks at.
_WORKFLOW_FIELDS = frozenset({"status", "updated_at", "version"})


def _product_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields and set(update_fields) <= _WORKFLOW_FIELDS:
        return
    completeness_schedule(product_ids=[instance.pk])


def _product_deleted(sender, instance, **kwargs):
    # Its completeness rows go with it (cascade): their counts leave the tally first.
    completeness_tally_forget(product_ids=[instance.pk])


def _product_part_changed(sender, instance, **kwargs):
    completeness_schedule(product_ids=[instance.product_id])


def _colour_part_changed(sender, instance, **kwargs):
    if sender.colour.is_cached(instance):
        product_id = instance.colour.product_id
    else:
        product_id = (Colour.objects.filter(pk=instance.colour_id)
                      .values_list("product_id", flat=True).first())
    completeness_schedule(product_ids=[product_id])


def _shipping_rate_changed(sender, instance, **kwargs):
    if instance.product_id:
        completeness_schedule(product_ids=[instance.product_id])
    elif instance.category_id:
        path = Category.objects.filter(pk=instance.category_id).values_list("path", flat=True)
        completeness_schedule_scope(category_paths=list(path))
    else:
        completeness_schedule_scope(brand_id=instance.brand_id)


def _channel_changed(sender, instance, **kwargs):
    completeness_schedule_scope(channel_ids=[instance.pk])
    # Its rendition specs may have changed: what they ask for is made in the background
    # (only the missing ones), so that approving for the channel finds them.
    renditions_queue_for_channel(channel_id=instance.pk)


def _profile_changed(sender, instance, **kwargs):
    paths = list(Category.objects.filter(content_profile=instance).values_list("path", flat=True))
    if paths:
        completeness_schedule_scope(category_paths=paths)


def _category_changed(sender, instance, created=False, **kwargs):
    if not created:
        completeness_schedule_scope(category_paths=[instance.path])


def connect() -> None:
    post_save.connect(_product_changed, sender=Product, dispatch_uid="completeness_product")
    pre_delete.connect(_product_deleted, sender=Product, dispatch_uid="completeness_tally")
    for model in (Colour, SizeChartRow, CompositionLine, ProductVideo, SocialImage):
        for signal in (post_save, post_delete):
            signal.connect(_product_part_changed, sender=model,
                           dispatch_uid=f"completeness_{model.__name__}_{id(signal)}")
    for model in (Variant, ProductPhoto):
        for signal in (post_save, post_delete):
            signal.connect(_colour_part_changed, sender=model,
                           dispatch_uid=f"completeness_{model.__name__}_{id(signal)}")
    for signal in (post_save, post_delete):
        signal.connect(_shipping_rate_changed, sender=ShippingRate,
                       dispatch_uid=f"completeness_shipping_{id(signal)}")
    post_save.connect(_channel_changed, sender=Channel, dispatch_uid="completeness_channel")
    post_save.connect(_profile_changed, sender=ContentProfile, dispatch_uid="completeness_profile")
    post_save.connect(_category_changed, sender=Category, dispatch_uid="completeness_category")
