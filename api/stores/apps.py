from django.apps import AppConfig


class StoreApiConfig(AppConfig):
    name = "api.stores"
    label = "store_api"
    verbose_name = "Partner systems and store screens"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import schema  # noqa: F401  (registers the partner token scheme)
