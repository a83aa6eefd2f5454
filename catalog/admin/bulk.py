"""Bulk work from the product list: submit, approve, unpublish and mass edit as background
jobs (catalog.services.bulk), never inside the request.

An action opens a confirmation page (how many products, which channels, or the fields a mass
edit sets); confirming stores the job and opens its page, which refreshes itself while the job
runs and then lists an outcome per product. "Jobs" in the admin lists the user's jobs.
"""
from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from catalog.io.products import CellError, care_parse, shipping_parse
from catalog.models import Brand, Category, Channel, Job, ProductTransition, ReturnsPolicy, Season
from catalog.selectors import category_path_labels
from catalog.services.bulk import ACTIONS, BULK_KIND, MASS_EDIT, bulk_job_create
from pim.admin import ReadOnlyAdminMixin

Action = ProductTransition.Action
TEMPLATES = "admin/catalog/product/bulk/"
RESULTS_PER_PAGE = 200
SHOWN_ON_CONFIRM = 20


class BulkTransitionForm(forms.Form):
    channels = forms.ModelMultipleChoiceField(
        queryset=Channel.objects.order_by("code"), required=False,
        widget=forms.CheckboxSelectMultiple, help_text="Leave every box empty for all channels.")
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        if action == Action.SUBMIT:
            del self.fields["channels"]

    def job_kwargs(self) -> dict:
        channels = list(self.cleaned_data.get("channels") or []) or None
        return {"channels": channels, "comment": self.cleaned_data["comment"]}


class LeafCategoryField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if not hasattr(self, "_labels"):
            self._labels = category_path_labels()
        return self._labels.get(obj.pk, obj.name)


class MassEditForm(forms.Form):
    """What a mass edit sets; a field left blank is left as each product has it."""

    season = forms.ModelChoiceField(Season.objects.order_by("code"), required=False)
    category = LeafCategoryField(Category.objects.filter(numchild=0).order_by("path"),
                                 required=False, help_text="Products sit in leaf categories.")
    brand = forms.ModelChoiceField(Brand.objects.order_by("name"), required=False)
    returns_policy = forms.ModelChoiceField(ReturnsPolicy.objects.order_by("name"),
                                            required=False)
    care = forms.CharField(required=False, help_text="As in the import format, e.g. "
                           "“washing: wash_30; drying: line_dry”: the groups given are set.")
    shipping = forms.CharField(required=False, help_text="As in the import format, e.g. "
                               "“FR: 4.95 EUR, 2-4 days; DE: 5.90 EUR, 3-5 days”: replaces the "
                               "products' own shipping overrides.")

    def clean_care(self):
        text = self.cleaned_data["care"].strip()
        try:
            return {name: code for name, code in care_parse(text).items() if code}
        except CellError as error:
            raise ValidationError(str(error)) from None

    def clean_shipping(self):
        text = self.cleaned_data["shipping"].strip()
        try:
            return shipping_parse(text) if text else None
        except CellError as error:
            raise ValidationError(str(error)) from None

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.job_fields():
            raise ValidationError("Choose at least one field to set.")
        return cleaned

    def job_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name].pk for name in ("season", "category", "brand",
                                                   "returns_policy") if data.get(name)}
        fields.update(data.get("care") or {})
        if data.get("shipping"):
            fields["shipping"] = data["shipping"]
        return fields


def _bulk_action(action: str):
    def bulk(modeladmin, request, queryset):
        return modeladmin.bulk_confirm(request, queryset, action)

    bulk.__name__ = "mass_edit" if action == MASS_EDIT else f"workflow_{action}"
    bulk.short_description = f"{ACTIONS[action]} the selected products…"
    return bulk


