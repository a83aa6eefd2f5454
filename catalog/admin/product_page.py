"""The product page's layout: its sections as tabs, one locale switcher, the errors at the top.

The page is rendered whole (every tab's fields are in the form that posts); ``product_page.js``
shows one tab and one locale beside the English source at a time, and takes the links of the
error summary and of the completeness panel to their field.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from itertools import islice
from types import SimpleNamespace

import nested_admin.nested
from django import forms
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.contrib.admin.utils import flatten_fieldsets
from django.forms.forms import NON_FIELD_ERRORS, BaseForm
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject, empty
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname
from nested_admin.templatetags.nested_admin import form_index, formsetsort

from catalog.admin.fieldsets import fieldset_html, fieldset_template_is_own
from catalog.models import (
    Colour,
    CompositionLine,
    ProductPhoto,
    ProductTransition,
    ProductVideo,
    ShippingRate,
    SizeChartRow,
    SocialImage,
)

# (key, label, the fieldsets it shows, the inlines it shows by their model), in the order a
# merchandiser works. A fieldset or inline no tab names goes to the first tab.
PRODUCT_PAGE_TABS = (
    ("identity", "Identity", ("Identity",), ()),
    ("composition", "Composition", ("Fabric and material",), (CompositionLine,)),
    ("fit", "Fit and size", ("Fit and size",), (SizeChartRow,)),
    ("care", "Care", ("Wash and care",), ()),
    ("editorial", "Editorial", ("Editorial",), ()),
    ("logistics", "Logistics", ("Logistics",), (ShippingRate,)),
    ("colours", "Colours and photos", (), (Colour,)),
    ("media", "Video and social", (), (ProductVideo, SocialImage)),
    ("ratings", "Ratings", ("Customer ratings",), ()),
    ("history", "History", ("Record",), (ProductTransition,)),
)


class SharedChoicesSelect(forms.Select):
    """A select that carries only its chosen option; the page loads all the options once, in
    a script the browser keeps (:func:`shared_choices_script`), and ``product_page.js`` fills
    them in when the select is opened. A country list in every shipping row was a quarter of
    the page, in the page once still 10 KB."""

    def __init__(self, key: str, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.key = key
        self._options = {}  # str(value): (index, subindex, value, label), shared by the copies

    def __deepcopy__(self, memo):
        # Each row's form has its copy; the lookup built for the first row serves the others
        # (the widget is made per request, so the list and its language stay the same).
        copied = super().__deepcopy__(memo)
        copied._options = self._options
        return copied

    def optgroups(self, name, value, attrs=None):
        # Only the chosen option is built (the first match, as a single select takes it); the
        # choices are gone through once for the page, not once a row.
        if not self._options:
            for index, (option_value, label) in enumerate(self.choices):
                grouped = isinstance(label, (list, tuple))
                options = label if grouped else [("" if option_value is None else option_value,
                                                  label)]
                for subindex, (subvalue, sublabel) in enumerate(options):
                    self._options.setdefault(str(subvalue), (
                        index, subindex if grouped else None, subvalue, sublabel))
        for chosen in value:
            if found := self._options.get(str(chosen)):
                index, subindex, subvalue, sublabel = found
                return [(None, [self.create_option(name, subvalue, sublabel, True, index,
                                                   subindex=subindex, attrs=attrs)], index)]
        return []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-choices"] = self.key
        return context


class SharedChoicesInlineMixin:
    """For an inline: ``shared_choices`` fields as :class:`SharedChoicesSelect`."""

    shared_choices: tuple[str, ...] = ()

    def get_formset(self, request, obj=None, **kwargs):
        widgets = {name: SharedChoicesSelect(f"{self.model._meta.model_name}-{name}")
                   for name in self.shared_choices}
        kwargs["widgets"] = {**widgets, **kwargs.get("widgets", {})}
        return super().get_formset(request, obj, **kwargs)


class StoredForm(SimpleLazyObject):
    """A stored row's form, built when something first uses it; until then it knows only its
    index in the formset. The page sends the stored rows and photos after a list's first as
    data made from their records (:func:`stored_values`), so that on a page not posted most
    rows' forms are never built; whatever does use one gets the real form."""

    def __init__(self, build, *, index: int):
        super().__init__(build)
        self.__dict__["stored_index"] = index

    @property
    def is_built(self) -> bool:
        return self._wrapped is not empty


