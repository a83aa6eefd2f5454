"""Media admin: the asset library, and the pieces other apps' admins use to show assets.

:func:`thumbnail_html`, :class:`AssetFieldsInlineMixin` (raw-id asset fields labelled without a
query) and :class:`MultipleFileField` serve whoever links to assets; the library's
:class:`AssetAdmin` can be extended (the catalog adds the shoot import to it).
"""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from media import conf as media_settings
from media.models import Asset
from media.selectors import thumbnail_prefetch, thumbnail_url
from media.services import asset_ingest
from media.validation import inspect_upload


# ----------------------------------------------------------------------------- previews
def thumbnail_html(asset: Asset | None, *, size: int = 80):
    """An <img> of the asset's admin thumbnail; made now when missing and Celery is eager."""
    if asset is None:
        return "—"
    if asset.kind == Asset.Kind.VIDEO:
        return format_html('<video src="{}" width="{}" muted preload="metadata"></video>',
                           original_url(asset), size * 2)
    url = thumbnail_url(asset)
    if url is None:
        from media.tasks import renditions_generate_task

        spec = media_settings.get("MEDIA_THUMBNAIL_SPEC")
        renditions_generate_task.delay(asset.pk, [spec])
        if hasattr(asset, "thumbnail_renditions"):
            del asset.thumbnail_renditions
        url = thumbnail_url(asset)
    if url is None:
        return format_html('<span class="help">{}</span>', "thumbnail on its way…")
    return format_html('<img src="{}" alt="" style="max-height:{}px;max-width:{}px;'
                       'object-fit:contain;background:#f4f4f4">', url, size, size)


def original_url(asset: Asset, *, download: bool = False) -> str:
    """The admin's address of an original: it is served to staff only, never publicly."""
    url = reverse("admin:media_asset_original", args=[asset.pk])
    return f"{url}?download=1" if download else url


class AssetRawIdWidget(ForeignKeyRawIdWidget):
    """The raw-id widget, labelled from the row's own (already loaded) asset.

    Django's looks the asset up again for every row; a colour's ten photos would cost ten
    queries for a label the row already has.
    """

    known: Asset | None = None

    def label_and_url_for_value(self, value):
        known = self.known
        if known is None or str(known.pk) != str(value):
            return super().label_and_url_for_value(value)
        url = reverse(f"admin:{known._meta.app_label}_{known._meta.model_name}_change",
                      args=[known.pk], current_app=self.admin_site.name)
        return Truncator(str(known)).words(14), url


class AssetFieldsInlineMixin:
    """Inlines whose asset fields use :class:`AssetRawIdWidget`, labelled without a query."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.raw_id_fields and db_field.related_model is Asset:
            kwargs["widget"] = AssetRawIdWidget(db_field.remote_field, self.admin_site,
                                                using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def label_assets_of(form, *names: str) -> None:
    for name in names:
        field = form.fields.get(name)
        if field is not None and isinstance(field.widget, AssetRawIdWidget) and getattr(
                form.instance, f"{name}_id", None):
            field.widget.known = getattr(form.instance, name)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def check_upload(upload, kind: str) -> None:
    """Content checks in the form, so that a refusal shows beside the field."""
    inspection = inspect_upload(upload, filename=upload.name)
    if inspection.kind != kind:
        raise ValidationError("Upload an image here." if kind == Asset.Kind.IMAGE
                              else "Upload an MP4 or WebM video here.")
    upload.seek(0)


# ----------------------------------------------------------------------------- library
class AssetUploadForm(forms.Form):
    files = MultipleFileField(
        label="Files",
        help_text="JPEG, PNG, WebP, TIFF, HEIC or AVIF photos; MP4 or WebM videos.",
    )


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ("preview", "original_filename", "kind", "format", "dimensions", "size",
                    "colour_profile", "created_at")
    list_display_links = ("preview", "original_filename")
    list_filter = ("kind", "format")
    search_fields = ("original_filename", "=sha256")
    search_help_text = "File name, or the full SHA-256 of the content."
    list_per_page = 60
    fields = ("preview_large", "original_filename", "kind", "format", "mime_type", "dimensions",
              "size", "colour_profile", "sha256", "original", "uploaded_by", "created_at",
              "renditions_list")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(thumbnail_prefetch())

    def get_urls(self):
        return [path("<path:object_id>/original/", self.admin_site.admin_view(self.original_view),
                     name="media_asset_original"), *super().get_urls()]

    def original_view(self, request, object_id):
        """The original file, to staff who may view assets (originals are not public)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        asset = get_object_or_404(Asset, pk=object_id)
        return FileResponse(asset.file.open("rb"), content_type=asset.mime_type,
                            as_attachment="download" in request.GET,
                            filename=asset.original_filename or asset.file.name.rsplit("/", 1)[-1])

    @admin.display(description="original")
    def original(self, obj):
        return format_html('<a href="{}">{}</a> · <a href="{}">download</a>', original_url(obj),
                           obj.original_filename or obj.sha256[:12],
                           original_url(obj, download=True))

    @admin.display(description="")
    def preview(self, obj):
        return thumbnail_html(obj, size=72)

    @admin.display(description="preview")
    def preview_large(self, obj):
        return thumbnail_html(obj, size=240)

    @admin.display(description="size", ordering="byte_size")
    def size(self, obj):
        return filesizeformat(obj.byte_size)

    @admin.display(description="renditions")
    def renditions_list(self, obj):
        rows = [format_html('<li><a href="{}">{}</a> {}×{} {}</li>', r.url, r.spec, r.width,
                            r.height, filesizeformat(r.byte_size))
                for r in obj.renditions.all()]
        return format_html("<ul>{}</ul>", mark_safe("".join(rows))) if rows else "—"

    def add_view(self, request, form_url="", extra_context=None):
        """Upload one or more files into the library."""
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = AssetUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            added = 0
            for upload in form.cleaned_data["files"]:
                try:
                    asset = asset_ingest(file=upload, user=request.user)
                except ValidationError as exc:
                    self.message_user(request, " ".join(exc.messages), messages.ERROR)
                    continue
                added += 1
                if not asset.is_new:
                    self.message_user(request, f"“{upload.name}” is already in the library as "
                                               f"“{asset}”.", messages.INFO)
            if added:
                self.message_user(request, f"{added} file(s) in the library.", messages.SUCCESS)
            return redirect(reverse("admin:media_asset_changelist"))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form,
                   "title": "Upload to the media library", "has_view_permission": True}
        return TemplateResponse(request, "admin/media/asset/upload.html", context)
