"""Create the role groups (merchandiser, content manager, translator) with their permissions.

Permissions are normally created after all migrations have run; they are created here first
so that the groups can hold them. `manage.py setup_roles` re-applies the same definitions.
"""
from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    from catalog.services.roles import roles_setup

    roles_setup(Group=apps.get_model("auth", "Group"),
                Permission=apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalog", "0002_workflow_completeness_translations"),
        ("media", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
