"""Roles (DOMAIN section 1) as groups of permissions, kept as data.

`roles_setup` creates or updates the three groups so that each holds exactly the permissions
listed here. It takes the Group and Permission models as arguments so that the data migration
can pass its historical models; `manage.py setup_roles` passes the real ones.
"""
from __future__ import annotations

MERCHANDISER = "merchandiser"
CONTENT_MANAGER = "content manager"
TRANSLATOR = "translator"

CRUD = ("add", "change", "delete", "view")

# Merchandisers keep the taxonomy, create and edit products and their media, and submit.
_MERCHANDISER = [
    *(f"catalog.{a}_{m}" for m in ("product", "colour", "variant", "compositionline",
                                    "sizechartrow", "shippingrate", "category")
      for a in CRUD),
    *(f"catalog.{a}_{m}" for m in ("brand", "season", "returnspolicy", "contentprofile")
      for a in ("add", "change", "view")),
    "catalog.view_channel",
    "catalog.view_productcompleteness",
    "catalog.view_producttransition",
    "catalog.submit_product",
    *(f"catalog.{a}_{m}" for m in ("productphoto", "productvideo", "socialimage")
      for a in CRUD),
    *(f"media.{a}_asset" for a in CRUD),
    "media.view_rendition",
]

# Content managers review, approve or reject, publish and unpublish, and manage channels
# and their API tokens. They see the whole catalog but do not edit its content.
_CONTENT_MANAGER = [
    *(f"catalog.view_{m}" for m in ("product", "colour", "variant", "compositionline",
                                     "sizechartrow", "shippingrate", "category", "brand",
                                     "season", "returnspolicy", "contentprofile",
                                     "productcompleteness", "producttransition",
                                     "productsnapshot", "translatorassignment",
                                     # the translator's list: to export and import files
                                     # for an agency on behalf of a translator
                                     "producttranslation")),
    *(f"catalog.{a}_channel" for a in CRUD),
    "catalog.approve_product",
    "catalog.reject_product",
    "catalog.archive_product",
    "catalog.unpublish_product",
    *(f"catalog.view_{m}" for m in ("productphoto", "productvideo", "socialimage")),
    "media.view_asset",
    "media.view_rendition",
    *(f"api.{a}_channeltoken" for a in CRUD),
    "api.view_webhookevent",
    "api.view_webhookdelivery",
]

# Translators work in the translation admin only, in the locales assigned to them.
_TRANSLATOR = [
    "catalog.view_producttranslation",
    "catalog.change_producttranslation",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    MERCHANDISER: _MERCHANDISER,
    CONTENT_MANAGER: _CONTENT_MANAGER,
    TRANSLATOR: _TRANSLATOR,
}


def roles_setup(*, Group=None, Permission=None) -> dict[str, list[str]]:
    """Create or update the role groups; returns, per group, the permissions not found
    (an app whose tables do not exist yet). Idempotent: a second run changes nothing."""
    if Group is None or Permission is None:
        from django.contrib.auth.models import Group, Permission  # noqa: N806
    wanted = {name for names in ROLE_PERMISSIONS.values() for name in names}
    found = {
        f"{app}.{codename}": pk
        for pk, app, codename in Permission.objects.filter(
            content_type__app_label__in={n.split(".")[0] for n in wanted},
            codename__in={n.split(".")[1] for n in wanted},
        ).values_list("pk", "content_type__app_label", "codename")
    }
    missing: dict[str, list[str]] = {}
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([found[n] for n in names if n in found])
        missing[role] = [n for n in names if n not in found]
    return missing
