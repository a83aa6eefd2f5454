"""The database connection as the settings configure it."""
import pytest
from django.db import connection


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own settings")
@pytest.mark.django_db
def test_sqlite_connections_sync_at_checkpoints_and_keep_a_large_page_cache():
    with connection.cursor() as cursor:
        pragmas = {name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
                   for name in ("synchronous", "cache_size")}
    assert pragmas == {"synchronous": 1, "cache_size": -65536}  # 1 is NORMAL; -KiB
