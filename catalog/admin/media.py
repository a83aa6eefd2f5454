"""The product page's media: photos per colour, the video, social-media images; shoot import.

The product admin takes :class:`ProductMediaAdminMixin` (the cover thumbnail in its list;
uploads kept only if the page saves), includes :class:`ProductPhotoInline` in its colour inline
and :class:`ProductVideoInline` and :class:`SocialImageInline` in its own inlines. Forms parse
the rows; their formsets save through the photo services and show the services' refusals on
the rows they concern. The asset library gets the shoot import from here.
"""
from __future__ import annotations

import nested_admin
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from modeltranslation.admin import TranslationInlineModelAdmin
from modeltranslation.utils import build_localized_fieldname

from catalog.admin.forms import BoundedInlineMixin, rows_show_errors
from catalog.admin.product_page import (
    FormsetPerRequestInlineMixin,
    SharedChoicesInlineMixin,
    StoredRowsOnDemandInlineMixin,
    stored_values,
)
from catalog.models import MAX_PHOTOS_PER_COLOUR, ProductPhoto, ProductVideo, SocialImage
from catalog.selectors import cover_thumbnail_url, products_with_cover
from catalog.services.errors import ContentError
from catalog.services.photos import (
    colour_photos_check,
    photo_add,
    photo_remove,
    photo_reorder,
    photo_update,
    social_image_add,
    social_image_remove,
    social_image_update,
    video_remove,
    video_set,
)
from catalog.services.shoots import NAME_CONVENTION, photos_import, uploaded_shoot_files
from media import conf as media_settings
from media.admin import (
    AssetAdmin,
    AssetFieldsInlineMixin,
    MultipleFileField,
    check_upload,
    label_assets_of,
    thumbnail_html,
)
from media.models import Asset
from media.selectors import rendition_url, thumbnail_prefetch, thumbnail_url
from media.services import file_sha256, stored_files_rollback


def _alt_texts(form) -> dict[str, str] | None:
    """The row's alt text in each locale the form shows."""
    from django.conf import settings

    texts = {code: form.cleaned_data[name] for code, _ in settings.LANGUAGES
             if (name := build_localized_fieldname("alt_text", code)) in form.cleaned_data}
    return texts or None


def _upload_field(form, name):
    """A refused image that came as an upload on its row is shown at the upload."""
    return "upload" if name == "asset" and form.cleaned_data.get("upload") else name


def _live_forms(formset) -> list:
    """The rows that will be kept, in their new order."""
    sort = getattr(formset, "sortable_field_name", None) or "position"
    live = [f for f in formset.forms
            if f.cleaned_data and not formset._should_delete_form(f)]
    return sorted(live, key=lambda f: (f.cleaned_data.get(sort) or 0, formset.forms.index(f)))


class ServiceFormSet(nested_admin.formsets.NestedInlineFormSet):
    """An inline formset whose rows are written by services, not by ``ModelForm.save``.

    Subclasses implement ``add``, ``change`` and ``remove`` (and may ``reorder``). Deletions
    go first, so that a save which removes a row and adds another stays within limits.
    """

    user = None  # set by the admin

    def validate_unique(self):
        """Uniqueness across rows is a rule of the services (checked in ``clean``)."""

    def save(self, commit=True):
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        self.saved_forms = []
        for form in self.initial_forms:
            if self._should_delete_form(form) and form.instance.pk:
                self.deleted_objects.append(form.instance)
                self.remove(form.instance)
        kept = []
        sort = getattr(self, "sortable_field_name", None)
        for form in _live_forms(self):
            if form in self.initial_forms:
                if sort:  # the row keeps its stored place until ``reorder`` gives the new one
                    setattr(form.instance, sort, form.initial.get(sort))
                # A row that only moved is saved by ``reorder``.
                if [name for name in form.changed_data if name != sort]:
                    self.changed_objects.append((form.instance, form.changed_data))
                    self.change(form, form.instance)
                kept.append(form.instance)
            else:
                obj = self.add(form)
                form.instance = obj
                self.new_objects.append(obj)
                kept.append(obj)
        self.reorder(kept)
        return kept

    def reorder(self, objects) -> None:
        pass


