"""The webhooks a channel receives, for the OpenAPI document (`webhooks`, OpenAPI 3.1)."""
from drf_spectacular.utils import OpenApiResponse, OpenApiWebhook, extend_schema
from rest_framework import serializers

from catalog.signals import SNAPSHOT_EVENT_PUBLISH, SNAPSHOT_EVENT_UNPUBLISH

from .services import EVENT_HEADER, EVENT_ID_HEADER, SIGNATURE_HEADER


class WebhookEventSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text=f"The event's id, also in {EVENT_ID_HEADER}: a repeat "
                               "delivery carries the same one.")
    event = serializers.ChoiceField(choices=[SNAPSHOT_EVENT_PUBLISH, SNAPSHOT_EVENT_UNPUBLISH])
    channel = serializers.CharField(help_text="The channel's code.")
    style_code = serializers.CharField()
    version = serializers.IntegerField(help_text="The snapshot version this event announces.")
    locales = serializers.ListField(child=serializers.CharField())
    occurred_at = serializers.DateTimeField()


product_changed = OpenApiWebhook(
    name="productChanged",
    decorator=extend_schema(
        operation_id="webhook_product_changed",
        summary="A product was published or unpublished on the channel",
        description=(
            "POSTed to the channel's webhook URL (https) after the change commits, retried with "
            "exponential back-off until a 2xx answer. Delivery is at least once: recognise a "
            f"repeat by {EVENT_ID_HEADER}. Verify {SIGNATURE_HEADER} before trusting the body: "
            "`sha256=` and the hex HMAC-SHA256 of the raw body with the channel's webhook "
            "secret, compared in constant time (docs/webhooks.md). Then pull the product, or "
            "a delta from your watermark."
        ),
        request=WebhookEventSerializer,
        responses={
            200: OpenApiResponse(description="Any 2xx acknowledges the event."),
            503: OpenApiResponse(description="Any other answer, or none within the timeout, "
                                 "and the event is sent again later."),
        },
    ),
)


HEADERS = [
    {"name": SIGNATURE_HEADER, "in": "header", "required": True,
     "description": "sha256=<hex HMAC-SHA256 of the raw body with the channel's secret>",
     "schema": {"type": "string", "pattern": "^sha256=[0-9a-f]{64}$"}},
    {"name": EVENT_ID_HEADER, "in": "header", "required": True,
     "description": "The event's id: the same on every delivery of one event.",
     "schema": {"type": "string", "format": "uuid"}},
    {"name": EVENT_HEADER, "in": "header", "required": True,
     "schema": {"type": "string", "enum": [SNAPSHOT_EVENT_PUBLISH, SNAPSHOT_EVENT_UNPUBLISH]}},
]


def webhook_headers_hook(result, generator, request, public):
    """drf-spectacular leaves header parameters out of webhooks: the signature headers."""
    for item in result.get("webhooks", {}).values():
        for operation in item.values():
            operation["parameters"] = HEADERS
    return result
