"""Fashion PIM's admin theme (pim.theme), the active one on a fresh database.

Other themes are kept, inactive; admins switch or edit them in Admin interface > Themes.
"""
from django.db import migrations

from pim.theme import FASHION_PIM


def theme_create(apps, schema_editor):
    Theme = apps.get_model("admin_interface", "Theme")
    Theme.objects.update(active=False)
    Theme.objects.update_or_create(name=FASHION_PIM["name"],
                                   defaults={**FASHION_PIM, "active": True})


def theme_delete(apps, schema_editor):
    Theme = apps.get_model("admin_interface", "Theme")
    Theme.objects.filter(name=FASHION_PIM["name"]).delete()


class Migration(migrations.Migration):
    dependencies = [("admin_interface", "0032_alter_theme_defaults")]

    operations = [migrations.RunPython(theme_create, theme_delete)]
