"""What the benchmark scripts share: the repository on the path and Django on a bench database."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))


def setup_django(db: Path) -> None:
    """Django on the SQLite file `db`, with Celery tasks run in process."""
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pim.settings.local")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    import django

    django.setup()


class QueryCounter:
    """A database execute wrapper that counts queries without keeping them (bounded memory)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def reset(self) -> int:
        count, self.count = self.count, 0
        return count
