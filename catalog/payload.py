"""The published payload, the API's contract (DOMAIN section 7), defined once.

These DRF output serializers both build the frozen JSON of a snapshot (`snapshot_payload`,
from a product loaded by `catalog.services.publishing.product_for_publishing`) and document
it: `api.v1.serializers` re-exports `ProductSerializer` for the OpenAPI schema. The context
carries the channel, the locale, the version and the publication time.
"""
from __future__ import annotations

import threading
from datetime import datetime
from decimal import Decimal

from modeltranslation.utils import build_localized_fieldname
from rest_framework import serializers
from rest_framework.fields import SkipField

from drf_spectacular.utils import extend_schema_field

from catalog.models import Channel, Product, SizeChartRow
from catalog.models.choices import (
    CareBleaching,
    CareDrying,
    CareIroning,
    CareProfessional,
    CareWashing,
    CompositionPart,
    Currency,
    Fibre,
    FitType,
    SizeChartBasis,
)
from catalog.models.media import PhotoRole, SocialRatio
from catalog.services.renditions import social_crop_specs
from media.models import VIDEO_CLEAN_SPEC
from media.renditions.specs import canonical_spec
from media.selectors import media_reference

SOURCE_LOCALE = "en"


def _text(obj, field: str, locale: str) -> str:
    """The field in `locale`, or the English source where it has no translation yet."""
    value = getattr(obj, build_localized_fieldname(field, locale), None)
    if value in (None, ""):
        value = getattr(obj, build_localized_fieldname(field, SOURCE_LOCALE), None)
    return value or ""


class LocalizedText(serializers.CharField):
    """A translated field of the object in the context's locale (the English where missing)."""

    def __init__(self, field: str, **kwargs):
        self.text_field = field
        super().__init__(allow_blank=True, **kwargs)

    def get_attribute(self, instance):
        return instance  # the text is chosen by locale, from the whole object

    def to_representation(self, obj):
        return _text(obj, self.text_field, self.context["locale"])


class Number(serializers.FloatField):
    """A decimal as a JSON number: an integer when it has no fraction (100, not 100.0)."""

    def to_representation(self, value: Decimal):
        return int(value) if value == value.to_integral_value() else float(value)


class OptionalText(serializers.CharField):
    """A short text left blank is published as null."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


class OptionalChoice(serializers.ChoiceField):
    """A choice left blank is published as null; documented as its enum or null."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices=choices, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


class FromContext:
    """A value of the context (the version, the publication time), not of the product."""

    def get_attribute(self, instance):
        return self.context[self.field_name]


class Version(FromContext, serializers.IntegerField):
    pass


class PublishedAt(FromContext, serializers.DateTimeField):
    def to_representation(self, value: datetime):
        return value.isoformat()


class PayloadSerializer(serializers.Serializer):
    """A part of the payload whose fields named in `once_per` depend on the object alone
    ("object"), on it and the locale ("locale", not the channel) or on it and the channel
    ("channel", not the locale): within one batch (a `memo` dict in the context) each is
    rendered once and reused by the product's other payloads, 11 for the demo's channels."""

    once_per: dict[str, str] = {}

    def to_representation(self, instance):
        memo = self.context.get("memo")
        if memo is None or not self.once_per:
            return super().to_representation(instance)
        ret = {}
        for field in self._readable_fields:
            scope = self.once_per.get(field.field_name)
            if scope is None:
                key = None
            else:
                key = (type(self), field.field_name, type(instance), instance.pk,
                       self.context["channel"].pk if scope == "channel"
                       else self.context["locale"] if scope == "locale" else None)
                if key in memo:
                    ret[field.field_name] = memo[key]
                    continue
            try:  # as DRF's Serializer.to_representation
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            ret[field.field_name] = (None if attribute is None
                                     else field.to_representation(attribute))
            if key is not None:
                memo[key] = ret[field.field_name]
        return ret


class RenditionSerializer(serializers.Serializer):
    """One rendition as a channel fetches it. Snapshots store the file's storage name; the API
    makes the URL when it serves them, from the media settings then in force."""

    url = serializers.URLField(help_text="Absolute URL of the file.")
    width = serializers.IntegerField(help_text="Pixels, as rendered (a small original may "
                                     "give less than the spec asks).")
    height = serializers.IntegerField(help_text="Pixels, as rendered.")

    def to_representation(self, rendition):
        return {"url": media_reference(rendition.file.name), "width": rendition.width,
                "height": rendition.height}


_rendition = RenditionSerializer()