# ----------------------------------------------------------------------------- forms
class LibraryImageForm(forms.ModelForm):
    """An image row that takes a new upload or an asset already in the library."""

    upload = forms.FileField(required=False, help_text="A new image, or choose one below.")
    missing_message = "Upload an image or choose one from the library."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "asset" in self.fields:
            self.fields["asset"].required = False
        label_assets_of(self, "asset")

    def has_changed(self):
        return super().has_changed() or bool(self.files.get(self.add_prefix("upload")))

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            check_upload(upload, Asset.Kind.IMAGE)
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("upload") and not cleaned.get("asset") and "upload" not in self.errors:
            raise ValidationError(self.missing_message)
        return cleaned

    def _post_clean(self):
        # Constraints across rows (each image once...) are the services' to decide.
        self._validate_unique = False
        super()._post_clean()

    def image_given(self) -> dict:
        """The row's image for a service: ``file=`` a new upload or ``asset=`` a library one."""
        if upload := self.cleaned_data.get("upload"):
            return {"file": upload}
        if "asset" in self.changed_data or not self.instance.pk:
            return {"asset": self.cleaned_data.get("asset")}
        return {}

    def image_sha256(self) -> str | None:
        if upload := self.cleaned_data.get("upload"):
            return file_sha256(upload)
        asset = self.cleaned_data.get("asset")
        return asset.sha256 if asset else None


class PhotoInlineForm(LibraryImageForm):
    missing_message = "Upload a photo or choose one from the library."

    class Meta:
        model = ProductPhoto
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = "A new photo, or choose one below."

    @staticmethod
    def photo_thumbnail(photo):
        """The photo's admin thumbnail, sized by the grid's style sheet."""
        asset = photo.asset if photo.asset_id else None
        if asset is not None and (url := thumbnail_url(asset)):
            return format_html('<img src="{}" alt="" loading="lazy">', url)
        return thumbnail_html(asset)  # made now, or "on its way"

    @staticmethod
    def photo_caption(photo):
        """The tile's caption after its number: the role, and a warning without English alt
        text."""
        return format_html("{}{}", photo.get_role_display(), "" if photo.alt_text_en else mark_safe(
            ' <span class="pg-warn" title="no English alt text">· no alt text</span>'))

    @classmethod
    def editor_names(cls) -> list[str]:
        """The fields of a photo's editor: its image, role and alt texts."""
        return ["asset", "role", *(name for name in cls.base_fields if name.startswith("alt_text_"))]

    @classmethod
    def stored_tile(cls, photo) -> list:
        """A stored photo's tile as ``product_form.js`` reads it, from its record as the form
        would show it: id, position, thumbnail, caption, editor values."""
        names = cls.editor_names()
        values = stored_values(cls, photo, names)
        return [photo.pk, photo.position, cls.photo_thumbnail(photo), cls.photo_caption(photo),
                [[name, value] for name, value in zip(names, values) if value not in (None, "")]]

    def thumbnail(self):
        return self.photo_thumbnail(self.instance)

    def caption(self):
        return self.photo_caption(self.instance)

    def editor_data(self) -> list:
        """:meth:`editor_values` as (name after the row's prefix, value) pairs."""
        return [[name, value] for name in self.editor_names()
                if (value := self[name].value()) not in (None, "")]

    def alt_text_fields(self) -> list:
        """The alt text in each locale, English first, for the photo's editor."""
        return [self[name] for name in self.fields if name.startswith("alt_text_")]

    def editor_values(self):
        """The image, role and alt texts of a closed tile as bare hidden inputs, empty ones left
        out (the form reads a value not posted as empty): ``photo_grid.js`` builds the editor
        from them when the tile is opened. Labelled inputs in four locales for every photo were
        most of the page."""
        values = [(self.add_prefix(name), value) for name, value in self.editor_data()]
        return format_html_join("", '<input type="hidden" name="{}" value="{}">', values)


