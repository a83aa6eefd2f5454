import nested_admin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from modeltranslation.admin import TranslationAdmin, TranslationInlineModelAdmin

from catalog.admin.bulk import ProductBulkAdminMixin
from catalog.admin.care import CarePictogramAdminMixin
from catalog.admin.completeness import ProductCompletenessAdminMixin
from catalog.admin.forms import (
    BoundedInlineMixin,
    OneRatePerMarketMixin,
    content_errors_show,
    inline_changes_note,
    inline_post_cleaned,
    inline_rows,
    kept_forms,
)
from catalog.admin.grid import ProductGridAdminMixin
from catalog.admin.history import ProductHistoryAdminMixin
from catalog.admin.imports import ProductImportAdminMixin
from catalog.admin.pagination import KeysFirstPaginator
from catalog.admin.media import (
    ProductMediaAdminMixin,
    ProductPhotoInline,
    ProductVideoInline,
    SocialImageInline,
)
from catalog.admin.product_page import (
    FormsetPerRequestInlineMixin,
    ProductPageAdminMixin,
    SharedChoicesInlineMixin,
    StoredRowsOnDemandInlineMixin,
)
from catalog.admin.widgets import EditorialEditorAdminMixin
from catalog.admin.workflow import ProductWorkflowAdminMixin
from catalog.models import (
    Category,
    Colour,
    CompositionLine,
    Product,
    ShippingRate,
    SizeChartRow,
    Variant,
)
from catalog.search import products_search
from catalog.selectors import category_path_labels
from catalog.services.content import composition_check, size_chart_required, variant_sizes_check
from catalog.services.errors import ContentError
from catalog.services.products import (
    StaleProductError,
    product_content_save,
    product_stale_message,
    product_version_check,
)


class CompositionFormSet(nested_admin.formsets.NestedInlineFormSet):
    def clean(self):
        # The domain's first: it names the part and fibre, where the generic unique check cannot.
        if not any(self.errors):
            forms = kept_forms(self)
            try:
                composition_check(lines=[(f.cleaned_data["part"], f.cleaned_data["fibre"],
                                          f.cleaned_data["percentage"]) for f in forms])
            except ContentError as error:
                content_errors_show(self, error, forms)
        super().clean()


class VariantFormSet(nested_admin.formsets.NestedInlineFormSet):
    """Asks the domain whether the variants' sizes are in the size chart as it will be after
    this save."""

    size_chart_formset = None  # set by ProductAdmin when both are on the page
    size_chart_required = True  # set by ProductAdmin from the category's profile

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if self.size_chart_formset is not None:
            if not self.size_chart_formset.is_valid():
                return
            labels = [f.cleaned_data["size_label"] for f in kept_forms(self.size_chart_formset)]
        else:
            labels = SizeChartRow.objects.filter(product=self.instance.product_id).values_list(
                "size_label", flat=True)
        forms = kept_forms(self)
        try:
            variant_sizes_check(sizes=[f.cleaned_data.get("size_label") for f in forms],
                                chart_labels=labels, required=self.size_chart_required)
        except ContentError as error:
            content_errors_show(self, error, forms)


# The most rows of each kind a product page takes: well above real products (10 colours of
# 10 photos in 10 sizes), low enough that a forged TOTAL_FORMS is refused at once.
class VariantInline(FormsetPerRequestInlineMixin, StoredRowsOnDemandInlineMixin,
                    BoundedInlineMixin, nested_admin.NestedTabularInline):
    template = "admin/catalog/product/tabular_rows.html"
    model = Variant
    formset = VariantFormSet
    fields = ("size_label", "sku", "gtin")
    extra = 0
    max_num = 40


class ColourInline(FormsetPerRequestInlineMixin, BoundedInlineMixin, TranslationInlineModelAdmin,
                   nested_admin.NestedStackedInline):
    model = Colour
    fieldset_template = "admin/catalog/product/inline_fieldset.html"
    fields = ("code", "name", "position")
    sortable_field_name = "position"
    inlines = [ProductPhotoInline, VariantInline]
    extra = 0
    max_num = 30


class CompositionInline(SharedChoicesInlineMixin, BoundedInlineMixin,
                        nested_admin.NestedTabularInline):
    template = "admin/catalog/product/tabular_rows.html"
    model = CompositionLine
    shared_choices = ("fibre",)
    formset = CompositionFormSet
    fields = ("part", "fibre", "percentage", "position")
    sortable_field_name = "position"
    extra = 0
    max_num = 30


class SizeChartInline(StoredRowsOnDemandInlineMixin, BoundedInlineMixin,
                      nested_admin.NestedTabularInline):
    template = "admin/catalog/product/tabular_rows.html"
    model = SizeChartRow
    fields = ("size_label", *SizeChartRow.SYSTEMS, *SizeChartRow.MEASUREMENTS, "position")
    sortable_field_name = "position"
    extra = 0
    max_num = 40


class ShippingFormSet(OneRatePerMarketMixin, nested_admin.formsets.NestedInlineFormSet):
    pass


class ShippingInline(SharedChoicesInlineMixin, BoundedInlineMixin,
                     nested_admin.NestedTabularInline):
    template = "admin/catalog/product/tabular_rows.html"
    model = ShippingRate
    shared_choices = ("country", "currency")
    formset = ShippingFormSet
    fk_name = "product"
    fields = ("country", "cost", "currency", "min_days", "max_days")
    extra = 0
    max_num = 100
    verbose_name_plural = "shipping overrides per market"

    def get_queryset(self, request):
        # Each row is labelled by its scope (the product): read with it, not a query a row.
        return super().get_queryset(request).select_related("product")