class Renditions(serializers.DictField):
    """An asset's renditions in the channel's specs: spec as the channel names it → file."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Rendition spec → file, the channel's specs only.")
        super().__init__(child=RenditionSerializer(), **kwargs)

    def to_representation(self, asset):
        by_spec = {r.spec: r for r in asset.renditions.all()}
        return {spec: _rendition.to_representation(by_spec[canonical_spec(spec)])
                for spec in self.context["channel"].renditions if canonical_spec(spec) in by_spec}


class SocialRenditions(Renditions):
    """The crops a channel gets of a social image, in the output formats it asks for."""

    def __init__(self, **kwargs):
        super().__init__(source="*", help_text="Crop spec → file.", **kwargs)

    def to_representation(self, image):
        crops = social_crop_specs(image, self.context["channel"].renditions)
        by_spec = {r.spec: r for r in image.asset.renditions.all()}
        return {spec: _rendition.to_representation(by_spec[spec])
                for spec in crops if spec in by_spec}


class VariantSerializer(serializers.Serializer):
    sku = serializers.CharField()
    gtin = serializers.CharField()
    size = serializers.CharField(source="size_label")


class PhotoSerializer(PayloadSerializer):
    once_per = {"renditions": "channel"}
    role = serializers.ChoiceField(choices=PhotoRole.choices)
    alt = LocalizedText("alt_text")
    renditions = Renditions(source="asset")


class ColourSerializer(PayloadSerializer):
    once_per = {"variants": "object"}
    code = serializers.CharField()
    name = LocalizedText("name")
    photos = PhotoSerializer(many=True)
    variants = VariantSerializer(many=True)


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="category_id")
    path = serializers.ListField(child=LocalizedText("name"), source="publishing_rules.ancestors",
                                 help_text="Names, root first.")


class CompositionLineSerializer(serializers.Serializer):
    part = serializers.ChoiceField(choices=CompositionPart.choices)
    fibre = serializers.ChoiceField(choices=Fibre.choices)
    percentage = Number()


class FitSerializer(serializers.Serializer):
    type = OptionalChoice(FitType.choices, source="fit_type")
    description = LocalizedText("fit_description")
    model_height_cm = serializers.IntegerField(allow_null=True)
    model_size = OptionalText()


_number = Number()


class MeasurementsSerializer(serializers.Serializer):
    """Centimetres; only the measurements the row has."""

    chest = Number(required=False)
    waist = Number(required=False)
    hips = Number(required=False)
    length = Number(required=False)
    inseam = Number(required=False)
    foot_length = Number(required=False)

    def get_attribute(self, row: SizeChartRow):
        return row

    def to_representation(self, row: SizeChartRow):
        return {name.removesuffix("_cm"): _number.to_representation(getattr(row, name))
                for name in SizeChartRow.MEASUREMENTS if getattr(row, name) is not None}


class SizeChartRowSerializer(serializers.Serializer):
    size = serializers.CharField(source="size_label")
    eu = OptionalText()
    it = OptionalText()
    fr = OptionalText()
    uk = OptionalText()
    us = OptionalText()
    jp = OptionalText()
    measurements_cm = MeasurementsSerializer()


class SizeChartSerializer(PayloadSerializer):
    once_per = {"rows": "object"}
    basis = serializers.ChoiceField(choices=SizeChartBasis.choices, source="size_chart_basis",
                                    help_text="body or garment measurements")
    advice = LocalizedText("size_advice")
    rows = SizeChartRowSerializer(many=True, source="size_chart_rows")


class CareSymbolsSerializer(serializers.Serializer):
    """ISO 3758: one symbol per group at most."""

    washing = OptionalChoice(CareWashing.choices, source="care_washing")
    bleaching = OptionalChoice(CareBleaching.choices, source="care_bleaching")
    drying = OptionalChoice(CareDrying.choices, source="care_drying")
    ironing = OptionalChoice(CareIroning.choices, source="care_ironing")
    professional = OptionalChoice(CareProfessional.choices, source="care_professional")


class CareSerializer(PayloadSerializer):
    once_per = {"symbols": "object"}
    symbols = CareSymbolsSerializer(source="*")
    text = LocalizedText("care_text")


class ReturnsSerializer(serializers.Serializer):
    returnable = serializers.BooleanField()
    days = serializers.IntegerField(allow_null=True)
    free = serializers.BooleanField()
    conditions = LocalizedText("conditions")


class ShippingSerializer(serializers.Serializer):
    country = serializers.CharField(source="country.code")
    cost = serializers.CharField(help_text="A decimal, as a string.")
    currency = serializers.ChoiceField(choices=Currency.choices)
    min_days = serializers.IntegerField()
    max_days = serializers.IntegerField()


class ChannelShipping(serializers.ListSerializer):
    """The rate that applies in each market of the channel, in the channel's order."""

    def get_attribute(self, product: Product):
        rates = product.publishing_rules.shipping
        return [rates[market] for market in self.context["channel"].markets if market in rates]


