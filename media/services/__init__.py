"""Media write operations: one path for the admin, the commands, the API and the tasks."""
from .assets import asset_ingest, stored_files_rollback
from .imports import ImportReport, photos_import
from .photos import (
    default_role,
    photo_add,
    photo_remove,
    photo_reorder,
    photo_update,
    social_image_add,
    video_set,
)
from .renditions import (
    product_assets,
    renditions_ensure_for_product,
    renditions_generate,
    specs_canonical,
)

__all__ = [
    "ImportReport",
    "asset_ingest",
    "default_role",
    "photo_add",
    "photo_remove",
    "photo_reorder",
    "photo_update",
    "photos_import",
    "product_assets",
    "renditions_ensure_for_product",
    "renditions_generate",
    "social_image_add",
    "specs_canonical",
    "stored_files_rollback",
    "video_set",
]
