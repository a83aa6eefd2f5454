"""A shipping rate belongs to exactly one of a brand, a category or a product."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0004_shipping_rate_one_scope'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='shippingrate',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('brand__isnull', False), ('category__isnull', True), ('product__isnull', True)), models.Q(('brand__isnull', True), ('category__isnull', False), ('product__isnull', True)), models.Q(('brand__isnull', True), ('category__isnull', True), ('product__isnull', False)), _connector='OR'), name='shipping_rate_one_scope', violation_error_message='A rate belongs to exactly one of a brand, a category or a product.'),
        ),
        migrations.AddConstraint(
            model_name='shippingrate',
            constraint=models.UniqueConstraint(condition=models.Q(('brand__isnull', False)), fields=('brand', 'country'), name='shipping_rate_unique_brand_default', violation_error_message='The brand already has a default rate for this market.'),
        ),
    ]
