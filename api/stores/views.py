"""Partner writes (ratings, store stock) and the availability read: thin views over services."""
import orjson
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import BadRequest, NotFound
from api.renderers import ORJSONRenderer
from api.selectors import snapshot_get
from api.v1 import serializers as out
from api.v1.views import ERRORS, ChannelApi
from catalog.models import Product
from catalog.services.errors import ContentError
from catalog.services.ratings import product_ratings_set
from catalog.stores.models import Store
from catalog.stores.selectors import availability_for
from catalog.stores.services import stock_write

from . import serializers as io
from .auth import IsPartner, PartnerTokenAuthentication
from .models import PartnerToken

FORBIDDEN = {403: OpenApiResponse(out.ErrorSerializer,
                                  description="A partner token of another kind.")}
INVALID = {400: OpenApiResponse(out.ErrorSerializer, description="A malformed body.")}


class PartnerApi(APIView):
    authentication_classes = [PartnerTokenAuthentication]
    permission_classes = [IsPartner]
    renderer_classes = [ORJSONRenderer]
    parser_classes = [JSONParser]
    partner_kind = ""
    partner_writes = ""

    def input(self, serializer_class, data):
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class ProductRatingsApi(PartnerApi):
    partner_kind = PartnerToken.Kind.REVIEWS
    partner_writes = "ratings"

    @extend_schema(
        operation_id="product_ratings_update",
        summary="Set a product's customer ratings (reviews platform)",
        description="Live data: every channel's published product shows the new average and "
        "count at once (its ETag changes and it comes up in delta feeds), with no approval. "
        "Idempotent. The product need not be published yet.",
        request=io.RatingsInputSerializer,
        responses={200: io.RatingsWrittenSerializer, **INVALID, **ERRORS, **FORBIDDEN},
    )
    def put(self, request, style_code):
        data = self.input(io.RatingsInputSerializer, request.data)
        product = Product.objects.filter(style_code=style_code).first()
        if product is None:
            raise NotFound(f"No product “{style_code[:40]}”.", code="product_not_found")
        try:
            product = product_ratings_set(product=product, average=data["average"],
                                          count=data["count"], source=str(request.auth))
        except ContentError as error:
            raise exceptions.ValidationError(error.paths) from None
        average = product.rating_average
        return Response({"style_code": product.style_code, "count": product.rating_count,
                         "average": float(average) if average is not None else None})


class StoreStockApi(PartnerApi):
    partner_kind = PartnerToken.Kind.STORE
    partner_writes = "stock"

    @extend_schema(
        operation_id="store_stock_write",
        summary="Write a batch of stock counts for the token's store (store system)",
        description=(
            "Up to 10,000 lines `{gtin or sku, quantity, as_of}`. Idempotent: a line whose "
            "`as_of` is older than the stored count is ignored (listed in `ignored`), and a "
            "batch sent again writes nothing. **200** when every line is good. **400** when "
            "any line is refused: `errors` lists each bad line by index with a code and a "
            "message, and every good line of the batch has been applied all the same "
            "(`applied`, `unchanged`, `ignored` say what happened to them): resend only the "
            "corrected lines. Another store's path answers 404."),
        request=io.StockBatchDocSerializer,
        responses={
            200: io.StockWrittenSerializer,
            400: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="StockRefusedOrInvalid",
                    serializers=[io.StockRefusedSerializer, io.InvalidSerializer],
                    resource_type_field_name=None),
                description="Bad lines (`code` bad_lines: the good ones applied), or a "
                "malformed body (nothing applied)."),
            **ERRORS, **FORBIDDEN,
        },
    )
    def post(self, request, store):
        token = request.auth
        # Another store's stock looks exactly like an unknown store.
        if token.store.code != store:
            raise NotFound(f"No store “{store[:40]}”.", code="store_not_found")
        data = self.input(io.StockBatchInputSerializer, request.data)
        written = stock_write(store=token.store, lines=data["lines"])
        body = {
            "store": token.store.code, "received": written.received, "applied": written.applied,
            "unchanged": written.unchanged, "ignored": written.ignored,
            "errors": [e.as_dict() for e in written.errors],
        }
        if not written.errors:
            return Response(body)
        good = written.received - len(written.errors)
        return Response({
            "detail": f"{len(written.errors)} of {written.received} lines refused (listed in "
                      f"errors); the {good} other line(s) were applied.",
            "code": "bad_lines", **body}, status=status.HTTP_400_BAD_REQUEST)


class ProductAvailabilityApi(ChannelApi):
    @extend_schema(
        operation_id="products_availability",
        summary="Stock of a published product's variants in the channel's stores",
        description="Live data beside the snapshot. With `store`: that store and the other "
        "stores of its market, and a status per variant (here, market, none).",
        parameters=[OpenApiParameter("store", str, description="A store code of the channel.")],
        responses={200: io.AvailabilitySerializer,
                   400: OpenApiResponse(out.BadRequestSerializer, description="Bad parameter."),
                   **ERRORS},
    )
    def get(self, request, channel, style_code):
        row = snapshot_get(channel=self.channel, locale=self.locale, style_code=style_code)
        if row is None:
            raise NotFound(f"No published product “{style_code[:40]}” on {self.channel.code}.",
                           code="product_not_found")
        store = None
        if code := request.query_params.get("store"):
            store = Store.objects.filter(channel=self.channel, code=code).first()
            if store is None:
                raise BadRequest(f"No store “{code[:40]}” shows {self.channel.code}.",
                                 code="invalid_store")
        availability = availability_for(channel=self.channel, payload=orjson.loads(row.raw_payload),
                                        store=store)
        return Response({**availability, "store": store.code if store else None})
