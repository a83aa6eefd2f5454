"""The product import and export pages of the admin: thin, over catalog.services.imports.

Upload -> a dry-run job -> its report (every problem by row and column, the file back with
the problem cells marked) -> apply, a second job on the same file. The job page refreshes
itself while the job runs.
"""
from __future__ import annotations

import tempfile

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from catalog.io import products as fmt
from catalog.io.tables import size_text
from catalog.models import Job
from catalog.services.imports import ImportReport, products_export, products_template
from catalog.services.jobs import job_create

IMPORT_KIND = "products_import"
SYNTAX_COLUMNS = ("care", "composition", "size_chart", "shipping", "returns_policy")


class ProductImportForm(forms.Form):
    file = forms.FileField(label="CSV or XLSX file",
                           help_text="One row per variant, in the import format.")
    all_or_nothing = forms.BooleanField(
        required=False, label="All or nothing",
        help_text="Write nothing unless every row of the file is clean.")

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                f"The file is {size_text(upload.size)}; imports take files up to "
                f"{size_text(self.max_bytes)}. Split it, for example by brand or season.")
        return upload


def _export_response(queryset, format: str, filename: str) -> FileResponse:
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    products_export(binary=spool, format=format, products=queryset)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename)


def _export_action(format: str):
    def export(modeladmin, request, queryset):
        return _export_response(queryset, format, f"products.{format}")

    export.__name__ = f"export_{format}"
    export.short_description = f"Export the selected products ({format.upper()})"
    export.allowed_permissions = ("view",)
    return export


class ProductImportAdminMixin:
    """Adds import, export and the format page to ProductAdmin."""

    import_actions = [_export_action("csv"), _export_action("xlsx")]

    def get_actions(self, request):
        actions = super().get_actions(request)
        for action in self.import_actions:
            if self.has_view_permission(request):
                actions[action.__name__] = self.get_action(action)
        return actions

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="%s_%s_import" % info),
            path("import/format/", view(self.import_format_view),
                 name="%s_%s_import_format" % info),
            path("import/template.<str:format>", view(self.import_template_view),
                 name="%s_%s_import_template" % info),
            path("import/<int:job_id>/", view(self.import_job_view),
                 name="%s_%s_import_job" % info),
            path("import/<int:job_id>/marked.xlsx", view(self.import_marked_view),
                 name="%s_%s_import_marked" % info),
            *super().get_urls(),
        ]

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title,
                **extra}

    def import_view(self, request):
        from django.conf import settings

        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ProductImportForm(request.POST or None, request.FILES or None,
                                 max_bytes=settings.PRODUCT_IMPORT_MAX_BYTES)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            job = job_create(kind=IMPORT_KIND, user=request.user, file=upload,
                             filename=upload.name[-200:],
                             params={"dry_run": True,
                                     "all_or_nothing": form.cleaned_data["all_or_nothing"]})
            return redirect(reverse("admin:catalog_product_import_job", args=[job.pk]))
        jobs = Job.objects.filter(kind=IMPORT_KIND, user=request.user)[:10]
        return TemplateResponse(request, "admin/catalog/product/import.html", self._context(
            request, "Import products", form=form, jobs=jobs))

    def _job(self, request, job_id) -> Job:
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(Job, pk=job_id, kind=IMPORT_KIND)
        if job.user_id != request.user.pk and not request.user.is_superuser:
            raise Http404
        return job

    def import_job_view(self, request, job_id):
        job = self._job(request, job_id)
        if request.method == "POST" and job.status == Job.Status.DONE and job.params.get(
                "dry_run") and job.file:
            applied = job_create(kind=IMPORT_KIND, user=request.user, filename=job.filename,
                                 stored_file=job.file.name,
                                 params={**job.params, "dry_run": False,
                                         "dry_run_job": job.pk})
            messages.info(request, "The import is running: the page shows its progress.")
            return redirect(reverse("admin:catalog_product_import_job", args=[applied.pk]))
        report = ImportReport.from_json(job.report) if job.report else None
        return TemplateResponse(request, "admin/catalog/product/import_job.html", self._context(
            request, f"Import of {job.filename}" + (" (dry run)" if job.params.get("dry_run")
                                                     else ""),
            job=job, report=report, refresh=not job.finished))

    def import_marked_view(self, request, job_id):
        job = self._job(request, job_id)
        if not job.result_file:
            raise Http404
        return FileResponse(job.result_file.open("rb"), as_attachment=True,
                            filename=job.result_file.name.rsplit("/", 1)[-1])

    def import_format_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        columns = fmt.columns()
        return TemplateResponse(request, "admin/catalog/product/import_format.html",
                                self._context(request, "Product import format", columns=columns,
                                              clear=fmt.CLEAR,
                                              required=fmt.REQUIRED_COLUMNS))

    def import_template_view(self, request, format):
        if not self.has_view_permission(request) or format not in ("csv", "xlsx"):
            raise Http404
        spool = tempfile.SpooledTemporaryFile()
        products_template(binary=spool, format=format)
        spool.seek(0)
        return FileResponse(spool, as_attachment=True, filename=f"products-template.{format}")
