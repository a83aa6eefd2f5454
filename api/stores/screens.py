"""The store-screen page (DOMAIN section 13) and the two JSON reads its script makes.

The page itself is a static shell: what a screen may see is decided by its screen token,
which the script keeps on the device and sends as a bearer token.
"""
from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from csp.decorators import csp_update
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import BadRequest
from api.renderers import ORJSONRenderer
from catalog.models.choices import CARE_GROUPS
from catalog.stores.models import Store
from catalog.stores.selectors import availability_for

from .auth import IsScreen, ScreenTokenAuthentication
from .selectors import NOT_PUBLISHED, screen_product_find

CARE_LABELS = {code: label for group in CARE_GROUPS.values() for code, label in group.choices}


# The camera polyfill compiles WebAssembly, which script-src 'self' alone forbids.
@csp_update({"script-src": ["'wasm-unsafe-eval'"]})
@require_GET
def screen_page(request, store):
    store = get_object_or_404(Store.objects.select_related("channel"), code=store)
    return render(request, "screens/screen.html", {
        "store": store, "idle_seconds": settings.SCREEN_IDLE_SECONDS,
    })


class ScreenApi(APIView):
    authentication_classes = [ScreenTokenAuthentication]
    permission_classes = [IsScreen]
    renderer_classes = [ORJSONRenderer]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        store = request.auth.store
        if kwargs.get("store") != store.code:
            raise exceptions.AuthenticationFailed(
                "This screen is enrolled in another store.", code="screen_not_enrolled")
        self.store = store

    def locale(self, value) -> str:
        locales = self.store.channel.locales or []
        if not value:
            return self.store.default_locale
        if value not in locales:
            raise BadRequest(f"Unknown locale “{value[:20]}”. Valid locales: "
                             f"{', '.join(locales)}.", code="invalid_locale",
                             valid_locales=locales)
        return value


@extend_schema(exclude=True)
class ScreenSessionApi(ScreenApi):
    """Who the screen is: its store, locales and the care symbols' names."""

    def get(self, request, store):
        return Response({
            "store": {"code": self.store.code, "name": self.store.name,
                      "country": str(self.store.country)},
            "locale": self.store.default_locale,
            "locales": self.store.channel.locales,
            "store_locales": self.store.locales,
            "care_labels": CARE_LABELS,
        })


class LookupInput(serializers.Serializer):
    code = serializers.CharField(max_length=64, trim_whitespace=True)
    locale = serializers.CharField(max_length=10, required=False, allow_blank=True)


@extend_schema(exclude=True)
class ScreenProductApi(ScreenApi):
    """A product by barcode, style code or SKU, with live availability in this store."""

    def get(self, request, store):
        query = LookupInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        locale = self.locale(query.validated_data.get("locale"))
        code = query.validated_data["code"]
        found = screen_product_find(store=self.store, code=code, locale=locale)
        headers = {"Cache-Control": "no-store"}
        # A search that finds nothing is an answer the screen shows, not a failed request.
        if found.product is None:
            return Response({"code": code, "locale": locale, "found": False,
                             "reason": found.reason, "detail": (
                                 f"{code} is not shown on this channel yet."
                                 if found.reason == NOT_PUBLISHED
                                 else f"No product has the code {code}.")}, headers=headers)
        availability = availability_for(channel=self.store.channel, payload=found.product,
                                        store=self.store)
        return Response({"code": code, "locale": locale, "found": True,
                         "matched": found.matched, "product": found.product,
                         "availability": availability["variants"]}, headers=headers)
