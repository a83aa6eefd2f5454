"""The product page's layout: its sections as tabs, one locale switcher, the errors at the top.

The page is rendered whole (every tab's fields are in the form that posts); ``product_page.js``
shows one tab and one locale beside the English source at a time, and takes the links of the
error summary and of the completeness panel to their field.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.forms.forms import NON_FIELD_ERRORS
from modeltranslation.utils import build_localized_fieldname

from catalog.models import (
    Colour,
    CompositionLine,
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


@dataclass
class PageTab:
    key: str
    label: str
    fieldsets: list = field(default_factory=list)  # (index, Fieldset) of the admin form
    inlines: list = field(default_factory=list)  # InlineAdminFormSet
    errors: int = 0


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


class ProductPageAdminMixin:
    """For the product admin: the change page's tabs, locale switcher and error summary."""

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["catalog/product_page.css"]},
                                           js=["catalog/product_page.js"])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        tabs = page_tabs(context["adminform"], context["inline_admin_formsets"])
        context["page_tabs"] = tabs
        context["page_errors"] = page_errors(context["adminform"], tabs)
        context["page_locales"] = page_locales()
        return super().render_change_form(request, context, add=add, change=change,
                                          form_url=form_url, obj=obj)
