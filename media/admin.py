"""Media admin: the asset library, shoot import, and what the product page shows of media.

The catalog's product admin takes :class:`ProductMediaAdminMixin` (the cover thumbnail in
its list; uploads kept only if the page saves), includes :class:`ProductPhotoInline` in its
colour inline and :class:`ProductVideoInline` and :class:`SocialImageInline` in its own
inlines. Forms only check and hand over to the media services.
"""
from __future__ import annotations

import hashlib

import nested_admin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from modeltranslation.admin import TranslationInlineModelAdmin

from media import conf as media_settings
from media.models import MAX_PHOTOS_PER_COLOUR, Asset, ProductPhoto, ProductVideo, SocialImage
from media.selectors import (
    cover_thumbnail_url,
    products_with_cover,
    thumbnail_prefetch,
    thumbnail_url,
)
from media.services import asset_ingest, photos_import, stored_files_rollback
from media.services.imports import NAME_CONVENTION, uploaded_shoot_files
from media.validation import inspect_upload


# ----------------------------------------------------------------------------- previews
def thumbnail_html(asset: Asset | None, *, size: int = 80):
    """An <img> of the asset's admin thumbnail; made now when missing and Celery is eager."""
    if asset is None:
        return "—"
    if asset.kind == Asset.Kind.VIDEO:
        return format_html('<video src="{}" width="{}" muted preload="metadata"></video>',
                           asset.file.url, size * 2)
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


def _label_assets_of(form, *names: str) -> None:
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


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _check_upload(upload, kind: str) -> None:
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


class ShootImportForm(forms.Form):
    files = MultipleFileField(
        label="Photos or zip archives of the shoot",
        help_text=f"Named {NAME_CONVENTION}, for example WD-24-0193_BLK_01.jpg. "
                  "A zip may hold folders.",
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
              "size", "colour_profile", "sha256", "file", "uploaded_by", "created_at",
              "renditions_list")
    readonly_fields = fields
    change_list_template = "admin/media/asset/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(thumbnail_prefetch())

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

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("import-shoot/", self.admin_site.admin_view(self.import_shoot_view),
                 name="%s_%s_import_shoot" % info),
        ] + super().get_urls()

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

    def import_shoot_view(self, request):
        if not (self.has_add_permission(request)
                and request.user.has_perm("media.add_productphoto")):
            return redirect("admin:index")
        form = ShootImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            try:
                files = uploaded_shoot_files(form.cleaned_data["files"])
            except (ValidationError, OSError) as exc:  # e.g. a damaged zip
                form.add_error("files", f"The archive could not be read: {exc}")
            else:
                report = photos_import(files=files, user=request.user)
                level = messages.WARNING if report.refused else messages.SUCCESS
                self.message_user(request, report.summary(), level)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form,
                   "report": report, "title": "Import a photo shoot",
                   "convention": NAME_CONVENTION}
        return TemplateResponse(request, "admin/media/asset/import_shoot.html", context)


# ----------------------------------------------------------------------------- inlines
class LibraryImageForm(forms.ModelForm):
    """An image row that takes a new upload or an asset already in the library."""

    upload = forms.FileField(required=False, help_text="A new image, or choose one below.")
    missing_message = "Upload an image or choose one from the library."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "asset" in self.fields:
            self.fields["asset"].required = False
        _label_assets_of(self, "asset")

    def has_changed(self):
        return super().has_changed() or bool(self.files.get(self.add_prefix("upload")))

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            _check_upload(upload, Asset.Kind.IMAGE)
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("upload") and not cleaned.get("asset") and "upload" not in self.errors:
            raise ValidationError(self.missing_message)
        return cleaned

    def _post_clean(self):
        # The asset of an upload is only known once it is stored (in save()).
        if self.cleaned_data.get("upload"):
            self._validate_unique = False
        super()._post_clean()

    def save(self, commit=True):
        if upload := self.cleaned_data.get("upload"):
            self.instance.asset = asset_ingest(file=upload, kind=Asset.Kind.IMAGE)
        return super().save(commit)


class PhotoInlineForm(LibraryImageForm):
    missing_message = "Upload a photo or choose one from the library."

    class Meta:
        model = ProductPhoto
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = "A new photo, or choose one below."

    def clean_upload(self):
        upload = super().clean_upload()
        if upload:
            self.upload_sha256 = _sha256(upload)
            if self.instance.colour_id and ProductPhoto.objects.filter(
                    colour_id=self.instance.colour_id, asset__sha256=self.upload_sha256,
            ).exclude(pk=self.instance.pk).exists():
                raise ValidationError("This photo is already on this colour.")
        return upload

    def _post_clean(self):
        self.instance._photo_limit_checked = True  # by PhotoFormSet, deletions included
        super()._post_clean()


class PhotoFormSet(nested_admin.formsets.NestedInlineFormSet):
    def clean(self):
        super().clean()
        live = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if len(live) > MAX_PHOTOS_PER_COLOUR:
            raise ValidationError(f"A colour has at most {MAX_PHOTOS_PER_COLOUR} photos; "
                                  f"this one would have {len(live)}.")
        seen = set()
        for form in live:
            key = getattr(form, "upload_sha256", None) or form.cleaned_data.get("asset")
            if key in seen:
                form.add_error(None, "The same photo is twice on this colour.")
            seen.add(key)


