from django.contrib import admin

from pim.admin import ReadOnlyAdminMixin

from .models import Store, StoreStock
from .services import store_save


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "country", "locales", "channel")
    list_filter = ("country", "channel")
    search_fields = ("code", "name")
    list_select_related = ("channel",)

    def get_readonly_fields(self, request, obj=None):
        # Store systems and enrolled screens know the store by its code.
        return ("code",) if obj else ()

    def save_model(self, request, obj, form, change):
        store_save(store=obj)


@admin.register(StoreStock)
class StoreStockAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Stock is written by store systems through the API: the admin shows it, nothing more."""

    list_display = ("store", "variant", "quantity", "as_of", "updated_at")
    list_filter = ("store",)
    search_fields = ("variant__sku", "variant__gtin", "variant__colour__product__style_code")
    list_select_related = ("store", "variant")
    readonly_fields = ("store", "variant", "quantity", "as_of", "updated_at")