class ProductBulkAdminMixin:
    """The product list's bulk actions, as jobs. Replaces the workflow's submit, approve and
    unpublish actions of the same names, which ran inside the request."""

    bulk_actions = [_bulk_action(a) for a in ACTIONS]

    def _bulk_allowed(self, request, action: str) -> bool:
        if action == MASS_EDIT:
            return self.has_change_permission(request)
        return getattr(self, f"has_workflow_{action}_permission")(request)

    def get_actions(self, request):
        actions = super().get_actions(request)
        for action, function in zip(ACTIONS, self.bulk_actions):
            actions.pop(function.__name__, None)
            if self._bulk_allowed(request, action):
                actions[function.__name__] = self.get_action(function)
        return actions

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path("bulk/<int:job_id>/", self.admin_site.admin_view(self.bulk_job_view),
                 name="%s_%s_bulk_job" % info),
            *super().get_urls(),
        ]

    def bulk_confirm(self, request, queryset, action: str):
        if not self._bulk_allowed(request, action):
            raise PermissionDenied
        confirmed = "bulk_confirm" in request.POST
        form_class = MassEditForm if action == MASS_EDIT else BulkTransitionForm
        kwargs = {} if action == MASS_EDIT else {"action": action}
        form = form_class(request.POST if confirmed else None, **kwargs)
        if confirmed and form.is_valid():
            ids = list(queryset.order_by("pk").values_list("pk", flat=True))
            job_kwargs = ({"fields": form.job_fields()} if action == MASS_EDIT
                          else form.job_kwargs())
            job = bulk_job_create(user=request.user, action=action, product_ids=ids,
                                  **job_kwargs)
            return redirect(reverse("admin:catalog_product_bulk_job", args=[job.pk]))
        select_across = request.POST.get("select_across") == "1"
        count = queryset.count()
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "title": f"{ACTIONS[action]}: {count} product{'s' if count != 1 else ''}",
            "action": action, "action_label": ACTIONS[action], "count": count,
            "shown": list(queryset.order_by("style_code")[:SHOWN_ON_CONFIRM]),
            "form": form, "select_across": select_across,
            # The admin wants the ids ticked on the page even when every match is chosen.
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "action_name": _bulk_action(action).__name__,
            "action_checkbox_name": ACTION_CHECKBOX_NAME, "form_url": request.get_full_path(),
        }
        return TemplateResponse(request, TEMPLATES + "confirm.html", context)

    def bulk_job_view(self, request, job_id):
        job = get_object_or_404(Job, pk=job_id, kind=BULK_KIND)
        if job.user_id != request.user.pk and not request.user.is_superuser:
            raise Http404  # another user's job looks like none
        results = (job.report or {}).get("results", [])
        refused_first = sorted(results, key=lambda r: r["ok"])
        page = Paginator(refused_first, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        action = job.params.get("action")
        channels = job.params.get("channels")
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "title": f"{ACTIONS.get(action, action)}: {len(job.params.get('product_ids', []))} "
                     f"products", "job": job, "page": page, "refresh": not job.finished,
            "channels": (list(Channel.objects.filter(pk__in=channels).order_by("code"))
                         if channels else None),
            "fields": job.params.get("fields") or {},
        }
        return TemplateResponse(request, TEMPLATES + "job.html", context)


@admin.register(Job)
class JobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Jobs: each staff user's own background jobs (bulk work, imports), newest first."""

    list_display = ("created", "what", "status", "progress", "finished_at")
    list_filter = ("kind", "status")
    list_display_links = None

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (
            obj is None or obj.user_id == request.user.pk)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user=request.user)

    @admin.display(description="started", ordering="created_at")
    def created(self, job):
        return job.created_at

    @admin.display(description="job")
    def what(self, job):
        if job.kind == BULK_KIND:
            action = job.params.get("action")
            url = reverse("admin:catalog_product_bulk_job", args=[job.pk])
            label = f"{ACTIONS.get(action, action)}: {len(job.params.get('product_ids', []))} products"
        elif job.kind == "products_import":
            url = reverse("admin:catalog_product_import_job", args=[job.pk])
            label = f"Import of {job.filename}"
        else:
            return job.kind
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description="progress")
    def progress(self, job):
        return f"{job.done} of {job.total}" if job.total else "—"
