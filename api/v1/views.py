"""v1 of the syndication API: thin views over the snapshot selectors."""
import hashlib
from dataclasses import replace

import orjson
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, urlencode
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import conditional_page
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from api.auth import ChannelTokenAuthentication, ChannelTokenRateThrottle, HasChannelToken
from api.exceptions import BadRequest, NotFound
from api.pagination import (
    FeedQuery,
    Position,
    decode_cursor,
    encode_cursor,
    parse_page_size,
    parse_since,
)
from api.renderers import ORJSONRenderer
from api.v1.jsonld import JSONLDRenderer, product_group
from api.selectors import (
    category_list,
    feed_state,
    product_rating_get,
    snapshot_feed,
    snapshot_for_gtin,
    snapshot_get,
    snapshot_head,
)
from catalog.models.fields import gtin_normalize, validate_gtin
from media.selectors import (
    media_references_resolve,
    media_references_resolver,
    media_url_base,
)

from . import serializers as out

LOCALE_PARAMETER = OpenApiParameter(
    "locale", str, enum=[code for code, _ in settings.LANGUAGES],
    description="One of the channel's locales (400 lists them); the channel's first by default.",
)
ERRORS = {
    401: OpenApiResponse(out.ErrorSerializer, description="No token, or a bad or revoked one."),
    404: OpenApiResponse(out.ErrorSerializer, description="Not found, or another channel's."),
    414: OpenApiResponse(
        description="The request line is longer than the server accepts (gunicorn's "
        "limit_request_line, 4094 bytes by default); answered by the server, not as JSON."
    ),
    429: OpenApiResponse(out.ThrottledSerializer, description="Too many requests; see Retry-After."),
}
LOCALE_ERROR = {400: OpenApiResponse(out.BadRequestSerializer, description="Bad parameter.")}


def tombstone(style_code: str, version: int) -> bytes:
    return orjson.dumps({"kind": "tombstone", "style_code": style_code, "deleted": True,
                         "version": version})


class ChannelApi(APIView):
    """Resolves the token's channel and the locale before any view code runs.

    Every answer is compressed when the client accepts gzip, and carries an ETag made from
    its body (so media URLs built at read time count): If-None-Match gets a 304.
    """

    authentication_classes = [ChannelTokenAuthentication]
    permission_classes = [HasChannelToken]
    throttle_classes = [ChannelTokenRateThrottle]
    renderer_classes = [ORJSONRenderer]
    locale = None

    @classmethod
    def as_view(cls, **initkwargs):
        # The ETag is taken from the body before compression; gzip then marks it weak.
        return gzip_page(conditional_page(super().as_view(**initkwargs)))

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        channel = request.auth.channel
        # Another channel's URL looks exactly like an unknown one.
        if kwargs.get("channel") != channel.code:
            raise NotFound(f"No channel “{kwargs.get('channel')}”.", code="channel_not_found")
        self.channel = channel
        self.locale = self.resolve_locale(request.query_params.get("locale"))

    def perform_content_negotiation(self, request, force=False):
        wanted = request.query_params.get(api_settings.URL_FORMAT_OVERRIDE or "format")
        known = {renderer.format for renderer in self.get_renderers()}
        if not force and wanted not in (None, "", *known):
            raise NotFound(f"No format “{wanted[:20]}”: this API answers JSON only (leave "
                           "format out, or give format=json).", code="not_found")
        return super().perform_content_negotiation(request, force)

    def check_throttles(self, request):
        # Kept, so that every answer can tell the client its budget (RateLimit headers).
        self.throttles = self.get_throttles()
        refused = [t.wait() for t in self.throttles if not t.allow_request(request, self)]
        if refused:
            self.throttled(request, max((w for w in refused if w is not None), default=None))

    def permission_denied(self, request, message=None, code=None):
        if not request.successful_authenticator:
            raise exceptions.NotAuthenticated(HasChannelToken.message)
        super().permission_denied(request, message, code)

    def resolve_locale(self, value):
        locales = list(self.channel.locales or [])
        if value is None or value == "":
            if not locales:
                raise BadRequest(f"The channel “{self.channel.code}” has no locales yet.")
            return locales[0]
        if value not in locales:
            raise BadRequest(
                f"Unknown locale “{value[:20]}” for channel “{self.channel.code}”. "
                f"Valid locales: {', '.join(locales)}.",
                code="invalid_locale", valid_locales=locales,
            )
        return value

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Authorization"])
        for throttle in getattr(self, "throttles", []):
            for name, value in getattr(throttle, "headers", dict)().items():
                response[name] = value
        if self.locale and response.status_code < 400:
            response["Content-Language"] = self.locale
        if request.method == "GET" and response.status_code == 200:
            response.setdefault("Cache-Control", "private, no-cache")
        return response


