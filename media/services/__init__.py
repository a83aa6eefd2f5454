"""Media write operations: one path for the admin, the commands, the API and the tasks."""
from .assets import asset_ingest, file_sha256, originals_make_private, stored_files_rollback
from .renditions import renditions_generate, specs_canonical, video_clean_copy

__all__ = [
    "asset_ingest",
    "file_sha256",
    "originals_make_private",
    "renditions_generate",
    "specs_canonical",
    "stored_files_rollback",
    "video_clean_copy",
]
