"""The translator's workplace: the English source read-only beside the fields of their own
locales, nothing else. What may be saved is enforced here, on the server: a POST carrying any
other field (another locale, the source, anything that is not a translation) is refused whole.
"""
import difflib
import re
from html import unescape

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.html import escape, format_html, format_html_join, mark_safe
from modeltranslation.utils import build_localized_fieldname

from catalog.models import (
    Colour,
    Product,
    ProductTranslation,
    TranslationStamp,
    TranslatorAssignment,
)
from catalog.models.fields import sanitize_editorial_html
from catalog.selectors import (
    cover_thumbnail_url,
    products_with_cover,
    translation_sources_before,
    translation_waiting,
)
from catalog.services.products import StaleProductError, product_version_check
from catalog.services.translations import (
    translation_confirm,
    translation_locales,
    translations_write,
)
from catalog.translation import PRODUCT_TRANSLATED_FIELDS

from .translation_files import TranslationFilesAdminMixin, request_translator_locales
from .widgets import EditorialEditorAdminMixin

SOURCE = settings.SOURCE_LANGUAGE
LOCALE_LABELS = dict(settings.LANGUAGES)
# Keys every admin change form posts besides its fields.
FORM_KEYS = {"csrfmiddlewaretoken", "loaded_version", "_save", "_continue", "_addanother",
             "_popup", "_changelist_filters", "_to_field"}
INLINE_PREFIX = "colours"
HTML_FIELDS = {"description"}


def _field(name: str, locale: str) -> str:
    return build_localized_fieldname(name, locale)


def allowed_keys(locales: list[str], colour_forms: int) -> set[str]:
    keys = {_field(name, loc) for name in PRODUCT_TRANSLATED_FIELDS for loc in locales}
    keys |= {f"{INLINE_PREFIX}-{key}" for key in ("TOTAL_FORMS", "INITIAL_FORMS",
                                                  "MIN_NUM_FORMS", "MAX_NUM_FORMS")}
    for i in range(colour_forms):
        keys |= {f"{INLINE_PREFIX}-{i}-id", f"{INLINE_PREFIX}-{i}-product"}
        keys |= {f"{INLINE_PREFIX}-{i}-{_field('name', loc)}" for loc in locales}
    keys |= {confirm_field(loc) for loc in locales}
    return keys | FORM_KEYS


def confirm_field(locale: str) -> str:
    return _field("confirm", locale)


def refused_keys(post, locales: list[str]) -> list[str]:
    """Keys of a POST that this translator may not send."""
    try:
        colour_forms = int(post.get(f"{INLINE_PREFIX}-TOTAL_FORMS", 0))
    except ValueError:
        return [f"{INLINE_PREFIX}-TOTAL_FORMS"]
    allowed = allowed_keys(locales, min(colour_forms, 1000))
    return sorted(key for key in post if key not in allowed)


class TranslationForm(forms.ModelForm):
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # {locale: [outdated field names]} of the product, set per request by the admin.
    outdated: dict[str, list[str]] = {}

    class Meta:
        model = ProductTranslation
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
        for locale, names in self.outdated.items():
            self.fields[confirm_field(locale)] = forms.MultipleChoiceField(
                choices=[(n, n.replace("_", " ")) for n in names], required=False,
                widget=forms.CheckboxSelectMultiple,
                label=f"{LOCALE_LABELS.get(locale, locale)}: still right as written",
                help_text="The English text changed since these were translated. Tick the ones "
                          "that need no change; rewrite the others above.",
            )

    def clean(self):
        cleaned = super().clean()
        try:
            product_version_check(product_id=self.instance.pk,
                                  expected_version=cleaned.get("loaded_version"))
        except StaleProductError as exc:
            raise ValidationError(exc.messages, code="stale") from None
        return cleaned


class ColourTranslationInline(admin.TabularInline):
    model = Colour
    fk_name = "product"
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name = "colour name"
    verbose_name_plural = "colour names"

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return bool(request_translator_locales(request))

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("catalog.view_producttranslation")

    def get_fields(self, request, obj=None):
        return ["code", "source_name", *(_field("name", loc) for loc in request_translator_locales(request))]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "source_name"]

    @admin.display(description="English")
    def source_name(self, colour):
        return getattr(colour, _field("name", SOURCE))


_TAG = re.compile(r"<[^>]+>")
_WORDS = re.compile(r"\S+|\s+")


def _plain(text: str, html: bool) -> str:
    return " ".join(unescape(_TAG.sub(" ", text)).split()) if html else text