def snapshot_etag(row, body: str) -> str:
    """Strong, from the body as served and the snapshot's feed position: a touch (live data
    served beside the snapshot changed) or a new media domain changes it, as an approval does."""
    digest = hashlib.sha256(f"{row.sequence}\n{body}".encode()).hexdigest()
    return f'"{digest[:40]}"'


def snapshot_detail_etag(row, base: str | None, body: str | None = None) -> str | None:
    """Strong, from what a product's answer is made of: the snapshot (its id: channel, style
    and locale), its feed position (an approval or a touch moves it) and the media URL base
    its references are served against, so that a conditional request is answered without
    reading the payload. None where media URLs are signed one by one (no common base): the
    ETag must then come from the `body` as served."""
    if base is None:
        return snapshot_etag(row, body) if body is not None else None
    digest = hashlib.sha256(f"{row.id}\n{row.sequence}\n{base}".encode()).hexdigest()
    return f'"{digest[:40]}"'


def if_none_match_has(request, etag: str) -> bool:
    """Whether If-None-Match names `etag` (weak comparison, as for GET: a gzipped answer's
    ETag comes back marked weak)."""
    sent = parse_etags(request.headers.get("If-None-Match", ""))
    return "*" in sent or etag.removeprefix("W/") in {e.removeprefix("W/") for e in sent}


def served(payload: str) -> str:
    """A stored payload as served: its media references made URLs with today's settings."""
    return media_references_resolve(payload)


