from django import forms
from django.contrib import admin
from django.db.models import Count
from modeltranslation.admin import TabbedDjangoJqueryTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import MoveNodeForm, movenodeform_factory

from catalog.models import Category, ShippingRate
from catalog.selectors import category_effective_profile_subquery

from .forms import ShippingRateFormSet


class CategoryForm(MoveNodeForm):
    """Products live in leaves: a category holding products takes no sub-categories."""

    def clean(self):
        cleaned = super().clean()
        position, parent = cleaned.get("treebeard_position"), cleaned.get("treebeard_ref_node")
        if parent and position in ("first-child", "sorted-child"):
            held = parent.products.count()
            if held:
                raise forms.ValidationError(
                    f"“{parent}” holds {held} product(s); products sit in leaf categories. "
                    "Move them to another category before adding sub-categories here."
                )
        return cleaned


class CategoryShippingInline(admin.TabularInline):
    model = ShippingRate
    fk_name = "category"
    formset = ShippingRateFormSet
    fields = ("country", "cost", "currency", "min_days", "max_days")
    extra = 0
    verbose_name_plural = "shipping overrides for this branch, whatever the brand (per market)"


@admin.register(Category)
class CategoryAdmin(TreeAdmin, SimpleHistoryAdmin, TabbedDjangoJqueryTranslationAdmin):
    form = movenodeform_factory(Category, form=CategoryForm, exclude=("path", "depth", "numchild"))
    list_display = ("name", "slug", "profile_display", "products_count")
    search_fields = ("name_en", "name_fr", "name_pl", "name_zh_hans", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    autocomplete_fields = ()
    inlines = [CategoryShippingInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("content_profile")
            .annotate(
                effective_profile=category_effective_profile_subquery(),
                product_total=Count("products"),
            )
        )

    @admin.display(description="content profile")
    def profile_display(self, obj):
        if obj.content_profile_id:
            return obj.content_profile.name
        return f"{obj.effective_profile} (inherited)" if obj.effective_profile else "—"

    @admin.display(description="products", ordering="product_total")
    def products_count(self, obj):
        return obj.product_total
