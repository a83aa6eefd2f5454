from django import forms
from django.contrib import admin
from modeltranslation.admin import TabbedDjangoJqueryTranslationAdmin

from catalog.models import Brand, ContentProfile, ReturnsPolicy, Season, ShippingRate

from catalog.services.policies import brand_save, returns_policy_save, shipping_rates_save

from .forms import ContentFieldsFormMixin, ShippingRateFormSet, shipping_rates_formset_save


class ContentProfileForm(ContentFieldsFormMixin, forms.ModelForm):
    content_field_names = ("required_fields",)

    class Meta:
        model = ContentProfile
        fields = ("name", "required_fields")


@admin.register(ContentProfile)
class ContentProfileAdmin(admin.ModelAdmin):
    form = ContentProfileForm
    list_display = ("name", "required_list")

    @admin.display(description="required fields")
    def required_list(self, obj):
        return ", ".join(obj.required_fields)


class BrandShippingInline(admin.TabularInline):
    model = ShippingRate
    formset = ShippingRateFormSet
    fields = ("country", "cost", "currency", "min_days", "max_days")
    extra = 0
    verbose_name_plural = "default shipping per market"


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "returns_policy")
    list_select_related = ("returns_policy",)
    search_fields = ("name", "code")
    inlines = [BrandShippingInline]

    def save_model(self, request, obj, form, change):
        brand_save(brand=obj, user=request.user)

    def save_formset(self, request, form, formset, change):
        shipping_rates_formset_save(formset, user=request.user)


@admin.register(Season)
class SeasonAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(ReturnsPolicy)
class ReturnsPolicyAdmin(TabbedDjangoJqueryTranslationAdmin):
    list_display = ("name", "returnable", "days", "free")

    def save_model(self, request, obj, form, change):
        returns_policy_save(policy=obj, user=request.user)


@admin.register(ShippingRate)
class ShippingRateAdmin(admin.ModelAdmin):
    list_display = ("__str__", "brand", "category", "product", "country")
    list_select_related = ("brand", "category", "product")
    list_filter = ("brand", "country")
    raw_id_fields = ("product", "category")

    def save_model(self, request, obj, form, change):
        shipping_rates_save(rates=[obj], user=request.user)

    def delete_model(self, request, obj):
        shipping_rates_save(rates=[], removed=[obj], user=request.user)
