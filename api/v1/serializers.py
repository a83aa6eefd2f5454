"""Output shapes of v1, for the OpenAPI document. Snapshots are served as stored, not
serialised through these; they describe what a client receives.

The product is the published payload: `catalog.payload` builds the snapshots from the same
serializers, so the document and the JSON cannot drift apart.
"""
from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from catalog.payload import ProductSerializer, VariantSerializer


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


class TombstoneSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["tombstone"])
    style_code = serializers.CharField()
    deleted = serializers.ChoiceField(choices=[True], help_text="Always true: delete this product.")
    version = serializers.IntegerField()


class ProductPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page, or null at the end.")
    watermark = serializers.RegexField(
        r"^[0-9]+\.[0-9]+$",
        help_text="Where this page leaves the feed, also in the X-PIM-Watermark header. Keep "
        "the one of a pull's last page and send it back as updated_since: the next delta lists "
        "every change committed since, even one whose transaction was open during this pull.",
    )
    results = PolymorphicProxySerializer(
        component_name="ProductOrTombstone",
        serializers={"product": ProductSerializer, "tombstone": TombstoneSerializer},
        resource_type_field_name="kind",
        many=True,
        help_text="Products; tombstones of products removed since the pull's start (with "
        "updated_since: since then).",
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


__all__ = [
    "BadRequestSerializer",
    "CategoryListSerializer",
    "ErrorSerializer",
    "GtinMatchSerializer",
    "ProductPageSerializer",
    "ProductSerializer",
    "ThrottledSerializer",
]