class ProductListApi(ChannelApi):
    @extend_schema(
        operation_id="products_list",
        summary="Published products of the channel, cursor-paginated",
        description=(
            "Stable order by commit. Without `updated_since`: the published catalog (and "
            "tombstones of products removed while the pull runs). With it: every product "
            "published, changed or removed since then, removed ones as tombstones "
            '`{"kind": "tombstone", "style_code": …, "deleted": true}`. Follow `next` to the '
            "end (the cursor carries the whole query), keep the last page's `watermark` and "
            "send it as `updated_since` next time: nothing committed after it is skipped."
        ),
        parameters=[
            LOCALE_PARAMETER,
            OpenApiParameter(
                "updated_since", str,
                description="A watermark this feed gave (`<sequence>.<id>`): every change "
                "committed after it, none skipped. Or an ISO-8601 date-time: changes stamped at "
                "or after it (a change whose transaction was open then may be missed).",
            ),
            OpenApiParameter(
                "page_size", {"type": "integer", "minimum": 1, "maximum": settings.API_MAX_PAGE_SIZE},
                description=f"1 to {settings.API_MAX_PAGE_SIZE}; default 100.",
            ),
            OpenApiParameter("cursor", str, description="Opaque; taken from a `next` link. It "
                             "carries the whole query: other parameters may be left out."),
            OpenApiParameter(
                "X-PIM-Watermark", str, OpenApiParameter.HEADER, response=[200],
                description="The page's watermark, as in the body.",
            ),
            OpenApiParameter(
                "Link", str, OpenApiParameter.HEADER, response=[200],
                description='The next page as `<url>; rel="next"`, absent on the last page.',
            ),
        ],
        responses={200: out.ProductPageSerializer, **LOCALE_ERROR, **ERRORS},
    )
    def get(self, request, channel):
        params = request.query_params
        query = decode_cursor(params.get("cursor"))
        if query is not None:
            self.check_cursor(query, params)
        # Read before the page: whatever commits later gets a higher position.
        state = feed_state(channel=self.channel, locale=self.locale)
        if query is None:
            query = self.feed_query(params, position=state.position)
        page = snapshot_feed(channel=self.channel, query=query)
        # The media settings are read once per page, then each payload is one replace.
        Fragment, resolve = orjson.Fragment, media_references_resolver()
        results = [
            Fragment(tombstone(code, version) if deleted else resolve(payload))
            for _, _, code, version, deleted, payload in page.rows
        ]
        if page.more:
            watermark = page.last
        else:
            watermark = max(query.floor, query.after, page.last or query.after)
        next_url = None
        headers = {"X-PIM-Watermark": str(watermark)}
        if page.more:
            cursor = encode_cursor(replace(query, after=page.last))
            next_url = request.build_absolute_uri(f"{request.path}?{urlencode({'cursor': cursor})}")
            # The same link as a header, for clients that stream the body (RFC 8288).
            headers["Link"] = f'<{next_url}>; rel="next"'
        if state.changed_at:
            headers["Last-Modified"] = http_date(state.changed_at.timestamp())
        return Response({"next": next_url, "watermark": str(watermark), "results": results},
                        headers=headers)

    def feed_query(self, params, *, position: int) -> FeedQuery:
        page_size = parse_page_size(params.get("page_size"))
        since = parse_since(params.get("updated_since"))
        common = {"channel": self.channel.code, "locale": self.locale, "page_size": page_size}
        if isinstance(since, Position):
            return FeedQuery(**common, after=since, floor=since)
        floor = Position(position, 0)
        if since is None:
            return FeedQuery(**common, floor=floor, tombstones_after=position)
        return FeedQuery(**common, floor=floor, since=since)

    def check_cursor(self, query: FeedQuery, params) -> None:
        """The cursor carries the query; parameters sent beside it must agree with it."""
        if query.channel != self.channel.code:
            raise BadRequest("This cursor belongs to another channel's feed.",
                             code="invalid_cursor")
        self.locale = self.resolve_locale(query.locale)
        sent = {
            "locale": params.get("locale") or None,
            "page_size": params.get("page_size") or None,
            "updated_since": params.get("updated_since") or None,
        }
        carried = {"locale": query.locale, "page_size": query.page_size}
        mismatch = [name for name in ("locale", "page_size") if sent[name] is not None
                    and str(carried[name]) != sent[name].strip()]
        if sent["updated_since"] is not None:
            since = parse_since(sent["updated_since"])
            if since != (query.floor if isinstance(since, Position) else query.since):
                mismatch.append("updated_since")
        if mismatch:
            raise BadRequest(
                f"The cursor carries the whole query; {', '.join(mismatch)} sent beside it "
                "differ from it. Send the cursor alone, as the next link does.",
                code="cursor_mismatch",
            )