class ProductPhotoInline(AssetFieldsInlineMixin, TranslationInlineModelAdmin,
                         nested_admin.NestedTabularInline):
    """Photos of one colour, drag-and-drop ordered; for the catalog's colour inline."""

    model = ProductPhoto
    form = PhotoInlineForm
    formset = PhotoFormSet
    fields = ("preview", "upload", "asset", "role", "alt_text", "position")
    readonly_fields = ("preview",)
    raw_id_fields = ("asset",)
    sortable_field_name = "position"
    max_num = MAX_PHOTOS_PER_COLOUR
    validate_max = True
    extra = 0
    verbose_name = "photo"
    verbose_name_plural = f"photos (at most {MAX_PHOTOS_PER_COLOUR}; drag to reorder)"

    def get_queryset(self, request):
        return (super().get_queryset(request).select_related("asset", "colour")
                .prefetch_related(thumbnail_prefetch("asset__renditions")))

    @admin.display(description="")
    def preview(self, obj):
        return thumbnail_html(obj.asset if obj and obj.asset_id else None)


class VideoInlineForm(forms.ModelForm):
    video_upload = forms.FileField(required=False, label="upload a video",
                                   help_text="MP4 or WebM.")
    poster_upload = forms.FileField(required=False, label="upload a poster",
                                    help_text="The still shown before the video plays.")

    class Meta:
        model = ProductVideo
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("video", "poster"):
            if name in self.fields:
                self.fields[name].required = False
        _label_assets_of(self, "video", "poster")

    def has_changed(self):
        return super().has_changed() or any(
            self.files.get(self.add_prefix(name)) for name in ("video_upload", "poster_upload"))

    def clean_video_upload(self):
        upload = self.cleaned_data.get("video_upload")
        if upload:
            _check_upload(upload, Asset.Kind.VIDEO)
        return upload

    def clean_poster_upload(self):
        upload = self.cleaned_data.get("poster_upload")
        if upload:
            _check_upload(upload, Asset.Kind.IMAGE)
        return upload

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("video") or cleaned.get("video_upload")) and "video_upload" not in self.errors:
            self.add_error("video_upload", "Upload a video or choose one from the library.")
        if not (cleaned.get("poster") or cleaned.get("poster_upload")) and "poster_upload" not in self.errors:
            self.add_error("poster_upload", "A video needs a poster image.")
        return cleaned

    def save(self, commit=True):
        if upload := self.cleaned_data.get("video_upload"):
            self.instance.video = asset_ingest(file=upload, kind=Asset.Kind.VIDEO)
        if upload := self.cleaned_data.get("poster_upload"):
            self.instance.poster = asset_ingest(file=upload, kind=Asset.Kind.IMAGE)
        return super().save(commit)


class ProductVideoInline(AssetFieldsInlineMixin, nested_admin.NestedStackedInline):
    model = ProductVideo
    form = VideoInlineForm
    fields = ("previews", ("video_upload", "video"), ("poster_upload", "poster"))
    readonly_fields = ("previews",)
    raw_id_fields = ("video", "poster")
    max_num = 1
    extra = 0
    verbose_name = verbose_name_plural = "video"

    def get_queryset(self, request):
        return (super().get_queryset(request).select_related("video", "poster")
                .prefetch_related(thumbnail_prefetch("poster__renditions")))

    @admin.display(description="")
    def previews(self, obj):
        if not obj or not obj.pk:
            return "—"
        return format_html("{} {}", thumbnail_html(obj.poster, size=160),
                           thumbnail_html(obj.video, size=160))


class SocialImageForm(LibraryImageForm):
    class Meta:
        model = SocialImage
        fields = "__all__"


class SocialImageInline(AssetFieldsInlineMixin, TranslationInlineModelAdmin,
                        nested_admin.NestedTabularInline):
    model = SocialImage
    form = SocialImageForm
    fields = ("preview", "upload", "asset", "ratio", "focal_x", "focal_y", "alt_text", "position")
    readonly_fields = ("preview",)
    raw_id_fields = ("asset",)
    sortable_field_name = "position"
    extra = 0
    verbose_name = "social-media image"
    verbose_name_plural = "social-media images (1:1, 4:5, 9:16 crops)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("asset")

    @admin.display(description="crop")
    def preview(self, obj):
        if not obj or not obj.pk:
            return "—"
        from media.selectors import rendition_url

        url = rendition_url(asset=obj.asset, spec=f"{obj.spec}|format-webp", generate=True)
        return format_html('<img src="{}" alt="" style="max-height:96px">', url)


# ----------------------------------------------------------------------------- product admin
class ProductMediaAdminMixin:
    """For the product admin: a cover thumbnail column (``cover``) in the list, in the list's
    own query, and files uploaded on the product page removed from storage if its save fails.
    """

    def get_queryset(self, request):
        return products_with_cover(super().get_queryset(request))

    @admin.display(description="photo")
    def cover(self, obj):
        url = cover_thumbnail_url(obj)
        if url:
            return format_html('<img src="{}" alt="" style="max-height:60px;max-width:48px;'
                               'object-fit:contain;background:#f4f4f4">', url)
        if getattr(obj, "cover_asset_id", None):
            from media.tasks import renditions_generate_task

            renditions_generate_task.delay(obj.cover_asset_id,
                                           [media_settings.get("MEDIA_THUMBNAIL_SPEC")])
            return format_html('<span class="help">{}</span>', "thumbnail on its way…")
        return format_html('<span class="help">{}</span>', "no photo")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Inline uploads are stored while the page saves: if the save then fails, the
        # database rolls back and this removes the files it had written.
        with stored_files_rollback():
            return super().changeform_view(request, object_id, form_url, extra_context)