def source_diff(before: str, now: str, *, html: bool = False) -> str:
    """The English text when it was translated and now, side by side, the words that changed
    marked: removed ones struck in the first, added ones in the second."""
    old, new = _WORDS.findall(_plain(before, html)), _WORDS.findall(_plain(now, html))
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False
                                                      ).get_opcodes():
        removed, added = escape("".join(old[i1:i2])), escape("".join(new[j1:j2]))
        if op == "equal":
            left.append(removed)
            right.append(added)
            continue
        if removed:
            left.append(f'<del style="background:#fdd">{removed}</del>')
        if added:
            right.append(f'<ins style="background:#dfd">{added}</ins>')
    column = ('<div style="flex:1;min-width:16em"><p class="help" style="margin:0">{}</p>'
              '<div class="readonly" lang="en" style="white-space:pre-wrap">{}</div></div>')
    return format_html(
        '<div class="translation-diff" style="display:flex;gap:1.5em;flex-wrap:wrap">{}{}</div>',
        format_html(column, "When it was translated", mark_safe("".join(left))),
        format_html(column, "Now", mark_safe("".join(right))),
    )


def _source_display(name: str):
    html = name in HTML_FIELDS

    def show(self, obj):
        text = getattr(obj, _field(name, SOURCE)) or ""
        before = getattr(obj, "translation_sources_before", {}).get(name)
        if before is not None:
            return source_diff(before, text, html=html)
        if html and text:
            # Stored sanitised; cleaned again here so that the page never trusts the database.
            return format_html('<div class="readonly" lang="en">{}</div>',
                               mark_safe(sanitize_editorial_html(text)))
        return format_html('<div class="readonly" lang="en" style="white-space:pre-wrap">{}</div>',
                           text or "—")

    show.short_description = f"{Product._meta.get_field(name).verbose_name} (English)"
    show.__name__ = f"source_{name}"
    return show


