"""Indexes that answer the product search (catalog.search) on PostgreSQL.

Pattern-ops B-trees serve the prefix matches on style code and SKU whatever the database's
collation; trigram GIN indexes serve the word matches (ILIKE '%word%') in names and
descriptions. SQLite has neither and scans, which is fine at its scale.
"""
from django.conf import settings
from django.db import migrations

LOCALES = [code.replace("-", "_") for code, _ in settings.LANGUAGES]
# Style codes are capitals only; SKUs are matched in any case.
PREFIX = [("catalog_product", "style_code", "style_code"),
          ("catalog_variant", "sku", "UPPER(sku)")]
WORDS = [f"{name}_{locale}" for name in ("name", "description") for locale in LOCALES]


def statements():
    yield "CREATE EXTENSION IF NOT EXISTS pg_trgm", None
    for table, column, expression in PREFIX:
        index = f"{table.removeprefix('catalog_')}_{column}_prefix"
        yield (f"CREATE INDEX IF NOT EXISTS {index} ON {table} (({expression}) text_pattern_ops)",
               f"DROP INDEX IF EXISTS {index}")
    for column in WORDS:
        index = f"product_{column}_trgm"
        yield (f"CREATE INDEX IF NOT EXISTS {index} ON catalog_product "
               f"USING gin ({column} gin_trgm_ops)", f"DROP INDEX IF EXISTS {index}")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for forward, _ in statements():
            schema_editor.execute(forward)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for _, backward in statements():
            if backward:
                schema_editor.execute(backward)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0014_social_image_history_text_fields")]

    operations = [migrations.RunPython(create, drop)]
