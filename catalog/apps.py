from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalog"

    def ready(self):
        from catalog.completeness import signals

        signals.connect()
        # Background job runners register themselves when their service module loads.
        from catalog.services import bulk, imports  # noqa: F401