class TranslationWaitingFilter(admin.SimpleListFilter):
    title = "translation"
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [("waiting", "Waiting for translation in my locales"),
                ("missing", "Missing in my locales"), ("outdated", "Outdated in my locales")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        waiting = translation_waiting(locales=request_translator_locales(request))
        if self.value() == "waiting":
            ids = [pk for pk, state in waiting.items() if state]
        else:
            ids = [pk for pk, state in waiting.items()
                   if any(state_of.get(self.value()) for state_of in state.values())]
        return queryset.filter(pk__in=ids)


class ProductTranslationAdmin(EditorialEditorAdminMixin, TranslationFilesAdminMixin,
                              admin.ModelAdmin):
    form = TranslationForm
    inlines = [ColourTranslationInline]
    list_display = ("style_code", "source_name", "translation_state")
    list_filter = (TranslationWaitingFilter, "status")
    search_fields = ("style_code", "name_en")
    list_per_page = 50
    ordering = ("style_code",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and bool(request_translator_locales(request))

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(status=Product.Status.ARCHIVED)

    @admin.display(description="name (English)", ordering="name_en")
    def source_name(self, obj):
        return obj.name_en

    @admin.display(description="my locales")
    def translation_state(self, obj):
        state = self._waiting.get(obj.pk, {}) if hasattr(self, "_waiting") else {}
        parts = []
        for locale in self._locales:
            problems = state.get(locale, {})
            # Both counted, so a row listed under "Outdated" says so even when something
            # else is missing too.
            label = ", ".join(f"{len(problems[kind])} {kind}" for kind in ("missing", "outdated")
                              if problems.get(kind)) or "done"
            parts.append((locale, label))
        return format_html_join(" · ", "{}: {}", parts)

    def changelist_view(self, request, extra_context=None):
        # Computed once per page, for the rows shown (see get_changelist_instance).
        self._locales = request_translator_locales(request)
        if not self._locales:
            messages.warning(request, "No locale is assigned to you yet: ask a content manager.")
        return super().changelist_view(request, extra_context)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        ids = [p.pk for p in changelist.result_list]
        self._waiting = translation_waiting(locales=self._locales, product_ids=ids)
        return changelist

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            return None
        waiting = translation_waiting(locales=request_translator_locales(request),
                                      product_ids=[obj.pk]).get(obj.pk, {})
        obj.translation_outdated = {loc: state["outdated"] for loc, state in waiting.items()
                                    if state["outdated"]}
        hashes = {}
        stamps = TranslationStamp.objects.filter(
            product=obj, colour__isnull=True, photo__isnull=True,
            locale__in=list(obj.translation_outdated))
        for stamp in stamps.order_by("locale"):
            if stamp.field in obj.translation_outdated.get(stamp.locale, []):
                hashes.setdefault(stamp.field, stamp.source_hash)
        obj.translation_sources_before = translation_sources_before(product_id=obj.pk,
                                                                    hashes=hashes)
        cover = products_with_cover(Product.objects.filter(pk=obj.pk)).values(
            "cover_asset_id", "cover_thumbnail").first() or {}
        obj.cover_asset_id = cover.get("cover_asset_id")
        obj.cover_thumbnail = cover.get("cover_thumbnail")
        return obj

    @admin.display(description="photo")
    def cover_photo(self, obj):
        url = cover_thumbnail_url(obj)
        if url:
            return format_html('<img src="{}" alt="{}" class="translation-cover" '
                               'style="max-height:240px;max-width:192px;object-fit:contain;'
                               'background:#f4f4f4">', url, obj.name_en or obj.style_code)
        if obj.cover_asset_id:
            return format_html('<span class="help">{}</span>', "thumbnail on its way…")
        return format_html('<span class="help">{}</span>', "no photo yet")

    def _offered(self, obj) -> list[str]:
        """Translated fields with an English text: nothing to translate in the others."""
        return [name for name in PRODUCT_TRANSLATED_FIELDS
                if obj is None or getattr(obj, _field(name, SOURCE))]

    def get_fieldsets(self, request, obj=None):
        locales = request_translator_locales(request)
        fieldsets = [(None, {"fields": ("style_code", "cover_photo", "loaded_version")})]
        for name in self._offered(obj):
            label = str(Product._meta.get_field(name).verbose_name).capitalize()
            fieldsets.append((label, {
                "fields": (f"source_{name}", *(_field(name, loc) for loc in locales)),
            }))
        outdated = self._outdated(request, obj)
        if outdated:
            fieldsets.insert(1, ("Outdated translations", {
                "fields": [confirm_field(loc) for loc in outdated],
            }))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return ("style_code", "cover_photo",
                *(f"source_{name}" for name in PRODUCT_TRANSLATED_FIELDS))

    def _outdated(self, request, obj) -> dict[str, list[str]]:
        return getattr(obj, "translation_outdated", {}) if obj is not None else {}

    def get_form(self, request, obj=None, change=False, **kwargs):
        locales = request_translator_locales(request)
        kwargs["fields"] = ["loaded_version", *(_field(name, loc) for name in
                                                self._offered(obj) for loc in locales)]
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"outdated": self._outdated(request, obj)})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id:
            locales = request_translator_locales(request)
            refused = refused_keys(request.POST, locales)
            if refused:
                names = ", ".join(LOCALE_LABELS.get(loc, loc) for loc in locales) or "no locale"
                messages.error(request, (
                    f"Refused, nothing was saved: you translate into {names} only, and the form "
                    f"also carried {', '.join(refused[:12])}{'…' if len(refused) > 12 else ''}."
                ))
                return HttpResponseRedirect(request.path)
        extra_context = {**(extra_context or {}),
                         "translator_locales": request_translator_locales(request)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        pass  # saved with its colour names in save_related, through translations_write

    def save_related(self, request, form, formsets, change):
        locales = request_translator_locales(request)
        product_texts = {}
        for name in PRODUCT_TRANSLATED_FIELDS:
            for locale in locales:
                if (field := _field(name, locale)) in form.cleaned_data:
                    product_texts.setdefault(name, {})[locale] = form.cleaned_data[field]
        colour_names = {}
        for formset in formsets:
            formset.new_objects, formset.deleted_objects = [], []
            formset.changed_objects = [(f.instance, f.changed_data) for f in formset.forms
                                       if f.instance.pk and f.has_changed()]
            for colour, changed in formset.changed_objects:
                colour_names[colour.pk] = {loc: getattr(colour, _field("name", loc))
                                           for loc in locales if _field("name", loc) in changed}
        product = Product.objects.get(pk=form.instance.pk)
        translations_write(product=product, user=request.user,
                           expected_version=form.cleaned_data.get("loaded_version"),
                           product_texts=product_texts, colour_names=colour_names)
        form.instance.version = product.version
        for locale in form.outdated:
            confirmed = form.cleaned_data.get(confirm_field(locale))
            if confirmed:
                translation_confirm(product=product, locale=locale, fields=confirmed,
                                    user=request.user)


for _name in PRODUCT_TRANSLATED_FIELDS:
    setattr(ProductTranslationAdmin, f"source_{_name}", _source_display(_name))
admin.site.register(ProductTranslation, ProductTranslationAdmin)


@admin.register(TranslatorAssignment)
class TranslatorAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "locale_list")
    search_fields = ("user__username",)
    autocomplete_fields = ()
    list_select_related = ("user",)

    class form(forms.ModelForm):  # noqa: N801
        locales = forms.MultipleChoiceField(
            choices=[(code, LOCALE_LABELS[code]) for code in translation_locales()],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Assign at least one locale."},
        )

        class Meta:
            model = TranslatorAssignment
            fields = ("user", "locales")

    @admin.display(description="locales")
    def locale_list(self, obj):
        return ", ".join(LOCALE_LABELS.get(code, code) for code in obj.locales)