# The inlines whose rows the product's content service writes, by the service's list names.
CONTENT_LISTS = {Colour: "colours", CompositionLine: "composition", SizeChartRow: "size_chart",
                 ShippingRate: "shipping"}


class CategoryChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels = category_path_labels()

    def label_from_instance(self, obj):
        return self.labels.get(obj.pk, obj.name)


class ProductAdminForm(forms.ModelForm):
    # The version the editor loaded: a save from an older one is refused.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Product
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "category" in self.fields:
            self.fields["category"] = CategoryChoiceField(
                queryset=Category.objects.filter(numchild=0).order_by("path"),
                help_text="Products sit in leaf categories.",
            )
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            try:
                product_version_check(
                    product_id=self.instance.pk, expected_version=cleaned.get("loaded_version")
                )
            except StaleProductError as exc:
                raise ValidationError(exc.messages, code="stale") from None
        return cleaned


@admin.register(Product)
class ProductAdmin(
    ProductGridAdminMixin,
    CarePictogramAdminMixin,
    EditorialEditorAdminMixin,
    ProductImportAdminMixin,
    ProductCompletenessAdminMixin,
    ProductBulkAdminMixin,
    ProductWorkflowAdminMixin,
    ProductMediaAdminMixin,
    ProductHistoryAdminMixin,
    ProductPageAdminMixin,
    TranslationAdmin,
    nested_admin.NestedModelAdmin,
):
    form = ProductAdminForm
    change_form_template = "admin/catalog/product/workflow_change_form.html"
    search_fields = ("style_code",)  # shows the box; catalog.search does the searching
    search_help_text = ("Style code, SKU or GTIN (exact or its start), or words from a name or "
                        "description in any language.")
    list_per_page = 50
    paginator = KeysFirstPaginator
    show_full_result_count = False  # a second COUNT over the whole catalog
    readonly_fields = ("status", "version", "created_at", "updated_at")
    inlines = [ColourInline, CompositionInline, SizeChartInline, ShippingInline,
               ProductVideoInline, SocialImageInline]
    fieldsets = (
        ("Identity", {
            "fields": ("style_code", "name", "brand", "season", "category", "status",
                       "loaded_version"),
        }),
        ("Fabric and material", {"fields": ("material_text",)}),
        ("Fit and size", {
            "fields": ("fit_type", "fit_description", ("model_height_cm", "model_size"),
                       "size_chart_basis", "size_advice"),
        }),
        ("Wash and care", {
            "fields": ("care_washing", "care_bleaching", "care_drying", "care_ironing",
                       "care_professional", "care_text"),
        }),
        ("Editorial", {"fields": ("description",)}),
        ("Logistics", {"fields": ("returns_policy",)}),
        ("Customer ratings", {"fields": (("rating_average", "rating_count"),)}),
        ("Record", {"fields": ("version", "created_at", "updated_at"), "classes": ("collapse",)}),
    )

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return self.paginator(queryset, per_page, orphans, allow_empty_first_page,
                              number=request.GET.get(PAGE_VAR))

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        found = products_search(queryset, search_term)
        if ORDER_VAR not in request.GET:  # unless sorted by a column: codes, names, texts
            found = found.order_by("search_rank", *found.query.order_by)
        return found, False

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        size_chart = next((fs for fs in formsets if fs.model is SizeChartRow), None)
        # `obj` carries the submitted category when the main form is valid.
        required = size_chart_required(category=obj.category if obj and obj.category_id else None)
        for formset in formsets:
            if isinstance(formset, VariantFormSet):
                formset.size_chart_formset = size_chart
                formset.size_chart_required = required
        return formsets, inline_instances

    def save_model(self, request, obj, form, change):
        """Saved with the page's rows in :meth:`save_related`, by one service call."""

    def save_related(self, request, form, formsets, change):
        lists = {name: fs for fs in formsets for model, name in CONTENT_LISTS.items()
                 if fs.model is model and not getattr(fs, "is_nested", False)}
        rows = {name: inline_rows(fs) for name, fs in lists.items()}
        colours = lists.get("colours")
        colour_forms = kept_forms(colours) if colours else []
        for colour_form, row in zip(colour_forms, rows.get("colours", [])):
            for nested in getattr(colour_form, "nested_formsets", []):
                if nested.model is Variant:
                    row["variants"] = inline_rows(nested)
                    inline_changes_note(nested)
        for formset in lists.values():
            inline_changes_note(formset)
        saved = product_content_save(
            product=form.instance, expected_version=form.cleaned_data.get("loaded_version"),
            user=request.user, **rows)
        # The photos of a new colour are saved under it by their own inline; those of a
        # deleted colour went with it.
        for colour_form, colour in zip(colour_forms, saved.colours):
            colour_form.instance = colour
            for nested in getattr(colour_form, "nested_formsets", []):
                nested.instance = colour
        for formset in formsets:
            parent = getattr(formset, "parent_form", None)
            if parent is not None and parent not in colour_forms:
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            elif formset.model not in (*CONTENT_LISTS, Variant):
                self.save_formset(request, form, formset, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            request.POST = inline_post_cleaned(request.POST)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleProductError:
            # Lost a race after the form's own check: the transaction was rolled back.
            self.message_user(
                request, product_stale_message(product_id=object_id), messages.ERROR
            )
            return HttpResponseRedirect(request.path)
        except ContentError as error:
            # A rule the rows' own checks could not see (a SKU given under two colours): the
            # transaction was rolled back.
            self.message_user(request, "Nothing was saved: " + " ".join(error.messages),
                              messages.ERROR)
            return HttpResponseRedirect(request.path)