class PosterSerializer(serializers.Serializer):
    renditions = Renditions(source="*")


class VideoSerializer(serializers.Serializer):
    """The video's copy without metadata: the original (with its location) is never served."""

    url = serializers.URLField(allow_null=True, help_text="Absolute URL of the file; null "
                               "while its copy without metadata is not made yet.")
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    mime_type = serializers.CharField()
    poster = PosterSerializer()

    def to_representation(self, link):
        clean = [r for r in link.video.renditions.all() if r.spec == VIDEO_CLEAN_SPEC]
        poster = self.fields["poster"].to_representation(link.poster)
        return {
            "url": media_reference(clean[0].file.name) if clean else None,
            "width": clean[0].width if clean else None,
            "height": clean[0].height if clean else None,
            "mime_type": link.video.mime_type,
            "poster": poster,
        }


class SocialImageSerializer(PayloadSerializer):
    once_per = {"renditions": "channel"}
    ratio = serializers.ChoiceField(choices=SocialRatio.choices)
    alt = LocalizedText("alt_text")
    renditions = SocialRenditions()


class RatingsSerializer(serializers.Serializer):
    average = Number(source="rating_average")
    count = serializers.IntegerField(source="rating_count")

    def get_attribute(self, product: Product):
        return product if product.rating_average is not None else None


def ratings_payload(product: Product) -> dict | None:
    """The `ratings` of a product's payload as they stand now: live data (DOMAIN section 12)."""
    return RatingsSerializer().to_representation(product) if product.rating_average is not None \
        else None


class ProductSerializer(PayloadSerializer):
    """The published snapshot of a product in one locale (DOMAIN section 7)."""

    once_per = {"brand": "object", "season": "object", "composition": "object",
                "category": "locale", "fit": "locale", "size_chart": "locale",
                "care": "locale", "returns": "locale",
                "shipping": "channel", "video": "channel", "ratings": "object"}

    kind = serializers.SerializerMethodField(help_text="Always “product” (a feed also lists "
                                             "tombstones, of kind “tombstone”).")
    style_code = serializers.CharField()
    name = LocalizedText("name")
    brand = CodeNameSerializer()
    season = CodeNameSerializer()
    category = CategoryRefSerializer(source="*")
    colours = ColourSerializer(many=True)
    composition = CompositionLineSerializer(many=True, source="composition_lines")
    material_text = LocalizedText("material_text")
    fit = FitSerializer(source="*")
    size_chart = SizeChartSerializer(source="*")
    description_html = LocalizedText("description", help_text="Sanitised HTML.")
    care = CareSerializer(source="*")
    returns = ReturnsSerializer(source="publishing_rules.returns_policy", allow_null=True,
                                help_text="Null when no returns policy applies.")
    shipping = ChannelShipping(child=ShippingSerializer(),
                               help_text="The channel's markets that have a rate.")
    video = VideoSerializer(source="publishing_video", allow_null=True)
    social_images = SocialImageSerializer(many=True)
    ratings = RatingsSerializer(allow_null=True)
    published_at = PublishedAt()
    version = Version(help_text="Goes up at each approval that changes the content.")

    @extend_schema_field({"type": "string", "enum": ["product"]})
    def get_kind(self, product) -> str:
        return "product"


_bound = threading.local()


def snapshot_payload(product: Product, channel: Channel, locale: str, *, version: int,
                     published_at: datetime, memo: dict | None = None) -> dict:
    """The JSON a channel serves for a product in a locale, from `product_for_publishing`.

    Payloads rendered with the same `memo` (a dict, for one batch of loaded products) share
    the parts that do not depend on the locale (`PayloadSerializer.once_per`): treat them as
    read-only."""
    # Binding a serializer's field tree (DRF deep-copies every declared field) costs several
    # times the rendering, and approval renders a payload per channel and locale: each thread
    # binds one serializer and renders every payload with it, its context updated per call.
    serializer = getattr(_bound, "serializer", None)
    if serializer is None:
        serializer = _bound.serializer = ProductSerializer(context={})
    serializer.context.update(channel=channel, locale=locale, version=version,
                              published_at=published_at, memo=memo)
    return serializer.to_representation(product)