class PhotoFormSet(ServiceFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = _live_forms(self)
        try:
            colour_photos_check(colour=self.instance, images=[f.image_sha256() for f in rows])
        except ContentError as error:
            if left := rows_show_errors(error, rows, prefix="photos", field_for=_upload_field):
                raise ValidationError(left) from None

    def add(self, form):
        return photo_add(colour=self.instance, role=form.cleaned_data.get("role"),
                         alt_text=_alt_texts(form), user=self.user, **form.image_given())

    def change(self, form, photo):
        return photo_update(photo=photo, role=form.cleaned_data.get("role"),
                            alt_text=_alt_texts(form), user=self.user, **form.image_given())

    def remove(self, photo):
        photo_remove(photo=photo, user=self.user)

    def reorder(self, photos):
        photo_reorder(colour=self.instance, photo_ids=[p.pk for p in photos], user=self.user)


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
        label_assets_of(self, "video", "poster")

    def has_changed(self):
        return super().has_changed() or any(
            self.files.get(self.add_prefix(name)) for name in ("video_upload", "poster_upload"))

    def clean_video_upload(self):
        upload = self.cleaned_data.get("video_upload")
        if upload:
            check_upload(upload, Asset.Kind.VIDEO)
        return upload

    def clean_poster_upload(self):
        upload = self.cleaned_data.get("poster_upload")
        if upload:
            check_upload(upload, Asset.Kind.IMAGE)
        return upload

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("video") or cleaned.get("video_upload")) and "video_upload" not in self.errors:
            self.add_error("video_upload", "Upload a video or choose one from the library.")
        if not (cleaned.get("poster") or cleaned.get("poster_upload")) and "poster_upload" not in self.errors:
            self.add_error("poster_upload", "A video needs a poster image.")
        return cleaned


class VideoFormSet(ServiceFormSet):
    def add(self, form):
        data = form.cleaned_data
        # An upload replaces the asset chosen in the row.
        return video_set(product=self.instance,
                         video=None if data.get("video_upload") else data.get("video"),
                         video_file=data.get("video_upload"),
                         poster=None if data.get("poster_upload") else data.get("poster"),
                         poster_file=data.get("poster_upload"), user=self.user)

    def change(self, form, video):
        return self.add(form)

    def remove(self, video):
        video_remove(video=video, user=self.user)


class SocialImageForm(LibraryImageForm):
    class Meta:
        model = SocialImage
        fields = "__all__"


class SocialImageFormSet(ServiceFormSet):
    def _fields(self, form) -> dict:
        data = form.cleaned_data
        return {"ratio": data.get("ratio"), "focal": (data.get("focal_x"), data.get("focal_y")),
                "alt_text": _alt_texts(form), "user": self.user, **form.image_given()}

    def add(self, form):
        return social_image_add(product=self.instance, **self._fields(form))

    def change(self, form, image):
        return social_image_update(image=image, **self._fields(form))

    def remove(self, image):
        social_image_remove(image=image, user=self.user)

    def reorder(self, images):
        for position, image in enumerate(images, start=1):
            if image.position != position:
                social_image_update(image=image, position=position, user=self.user)


# ----------------------------------------------------------------------------- inlines
class ProductPhotoInline(FormsetPerRequestInlineMixin, StoredRowsOnDemandInlineMixin,
                         SharedChoicesInlineMixin, BoundedInlineMixin, AssetFieldsInlineMixin,
                         TranslationInlineModelAdmin, nested_admin.NestedTabularInline):
    """Photos of one colour as a grid of thumbnails, dragged to reorder, each opening its
    editor; for the catalog's colour inline (``photo_grid.html``, ``photo_grid.js``)."""

    model = ProductPhoto
    form = PhotoInlineForm
    formset = PhotoFormSet
    template = "admin/catalog/product/photo_grid.html"
    shared_choices = ("role",)
    fields = ("upload", "asset", "role", "alt_text", "position")
    raw_id_fields = ("asset",)
    sortable_field_name = "position"
    max_num = MAX_PHOTOS_PER_COLOUR  # how many rows the page offers; the rule is the service's
    absolute_max = MAX_PHOTOS_PER_COLOUR + 1  # an 11th row gets the service's refusal
    validate_max = False
    extra = 0
    verbose_name = "photo"
    verbose_name_plural = (f"photos (at most {MAX_PHOTOS_PER_COLOUR}; drag to reorder, "
                           "click one to edit it)")

    @property
    def media(self):
        return super().media + forms.Media(js=["catalog/photo_grid.js"])

    def get_queryset(self, request):
        return (super().get_queryset(request).select_related("asset", "colour")
                .prefetch_related(thumbnail_prefetch("asset__renditions")))


class ProductVideoInline(BoundedInlineMixin, AssetFieldsInlineMixin,
                         nested_admin.NestedStackedInline):
    model = ProductVideo
    form = VideoInlineForm
    formset = VideoFormSet
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


