from django.apps import AppConfig


class StoresConfig(AppConfig):
    name = "catalog.stores"
    label = "stores"
    verbose_name = "Stores"
    default_auto_field = "django.db.models.BigAutoField"
