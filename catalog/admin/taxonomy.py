from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from modeltranslation.admin import TabbedDjangoJqueryTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import MoveNodeForm, movenodeform_factory

from catalog.models import Category, ShippingRate
from catalog.selectors import category_effective_profile_subquery, category_products_subquery
from catalog.services.errors import ContentError
from catalog.services.taxonomy import (
    category_create,
    category_delete,
    category_delete_check,
    category_move,
    category_position_check,
    category_update,
)

from .forms import ShippingRateFormSet, content_error_show, shipping_rates_formset_save


class CategoryForm(MoveNodeForm):
    """Parses a category and its place in the tree; ``catalog.services.taxonomy`` decides."""

    def tree_moved(self) -> bool:
        return self.instance._state.adding or bool(
            {"treebeard_position", "treebeard_ref_node"} & set(self.changed_data))

    def clean(self):
        cleaned = super().clean()
        if self.tree_moved() and "treebeard_position" in cleaned:
            try:
                category_position_check(target=cleaned.get("treebeard_ref_node"),
                                        position=cleaned["treebeard_position"],
                                        category=self.instance)
            except ContentError as error:
                content_error_show(self, error, fields={"target": "treebeard_ref_node"})
        return cleaned

    def save(self, commit=True):
        # The tree is written by the services, called from CategoryAdmin.save_model.
        return forms.ModelForm.save(self, commit=False)


# The drag and drop posts a relation to the node dropped on; the tree is unsorted.
DRAG_POSITIONS = {"child": "last-child", "sibling": "left"}


class CategoryDragForm(forms.Form):
    node = forms.ModelChoiceField(queryset=Category.objects.all())
    target = forms.ModelChoiceField(queryset=Category.objects.all())
    relation = forms.ChoiceField(choices=[(name, name) for name in DRAG_POSITIONS])


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
                product_total=category_products_subquery(),
            )
        )

    @admin.display(description="content profile")
    def profile_display(self, obj):
        if obj.content_profile_id:
            return obj.content_profile.name
        return f"{obj.effective_profile} (inherited)" if obj.effective_profile else "—"

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # The tree lists one level at a time; the footer also says how many categories it holds.
        changelist.tree_total = Category.objects.count()
        return changelist

    @admin.display(description="products (in the branch)", ordering="product_total")
    def products_count(self, obj):
        return obj.product_total

    def save_model(self, request, obj, form, change):
        target = form.cleaned_data.get("treebeard_ref_node")
        position = form.cleaned_data["treebeard_position"]
        if not change:
            form.instance = category_create(category=obj, target=target, position=position,
                                            user=request.user)
            return
        category_update(category=obj, user=request.user)
        if form.tree_moved():
            category_move(category=obj, target=target, position=position, user=request.user)

    def save_formset(self, request, form, formset, change):
        shipping_rates_formset_save(formset, user=request.user)

    def move_node(self, request):
        """The tree's drag and drop, through the same service as the form."""
        form = CategoryDragForm(request.POST)
        if not form.is_valid():
            return super().move_node(request)  # treebeard answers bad input
        node, target, relation = (form.cleaned_data[k] for k in ("node", "target", "relation"))
        if not self.has_change_permission(request, node):
            raise PermissionDenied
        try:
            category_move(category=node, target=target, position=DRAG_POSITIONS[relation],
                          user=request.user)
        except ContentError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseBadRequest("Refused")
        messages.info(request, f"Moved “{node}” as {relation} of “{target}”.")
        return HttpResponse("OK")

    def delete_view(self, request, object_id, extra_context=None):
        category = self.get_object(request, unquote(object_id))
        if category is not None:
            try:
                category_delete_check(category=category)
            except ContentError as error:
                messages.error(request, " ".join(error.messages))
                return HttpResponseRedirect(
                    reverse("admin:catalog_category_change", args=[category.pk]))
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        category_delete(category=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        # Deepest first: deleting a branch deletes its descendants with it.
        for category in sorted(queryset, key=lambda c: -c.depth):
            if Category.objects.filter(pk=category.pk).exists():
                category_delete(category=category, user=request.user)