def _unbuilt(form) -> bool:
    return isinstance(form, StoredForm) and not form.is_built


class StoredRowsOnDemandMixin:
    """For a formset: on a page not posted, its stored rows after the first are
    :class:`StoredForm` (the first is the template the browser copies)."""

    def _construct_form(self, i, **kwargs):
        if self.is_bound or not 0 < i < self.initial_form_count():
            return super()._construct_form(i, **kwargs)
        return StoredForm(functools.partial(super()._construct_form, i, **kwargs), index=i)


class StoredRowsOnDemandInlineMixin:
    """For an inline whose stored rows the page sends as data: a tabular inline of text and
    number inputs (``tabular_rows.html``) or the photo grid (``photo_grid.html``)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (StoredRowsOnDemandMixin, formset), {})


class FormsetPerRequestInlineMixin:
    """For an inline of the page: its formset class made once a request for the same
    permissions and arguments. nested_admin asks a nested inline for it for each colour, and
    modeltranslation once more for its fieldsets: each time a form class of its fields,
    built anew. The class depends on the row it is asked for (a colour, or none for the new
    colour's) only through the user's permissions on it, part of the key; the page's inlines
    have no other rule by row."""

    def get_formset(self, request, obj=None, **kwargs):
        try:
            key = (type(self), self.has_add_permission(request, obj),
                   self.has_change_permission(request, obj),
                   self.has_delete_permission(request, obj),
                   self.has_view_permission(request, obj), tuple(sorted(kwargs.items())))
            hash(key)
        except TypeError:  # an argument that cannot be a key: made as always
            return super().get_formset(request, obj, **kwargs)
        made = request.__dict__.setdefault("_page_formset_classes", {})
        if key not in made:
            made[key] = super().get_formset(request, obj, **kwargs)
        return made[key]


def stored_values(form_class, instance, names) -> list:
    """The values the fields ``names`` of an unbound ``form_class`` for ``instance`` would
    show (``BoundField.value()``), without building the form: the form's initial data is its
    model's fields (``model_to_dict``), read as Django's form reads them."""
    opts = form_class._meta
    initial = SimpleNamespace(initial=model_to_dict(instance, opts.fields, opts.exclude))
    fields = form_class.base_fields
    return [fields[name].prepare_value(BaseForm.get_initial_for_field(initial, fields[name], name))
            for name in names]


def _with_nested(formsets):
    """The formsets and those nested in them: a new row's (on the formset) and each row's."""
    for formset in formsets:
        yield formset
        nested = list(getattr(formset, "nested_formsets", ()))
        for form in formset.forms:
            if not _unbuilt(form):  # a form not built has no nested formsets
                nested += getattr(form, "nested_formsets", ())
        yield from _with_nested(nested)


def _shared_choice_fields(inlines):
    """(key, model field) of every shared choice list of these inline classes and of those
    nested in them."""
    for inline in inlines:
        for name in getattr(inline, "shared_choices", ()):
            yield f"{inline.model._meta.model_name}-{name}", inline.model._meta.get_field(name)
        yield from _shared_choice_fields(getattr(inline, "inlines", ()))


@functools.lru_cache(maxsize=32)
def shared_choices_script(inlines: tuple, language: str) -> tuple[str, str]:
    """(digest, script) of the shared option lists of these inlines in this language: the
    script sets ``window.ppChoices`` to {key: a select holding the options}. The lists are
    fixed (a model field's choices, the countries), so a process makes them once."""
    with translation.override(language):
        lists = {key: forms.Select(choices=field.formfield().choices).render(key, None)
                 for key, field in _shared_choice_fields(inlines)}
    script = "window.ppChoices = %s;\n" % json.dumps(lists, sort_keys=True)
    return hashlib.sha256(script.encode()).hexdigest()[:16], script


_KEPT = re.compile(r"(<(textarea|pre|script)\b.*?</\2>)", re.S | re.I)
_INDENT = re.compile(r"[ \t]*\n\s*")
_DESCRIBED = re.compile(r' aria-describedby="([^"]*)"')
_ID = re.compile(r' id="([^"]+)"')


# Found by its name first: a look-behind tried at every character took two of the five
# milliseconds of the compaction.
_FORMSET_DATA = re.compile(r'data-inline-formset="([^"\']*)"')
_FIELD_TAG = re.compile(r'<(?:input|select)\b[^>]*?\sname="([^"]+)"[^>]*>')


def _auto_id_dropped(match) -> str:
    # Django's own id for a field ("id_" and its name): product_form.js gives it back in the
    # browser, before any other script runs. A thousand of them were a tenth of the page.
    return match[0].replace(f' id="id_{match[1]}"', "", 1)


def _single_quoted(match) -> str:
    # Django escapes ' as &#x27;, so the JSON's quotes can stand as they are.
    if not match.string[match.start() - 1:match.start()].isspace():  # not the attribute
        return match[0]
    return "data-inline-formset='%s'" % match[1].replace("&quot;", '"')


def html_compacted(html: str) -> str:
    """The page without its templates' indentation (text areas, pre and scripts kept as they
    are), without references to help texts that are not on the page (tabular rows show
    their help in the column header), and with nested_admin's formset data (JSON, a kilobyte
    a formset, half of it ``&quot;``) in a single-quoted attribute. Inputs and selects lose
    the id Django gives a field by its name (``product_form.js`` gives it back)."""
    parts = _KEPT.split(html)
    # split() gives text, then for each match the whole match and its tag name.
    out = [part if i % 3 else _INDENT.sub("\n", part) for i, part in enumerate(parts)
           if i % 3 != 2]
    html = "".join(out)
    ids = set(_ID.findall(html))

    def described(match):
        kept = " ".join(i for i in match[1].split() if i in ids)
        return f' aria-describedby="{kept}"' if kept else ""

    html = _FORMSET_DATA.sub(_single_quoted, _DESCRIBED.sub(described, html))
    return _FIELD_TAG.sub(_auto_id_dropped, html)


def _compact_response(response):
    charset = response.charset or "utf-8"
    response.content = html_compacted(response.content.decode(charset)).encode(charset)


def photo_editor_form(inline_admin_formsets):
    """A photo formset's new-row form, whose role and alt text rows stand for every stored
    photo's editor (``photo_editor.html``), or None without photos to edit."""
    return next((formset.empty_form for formset in _with_nested(
        inline.formset for inline in inline_admin_formsets if inline.has_change_permission)
        if formset.model is ProductPhoto), None)


@dataclass
class PageTab:
    key: str
    label: str
    fieldsets: list = field(default_factory=list)  # (index, Fieldset) of the admin form
    inlines: list = field(default_factory=list)  # InlineAdminFormSet
    errors: int = 0

    def fieldsets_html(self) -> list[str] | None:
        """The tab's fieldsets written in Python (:mod:`catalog.admin.fieldsets`), or None
        where the admin's fieldset template is not Django's own."""
        if not fieldset_template_is_own():
            return None
        return [fieldset_html(fieldset, heading_level=2, heading_id=f"fieldset-0-{index}-heading")
                for index, fieldset in self.fieldsets]


@dataclass
class PageError:
    tab: str
    target: str  # the HTML id the link opens
    label: str
    message: str


def page_locales() -> list[tuple[str, str]]:
    """The locales the switcher offers beside the source, as (field suffix, name)."""
    return [(build_localized_fieldname("", code).lstrip("_"), name)
            for code, name in settings.LANGUAGES if code != settings.SOURCE_LANGUAGE]


def page_tabs(adminform, inline_admin_formsets) -> list[PageTab]:
    tabs = {key: PageTab(key, label) for key, label, _, _ in PRODUCT_PAGE_TABS}
    tab_of_fieldset = {name: key for key, _, names, _ in PRODUCT_PAGE_TABS for name in names}
    tab_of_model = {model: key for key, _, _, models in PRODUCT_PAGE_TABS for model in models}
    first = PRODUCT_PAGE_TABS[0][0]
    for index, fieldset in enumerate(adminform):
        tabs[tab_of_fieldset.get(fieldset.name, first)].fieldsets.append((index, fieldset))
    for inline in inline_admin_formsets:
        tabs[tab_of_model.get(inline.opts.model, first)].inlines.append(inline)
    return [tab for tab in tabs.values() if tab.fieldsets or tab.inlines]


def _field_names(fieldset) -> list[str]:
    names = []
    for line in fieldset.fields:
        names.extend(line if isinstance(line, (list, tuple)) else [line])
    return names


def _form_errors(form, tab: str, where: str, row_target: str) -> list[PageError]:
    found = []
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            found += [PageError(tab, row_target, where, message) for message in errors]
            continue
        label = f"{where} › {form.fields[name].label or name}" if where else str(
            form.fields[name].label or name)
        found += [PageError(tab, form[name].auto_id or row_target, label, message)
                  for message in errors]
    return found


def _formset_errors(formset, tab: str, where: str) -> list[PageError]:
    name = str(formset.model._meta.verbose_name_plural)
    where = f"{where} › {name}" if where else name.capitalize()
    group = f"{formset.prefix}-group"
    found = [PageError(tab, group, where, message) for message in formset.non_form_errors()]
    for number, form in enumerate(formset.forms, start=1):
        row = f"{where} #{number}"
        found += _form_errors(form, tab, row, form.prefix)
        for nested in getattr(form, "nested_formsets", ()):
            found += _formset_errors(nested, tab, row)
    return found


def page_errors(adminform, tabs: list[PageTab]) -> list[PageError]:
    """Every error of the posted page, each with the tab and the HTML id it is shown at.

    Errors of the whole form (a stale save) are the admin's own note above the tabs.
    """
    form = adminform.form
    if not form.is_bound:
        return []
    found = []
    for tab in tabs:
        mine = []
        names = {n for _, fieldset in tab.fieldsets for n in _field_names(fieldset)}
        for name, errors in form.errors.items():
            if name in names:
                label = form.fields[name].label if name in form.fields else name
                mine += [PageError(tab.key, form[name].auto_id, str(label), message)
                         for message in errors]
        for inline in tab.inlines:
            mine += _formset_errors(inline.formset, tab.key, "")
        tab.errors = len(mine)
        found += mine
    return found


@dataclass
class TabularRow:
    html: str  # the row's <tbody>
    is_empty: bool  # the template of a new row
    cell_count: int


def _tabular_row_html(inline, admin_form, fields, *, is_empty: bool, handlers: str,
                      cell_count: int) -> str:
    """A row of ``tabular_rows.html``, in nested_admin's tabular markup, written in Python:
    through the template engine, its tags cost more than the row's widgets."""
    form, original = admin_form.form, admin_form.original
    shown = bool(original or admin_form.show_url)
    classes = ["djn-tbody", *([] if is_empty else ["djn-item"]), "djn-inline-form",
               *(inline.opts.classes or ()), *(["has_original"] if shown else []),
               *(["djn-empty-form", "empty-form"] if is_empty else [])]
    index = "empty" if is_empty else str(form_index(form))
    out = [format_html('<tbody class="{}" data-inline-model="{}" data-is-initial="{}" id="{}-{}">',
                       " ".join(classes), inline.inline_model_id,
                       "true" if form[inline.formset._pk_field.name].value() else "false",
                       inline.formset.prefix, index)]
    if errors := form.non_field_errors():
        out.append(format_html('\n<tr><td class="djn-td" colspan="{}"><ul class="errorlist">'
                               "<li>{}</li></ul></td></tr>", cell_count, errors))
    out.append(format_html('\n<tr class="djn-tr form-row{}"><td class="original{}">',
                           " has_original" if shown else "",
                           " is-sortable" if inline.opts.sortable_field_name else ""))
    if shown:
        out.append(format_html("<p>{}{}</p>", original or "", format_html(
            ' <a href="{}">{}</a>', admin_form.absolute_url, _("View on site"))
            if admin_form.show_url else ""))
    if inline.opts.sortable_field_name:
        out.append(mark_safe('<span class="djn-drag-handler"></span>'))
    if admin_form.needs_explicit_pk_field():
        out.append(str(admin_form.pk_field().field))
    out += [f" {bound}" for bound in fields if bound.is_hidden]
    out.append("</td>")
    for bound in fields:
        if not bound.is_hidden:
            out.append(format_html('\n<td class="djn-td field-{}">{}{}</td>', bound.name,
                                   bound.errors.as_ul() if bound.errors else "", bound))
    if inline.formset.can_delete:
        if original:
            out.append(format_html('\n<td class="delete djn-delete-handler {}">{}</td>',
                                   handlers, admin_form.deletion_field().field))
        else:
            out.append(format_html('\n<td class="delete"><div><a class="inline-deletelink '
                                   'djn-remove-handler {}" href="javascript:void(0)">{}</a>'
                                   "</div></td>", handlers, _("Remove")))
    out.append("\n</tr></tbody>")
    return mark_safe("".join(out))


_PLAIN_INPUTS = ("django/forms/widgets/text.html", "django/forms/widgets/number.html")


def _data_row(form_class, index: int, record, names) -> list:
    """A stored row as ``product_form.js`` reads it: its form index, its name (the
    ``original`` cell), then the values of its inputs in their order (its id first), made
    from the record as its form would show them."""
    fields = form_class.base_fields
    values = [fields[name].widget.format_value(value)
              for name, value in zip(names, stored_values(form_class, record, names))]
    return [index, str(record), record.pk, *values]


def _form_index(form) -> int:
    return form.stored_index if isinstance(form, StoredForm) else form_index(form)


# As json_script escapes them, so that the data cannot close its <script>.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _data_script(attribute: str, source: str, rows: list) -> str:
    """``rows`` in a JSON <script> naming the row or tile ``source`` they are copies of."""
    data = json.dumps(rows, cls=DjangoJSONEncoder, separators=(",", ":"))
    return format_html('<script {}="{}" type="application/json">{}</script>', attribute, source,
                       mark_safe(data.translate(_JSON_SCRIPT_ESCAPES)))


def _data_rows_html(source: str, rows: list) -> str:
    """Stored rows of a tabular inline as data: ``product_form.js`` copies the row ``source``
    (the first stored one, written out) for each, under its index and with its values. A
    variant row in markup weighed a kilobyte."""
    return _data_script("data-pp-rows", source, rows)


class ProductPageInlineAdminFormSet(nested_admin.nested.NestedInlineAdminFormset):
    """nested_admin's inline on the page.

    Its media is its first row's (with that row's nested inlines) instead of every row's: the
    rows of a formset share their widgets, as Django's ``BaseFormSet.media`` assumes too.
    Asking every row built each row's admin form and nested inlines once more before the page
    rendered them: a fifth of the page's time. :meth:`tabular_rows` serves
    ``tabular_rows.html``.
    """

    _media_rows = None

    def _set_inline_admin_form_nested_attrs(self, inline_admin_form):
        # A row of an inline without nested inlines has none to set; its form stays unbuilt.
        if not (_unbuilt(inline_admin_form.form) and not getattr(self.opts, "inlines", None)):
            super()._set_inline_admin_form_nested_attrs(inline_admin_form)

    _admin_forms = None

    def __iter__(self):
        # The rows are gone through several times (nested_admin's pass over a colour's rows
        # for their prepopulated fields, the template's, the media's): made once.
        if self._admin_forms is None:
            if self._media_rows:
                return islice(super().__iter__(), self._media_rows)
            self._admin_forms = list(super().__iter__())
        return iter(self._admin_forms[:self._media_rows])

    @property
    def media(self):
        self._media_rows = 1
        try:
            return super().media
        finally:
            self._media_rows = None

    def tabular_rows(self) -> list[TabularRow] | None:
        """The rows as nested_admin's tabular template shows them, in its order (by the
        sortable field, rows without a position last), or None where that template's generic
        markup is needed: read-only fields, nested inlines, links to each row's own page."""
        if not self.has_change_permission or self.readonly_fields or getattr(
                self.opts, "inlines", None) or self.opts.show_change_link:
            return None
        names = flatten_fieldsets(self.fieldsets)
        admin_forms = list(self)
        # A form not posted has no position data: its rows keep the queryset's order.
        if (sort := self.opts.sortable_field_name) and self.formset.is_bound:
            positions = [admin_form.form[sort].data for admin_form in admin_forms]
            placed = sorted((int(p), i) for i, p in enumerate(positions) if p and p != "-1")
            order = [i for _, i in placed] + [
                i for i, p in enumerate(positions) if not p or p == "-1"]
            admin_forms = [admin_forms[i] for i in order]
        last = len(admin_forms) - 1
        handlers = " ".join(self.handler_classes)
        rows = []
        cell_count = 1 + len(names) + bool(self.formset.can_delete)  # as the header's
        as_data = self._rows_as_data(names)
        first_stored, data_rows = None, []
        for index, admin_form in enumerate(admin_forms):
            is_empty = index == last and self.has_add_permission
            if as_data and admin_form.original is not None and first_stored is not None:
                data_rows.append(_data_row(self.formset.form, _form_index(admin_form.form),
                                           admin_form.original, names))
                continue
            fields = [admin_form.form[name] for name in names]
            if data_rows:
                rows.append(TabularRow(_data_rows_html(first_stored, data_rows), False, 0))
                data_rows = []
            if admin_form.original is not None and first_stored is None:
                first_stored = f"{self.formset.prefix}-{_form_index(admin_form.form)}"
            rows.append(TabularRow(
                _tabular_row_html(self, admin_form, fields, is_empty=is_empty, handlers=handlers,
                                  cell_count=cell_count), is_empty, cell_count))
        if data_rows:
            rows.append(TabularRow(_data_rows_html(first_stored, data_rows), False, 0))
        return rows

    def photo_tiles(self) -> tuple[list, str]:
        """A photo grid's tiles (``photo_grid.html``) in their order: the forms to write out,
        and the stored photos after the first as data (``<script data-pg-tiles>``, after the
        first) that ``product_form.js`` makes tiles of, copies of the first. A form posted
        back keeps all its tiles, with their editors where they have errors."""
        if self.formset.is_bound:
            return formsetsort(list(self), "position"), ""
        # A form not posted has no position data: its photos keep the queryset's order.
        admin_forms = list(self)
        stored = [admin_form for admin_form in admin_forms if admin_form.original is not None]
        if not self.has_change_permission or len(stored) < 2:
            return admin_forms, ""
        form_class = self.formset.form
        rows = [[_form_index(a.form), *form_class.stored_tile(a.original)] for a in stored[1:]]
        source = f"{self.formset.prefix}-{_form_index(stored[0].form)}"
        script = _data_script("data-pg-tiles", source, rows)
        return [admin_form for admin_form in admin_forms if admin_form not in stored[1:]], script

    def _rows_as_data(self, names) -> bool:
        """Whether the stored rows after the first can go as data (``_data_rows_html``): a
        form not posted, whose fields are all text or number inputs."""
        if self.formset.is_bound or not self.formset.model._meta.auto_field:
            return False
        fields = self.formset.form.base_fields
        return all(fields[name].widget.template_name in _PLAIN_INPUTS for name in names)


class ProductPageAdminMixin:
    """For the product admin: the change page's tabs, locale switcher and error summary."""

    inline_admin_formset_helper_cls = ProductPageInlineAdminFormSet

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["catalog/product_page.css"]},
                                           js=["catalog/product_page.js"])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        tabs = page_tabs(context["adminform"], context["inline_admin_formsets"])
        context["page_tabs"] = tabs
        context["page_errors"] = page_errors(context["adminform"], tabs)
        context["page_locales"] = page_locales()
        digest, _ = shared_choices_script(tuple(self.inlines), translation.get_language())
        context["shared_choices_url"] = "%s?v=%s" % (
            reverse("admin:catalog_product_shared_choices"), digest)
        context["photo_editor_form"] = photo_editor_form(context["inline_admin_formsets"])
        context["photo_new_prefix"] = next((formset.prefix for formset in _with_nested(
            inline.formset for inline in context["inline_admin_formsets"])
            if formset.model is ProductPhoto), None)
        return super().render_change_form(request, context, add=add, change=change,
                                          form_url=form_url, obj=obj)

    def get_urls(self):
        return [path("choices.js", self.admin_site.admin_view(self.shared_choices_view,
                                                               cacheable=True),
                     name="catalog_product_shared_choices"), *super().get_urls()]

    def shared_choices_view(self, request):
        digest, script = shared_choices_script(tuple(self.inlines), translation.get_language())
        response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
        if request.GET.get("v") == digest:  # the address changes with the lists
            patch_cache_control(response, private=True, max_age=365 * 24 * 3600, immutable=True)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if getattr(response, "is_rendered", True):
            return response
        response.add_post_render_callback(_compact_response)
        return response
