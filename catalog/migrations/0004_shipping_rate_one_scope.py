"""A shipping rate belongs to one scope: category and product overrides carry no brand.

The constraints come back in the next migration: on PostgreSQL a table cannot be altered in
the transaction that updated its foreign keys.
"""
import django.db.models.deletion
from django.db import migrations, models


def clear_override_brands(apps, schema_editor):
    ShippingRate = apps.get_model("catalog", "ShippingRate")
    ShippingRate.objects.exclude(category=None, product=None).update(brand=None)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0003_roles'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='shippingrate',
            name='shipping_rate_one_scope',
        ),
        migrations.RemoveConstraint(
            model_name='shippingrate',
            name='shipping_rate_unique_brand_default',
        ),
        migrations.AlterField(
            model_name='shippingrate',
            name='brand',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='shipping_rates', to='catalog.brand'),
        ),
        migrations.RunPython(clear_override_brands, migrations.RunPython.noop),
    ]