class SocialImageInline(BoundedInlineMixin, AssetFieldsInlineMixin, TranslationInlineModelAdmin,
                        nested_admin.NestedTabularInline):
    model = SocialImage
    form = SocialImageForm
    formset = SocialImageFormSet
    fields = ("preview", "upload", "asset", "ratio", "focal_x", "focal_y", "alt_text", "position")
    readonly_fields = ("preview",)
    raw_id_fields = ("asset",)
    sortable_field_name = "position"
    extra = 0
    max_num = 12
    verbose_name = "social-media image"
    verbose_name_plural = "social-media images (1:1, 4:5, 9:16 crops)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("asset")

    @admin.display(description="crop")
    def preview(self, obj):
        if not obj or not obj.pk:
            return "—"
        url = rendition_url(asset=obj.asset, spec=f"{obj.spec}|format-webp", generate=True)
        return format_html('<img src="{}" alt="" style="max-height:96px">', url)


# ----------------------------------------------------------------------------- product admin
class ProductMediaAdminMixin:
    """For the product admin: a cover thumbnail column (``cover``) in the list, in the list's
    own query; media rows saved by the services as the editor; files uploaded on the product
    page removed from storage if its save fails.
    """

    def get_queryset(self, request):
        return products_with_cover(super().get_queryset(request))

    @admin.display(description="photo")
    def cover(self, obj):
        url = cover_thumbnail_url(obj)
        if url:
            return format_html('<img src="{}" alt="" loading="lazy" decoding="async" width="48" '
                               'height="60" style="object-fit:contain;background:#f4f4f4">', url)
        if getattr(obj, "cover_asset_id", None):
            from media.tasks import renditions_generate_task

            renditions_generate_task.delay(obj.cover_asset_id,
                                           [media_settings.get("MEDIA_THUMBNAIL_SPEC")])
            return format_html('<span class="help">{}</span>', "thumbnail on its way…")
        return format_html('<span class="help">{}</span>', "no photo")

    def save_formset(self, request, form, formset, change):
        if isinstance(formset, ServiceFormSet):
            formset.user = request.user
        super().save_formset(request, form, formset, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Inline uploads are stored while the page saves: if the save then fails, the
        # database rolls back and this removes the files it had written.
        with stored_files_rollback():
            return super().changeform_view(request, object_id, form_url, extra_context)


# ----------------------------------------------------------------------------- shoot import
class ShootImportForm(forms.Form):
    files = MultipleFileField(
        label="Photos or zip archives of the shoot",
        help_text=f"Named {NAME_CONVENTION}, for example WD-24-0193_BLK_01.jpg. "
                  "A zip may hold folders.",
    )


class ShootImportAssetAdmin(AssetAdmin):
    """The asset library, with the import of a photo shoot onto product colours."""

    change_list_template = "admin/catalog/shoot/asset_change_list.html"
    fields = (*AssetAdmin.fields, "used_by")
    readonly_fields = fields

    @admin.display(description="used by")
    def used_by(self, asset):
        """Every product content that shows this asset, linked to its product page."""
        uses = [
            *((photo.colour.product, f"{photo.colour.name} photo {photo.position} "
               f"({photo.get_role_display()})")
              for photo in asset.photos.select_related("colour__product")),
            *((video.product, "video") for video in asset.videos.select_related("product")),
            *((video.product, "video poster")
              for video in asset.video_posters.select_related("product")),
            *((image.product, f"social image ({image.get_ratio_display()})")
              for image in asset.social_images.select_related("product")),
        ]
        if not uses:
            return "Not used by any product."
        return format_html_join(
            mark_safe("<br>"), '<a href="{}">{} {}</a>: {}',
            ((reverse("admin:catalog_product_change", args=[product.pk]), product.style_code,
              product.name, what) for product, what in uses))

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("import-shoot/", self.admin_site.admin_view(self.import_shoot_view),
                 name="%s_%s_import_shoot" % info),
        ] + super().get_urls()

    def import_shoot_view(self, request):
        if not (self.has_add_permission(request)
                and request.user.has_perm("catalog.add_productphoto")):
            return redirect("admin:index")
        form = ShootImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            try:
                files = uploaded_shoot_files(form.cleaned_data["files"])
            except (ValidationError, OSError) as exc:  # e.g. a damaged zip
                form.add_error("files", " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                report = photos_import(files=files, user=request.user)
                level = messages.WARNING if report.refused else messages.SUCCESS
                self.message_user(request, report.summary(), level)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form,
                   "report": report, "title": "Import a photo shoot",
                   "convention": NAME_CONVENTION}
        return TemplateResponse(request, "admin/catalog/shoot/import_shoot.html", context)


admin.site.unregister(Asset)
admin.site.register(Asset, ShootImportAssetAdmin)
