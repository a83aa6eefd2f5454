"""Content managers see the translator's list, to export and import translators' files."""
from django.contrib.auth.management import create_permissions
from django.db import migrations


def update_roles(apps, schema_editor):
    # Permissions are normally made after the last migration; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    from catalog.services.roles import roles_setup

    roles_setup(Group=apps.get_model("auth", "Group"),
                Permission=apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0015_product_search_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
