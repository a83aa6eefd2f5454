"""Output shapes of v1, for the OpenAPI document. Snapshots are served as stored, not
serialised through these; they describe what a client receives."""
from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")
    code = serializers.CharField(help_text="A machine-readable code, e.g. invalid_page_size.")


class BadRequestSerializer(ErrorSerializer):
    valid_locales = serializers.ListField(
        child=serializers.CharField(), required=False,
        help_text="With code invalid_locale: the channel's locales.",
    )


class ThrottledSerializer(ErrorSerializer):
    retry_after = serializers.IntegerField(help_text="Seconds to wait, as in Retry-After.")


class VariantSerializer(serializers.Serializer):
    size = serializers.CharField()
    sku = serializers.CharField()
    gtin = serializers.CharField()


class PhotoSerializer(serializers.Serializer):
    role = serializers.CharField()
    alt = serializers.CharField(allow_blank=True)
    renditions = serializers.DictField(
        child=serializers.CharField(), help_text="Rendition spec → URL, the channel's specs only."
    )


class ColourSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    photos = PhotoSerializer(many=True)
    variants = VariantSerializer(many=True)


class CategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    path = serializers.ListField(child=serializers.CharField(), help_text="Names, root first.")


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CompositionLineSerializer(serializers.Serializer):
    part = serializers.CharField(help_text="shell, lining, trim…")
    fibre = serializers.CharField()
    percentage = serializers.FloatField()


class FitSerializer(serializers.Serializer):
    type = serializers.CharField(allow_null=True)
    description = serializers.CharField(allow_blank=True)
    model_height_cm = serializers.IntegerField(allow_null=True)
    model_size = serializers.CharField(allow_null=True)


class SizeChartSerializer(serializers.Serializer):
    basis = serializers.CharField(help_text="body or garment measurements")
    advice = serializers.CharField(allow_blank=True)
    rows = serializers.ListField(
        child=serializers.DictField(),
        help_text="Per size: size, the label in each size system (eu, it, fr, uk, us, jp) "
        "and measurements_cm.",
    )


class CareSerializer(serializers.Serializer):
    symbols = serializers.DictField(
        child=serializers.CharField(allow_null=True),
        help_text="ISO 3758 group → symbol: washing, bleaching, drying, ironing, professional.",
    )
    text = serializers.CharField(allow_blank=True)


class ReturnsSerializer(serializers.Serializer):
    returnable = serializers.BooleanField()
    days = serializers.IntegerField(allow_null=True)
    free = serializers.BooleanField()
    conditions = serializers.CharField(allow_blank=True)


class ShippingSerializer(serializers.Serializer):
    country = serializers.CharField()
    cost = serializers.CharField(help_text="A decimal, as a string.")
    currency = serializers.CharField()
    min_days = serializers.IntegerField()
    max_days = serializers.IntegerField()


class VideoSerializer(serializers.Serializer):
    url = serializers.CharField()
    mime_type = serializers.CharField()
    poster = serializers.DictField()


class SocialImageSerializer(serializers.Serializer):
    ratio = serializers.CharField(help_text="1:1, 4:5 or 9:16")
    alt = serializers.CharField(allow_blank=True)
    renditions = serializers.DictField(child=serializers.CharField())


class RatingsSerializer(serializers.Serializer):
    average = serializers.FloatField()
    count = serializers.IntegerField()


class ProductSerializer(serializers.Serializer):
    """The published snapshot of a product in one locale (DOMAIN section 7)."""

    style_code = serializers.CharField()
    version = serializers.IntegerField(help_text="Goes up at each approval.")
    published_at = serializers.DateTimeField()
    name = serializers.CharField()
    brand = CodeNameSerializer()
    season = CodeNameSerializer()
    category = CategoryRefSerializer()
    colours = ColourSerializer(many=True)
    composition = CompositionLineSerializer(many=True)
    material_text = serializers.CharField(allow_blank=True)
    fit = FitSerializer()
    size_chart = SizeChartSerializer()
    description_html = serializers.CharField(allow_blank=True, help_text="Sanitised HTML.")
    care = CareSerializer()
    returns = ReturnsSerializer()
    shipping = ShippingSerializer(many=True)
    video = VideoSerializer(allow_null=True)
    social_images = SocialImageSerializer(many=True)
    ratings = RatingsSerializer(allow_null=True)


class TombstoneSerializer(serializers.Serializer):
    style_code = serializers.CharField()
    deleted = serializers.BooleanField(help_text="Always true: delete this product.")
    version = serializers.IntegerField()


class ProductPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page, or null at the end.")
    results = PolymorphicProxySerializer(
        component_name="ProductOrTombstone",
        serializers=[ProductSerializer, TombstoneSerializer],
        resource_type_field_name=None,
        many=True,
        help_text="Products; with updated_since, also tombstones of removed products.",
    )


class ScannedVariantSerializer(VariantSerializer):
    colour_code = serializers.CharField()
    colour = serializers.CharField(help_text="The colour's name in the locale.")


class GtinMatchSerializer(serializers.Serializer):
    gtin = serializers.CharField(help_text="The scanned GTIN, as 14 digits.")
    variant = ScannedVariantSerializer(help_text="The scanned variant, with its colour.")
    product = ProductSerializer()


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField(help_text="In the requested locale (the source where untranslated).")
    parent = serializers.IntegerField(allow_null=True)
    depth = serializers.IntegerField(help_text="1 for a department.")
    path = serializers.ListField(child=serializers.CharField(), help_text="Names, root first.")


class CategoryListSerializer(serializers.Serializer):
    locale = serializers.CharField()
    results = CategorySerializer(many=True)
