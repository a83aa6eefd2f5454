"""Media write operations: one path for the admin, the commands, the API and the tasks."""
from .assets import asset_ingest, file_sha256, stored_files_rollback
from .renditions import renditions_generate, specs_canonical

__all__ = [
    "asset_ingest",
    "file_sha256",
    "renditions_generate",
    "specs_canonical",
    "stored_files_rollback",
]
