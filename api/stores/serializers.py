"""Input and output shapes of the partner endpoints and the availability read."""
from rest_framework import serializers

from catalog.stores.services import MAX_LINES


class RatingsInputSerializer(serializers.Serializer):
    average = serializers.DecimalField(
        max_digits=3, decimal_places=2, min_value=0, max_value=5, allow_null=True,
        coerce_to_string=False, help_text="0 to 5, at most two decimals; null with a count of 0.",
    )
    count = serializers.IntegerField(min_value=0, max_value=2_147_483_647,
                                     help_text="How many ratings; 0 clears them.")


class RatingsWrittenSerializer(serializers.Serializer):
    style_code = serializers.CharField()
    average = serializers.FloatField(allow_null=True)
    count = serializers.IntegerField()


class StockLineSerializer(serializers.Serializer):
    """Documents a line; lines are checked one by one by the stock service, so that a bad
    line is reported by its index while the others apply."""

    gtin = serializers.CharField(required=False, help_text="EAN-13, UPC-A, GTIN-8 or GTIN-14.")
    sku = serializers.CharField(required=False, max_length=40, help_text="Instead of the GTIN.")
    quantity = serializers.IntegerField(min_value=0)
    as_of = serializers.DateTimeField(help_text="When the store system counted, with offset.")
    store = serializers.CharField(required=False, help_text="Optional; must be the path's store.")


class StockBatchInputSerializer(serializers.Serializer):
    # Each line is checked by the stock service, which reports a bad one by its index.
    lines = serializers.ListField(min_length=1, max_length=MAX_LINES)


class StockBatchDocSerializer(serializers.Serializer):
    lines = StockLineSerializer(many=True, help_text=f"1 to {MAX_LINES} lines.")


class LineErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The line's position in `lines`, from 0.")
    field = serializers.CharField(allow_null=True)
    code = serializers.ChoiceField(choices=[
        "invalid", "invalid_gtin", "invalid_as_of", "unknown_gtin", "unknown_sku",
        "negative_quantity", "other_store"])
    message = serializers.CharField()


class StockWrittenSerializer(serializers.Serializer):
    store = serializers.CharField()
    received = serializers.IntegerField()
    applied = serializers.IntegerField(help_text="Lines written (new or changed counts).")
    unchanged = serializers.IntegerField(help_text="Lines equal to what was stored.")
    ignored = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Indexes of lines older than the stored count (or than a later line of the "
        "same variant in this batch): not written.")
    errors = LineErrorSerializer(many=True, help_text="Refused lines; empty on 200.")


class StockRefusedSerializer(StockWrittenSerializer):
    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=["bad_lines"])


class InvalidSerializer(serializers.Serializer):
    """A body that is not a batch (or not JSON): nothing applied."""

    detail = serializers.CharField()
    code = serializers.CharField(help_text="invalid, or parse_error for broken JSON")
    errors = serializers.DictField(required=False, help_text="Messages by field.")


class StoreStockSerializer(serializers.Serializer):
    store = serializers.CharField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    as_of = serializers.DateTimeField()


class VariantAvailabilitySerializer(serializers.Serializer):
    sku = serializers.CharField()
    gtin = serializers.CharField()
    size = serializers.CharField()
    colour_code = serializers.CharField()
    stores = StoreStockSerializer(many=True, help_text="Stores holding a count, by code.")
    quantity_here = serializers.IntegerField(required=False, help_text="With `store` only.")
    status = serializers.ChoiceField(
        choices=["here", "market", "none"], required=False,
        help_text="With `store` only: in stock there, only elsewhere in its market, or neither.")


class AvailabilitySerializer(serializers.Serializer):
    style_code = serializers.CharField()
    store = serializers.CharField(allow_null=True)
    variants = VariantAvailabilitySerializer(many=True)