class ProductDetailApi(ChannelApi):
    renderer_classes = [ORJSONRenderer, JSONLDRenderer]

    @extend_schema(
        operation_id="products_retrieve",
        summary="One published product",
        description="A strong ETag is made from the snapshot, its feed position and the "
        "media URL base; send it back in If-None-Match to get 304 while the product, its live "
        "data and its media URLs are unchanged. With "
        "`Accept: application/ld+json`: the product as a schema.org `ProductGroup`, its "
        "variants (colour and size) under `hasVariant`.",
        parameters=[
            LOCALE_PARAMETER,
            OpenApiParameter("If-None-Match", str, OpenApiParameter.HEADER, required=False),
            OpenApiParameter(
                "ETag", str, OpenApiParameter.HEADER, response=[200, 304],
                description="Strong (weak when the body is compressed); changes with the body.",
            ),
        ],
        responses={
            (200, "application/json"): out.ProductSerializer,
            (200, "application/ld+json"): OpenApiResponse(
                {"type": "object", "additionalProperties": True},
                description="schema.org ProductGroup (JSON-LD)."),
            304: OpenApiResponse(description="Not modified since the ETag sent."),
            **LOCALE_ERROR, **ERRORS,
        },
    )
    def get(self, request, channel, style_code):
        json_ld = request.accepted_renderer.format == JSONLDRenderer.format
        base = media_url_base()
        if not json_ld and base is not None and "If-None-Match" in request.headers:
            head = snapshot_head(channel=self.channel, locale=self.locale, style_code=style_code)
            if head is not None:
                etag = snapshot_detail_etag(head, base)
                if if_none_match_has(request, etag):  # unchanged: the payload is not read
                    response = Response(status=304, headers={
                        "ETag": etag, "Last-Modified": http_date(head.updated_at.timestamp())})
                    patch_vary_headers(response, ["Accept"])
                    return response
        row = snapshot_get(channel=self.channel, locale=self.locale, style_code=style_code)
        if row is None:
            raise NotFound(
                f"No published product “{style_code[:40]}” on {self.channel.code}.",
                code="product_not_found",
            )
        body = media_references_resolve(row.raw_payload, base=base)
        headers = {"Last-Modified": http_date(row.updated_at.timestamp())}
        if json_ld:
            document = product_group(
                orjson.loads(body), url=request.build_absolute_uri(request.path),
                rating=product_rating_get(style_code=row.style_code),
            )
            response = Response(document, headers=headers)  # ETag from the document
        else:
            headers["ETag"] = snapshot_detail_etag(row, base, body)
            response = Response(orjson.Fragment(body), headers=headers)
        patch_vary_headers(response, ["Accept"])
        return response


def find_variant(payload: dict, gtin: str) -> dict | None:
    for colour in payload.get("colours") or []:
        for variant in colour.get("variants") or []:
            if gtin_normalize(str(variant.get("gtin", ""))) == gtin:
                return {**variant, "colour_code": colour.get("code"), "colour": colour.get("name")}
    return None


class ProductByGtinApi(ChannelApi):
    @extend_schema(
        operation_id="products_by_gtin",
        summary="The product holding a variant, by barcode",
        description="EAN-13, UPC-A, GTIN-8 or GTIN-14. The scanned variant is returned beside "
        "the product, with its colour.",
        parameters=[
            LOCALE_PARAMETER,
            OpenApiParameter(
                "gtin", {"type": "string", "pattern": "^([0-9]{8}|[0-9]{12,14})$"},
                OpenApiParameter.PATH, description="8, 12, 13 or 14 digits, check digit last.",
            ),
        ],
        responses={200: out.GtinMatchSerializer, **LOCALE_ERROR, **ERRORS},
    )
    def get(self, request, channel, gtin):
        try:
            validate_gtin(gtin)
        except ValidationError as error:
            message = " ".join(error.messages)
            raise BadRequest(message[:300], code="invalid_gtin") from None
        normalized = gtin_normalize(gtin)
        row = snapshot_for_gtin(channel=self.channel, locale=self.locale, gtin=normalized)
        body = served(row.raw_payload) if row else None
        product = orjson.loads(body) if row else None
        variant = find_variant(product, normalized) if isinstance(product, dict) else None
        if variant is None:
            raise NotFound(
                f"No published product on {self.channel.code} has the GTIN {gtin}.",
                code="gtin_not_found",
            )
        return Response({"gtin": normalized, "variant": variant, "product": product},
                        headers={"ETag": snapshot_etag(row, f"{normalized}\n{body}"),
                                 "Last-Modified": http_date(row.updated_at.timestamp())})


class CategoryListApi(ChannelApi):
    @extend_schema(
        operation_id="categories_list",
        summary="The category tree, names in the locale",
        description="Every category in tree order (parents before children).",
        parameters=[LOCALE_PARAMETER],
        responses={200: out.CategoryListSerializer, **LOCALE_ERROR, **ERRORS},
    )
    def get(self, request, channel):
        results = category_list(locale=self.locale, source_locale=settings.SOURCE_LANGUAGE)
        return Response({"locale": self.locale, "results": results})
