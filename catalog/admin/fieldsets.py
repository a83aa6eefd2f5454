"""The admin's fieldset (``admin/includes/fieldset.html``, and nested_admin's
``nesting/admin/includes/inline.html`` for a stacked inline's row) written in Python.

The product page shows eight fieldsets of some forty fields, most in four locales, and each
colour's own: through the template engine, the tags around each field (its label, errors and
help in their ``div``) cost more than the field's widget. :func:`fieldset_html` writes the
templates' markup with the same classes, ids and text; their indentation is not kept (the
page's HTML goes without it, ``product_page.html_compacted``). It serves only while the
template the engine finds is the library's own: a project that overrides it gets its
template.
"""
from __future__ import annotations

from pathlib import Path

import django
import nested_admin
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

FIELDSET_TEMPLATE = "admin/includes/fieldset.html"
INLINE_FIELDSET_TEMPLATE = "nesting/admin/includes/inline.html"
_OWN = {
    FIELDSET_TEMPLATE: Path(django.__file__).parent / "contrib" / "admin" / "templates",
    INLINE_FIELDSET_TEMPLATE: Path(nested_admin.__file__).parent / "templates",
}


def fieldset_template_is_own(name: str = FIELDSET_TEMPLATE) -> bool:
    try:
        return Path(get_template(name).origin.name) == _OWN[name] / name
    except TemplateDoesNotExist:
        return False


def _bound(field, name: str):
    """``field.field.<name>`` as the template reads it: a bound field's attribute, a read-only
    field's dict entry, empty when missing."""
    if isinstance(field.field, dict):
        return field.field.get(name, "")
    return getattr(field.field, name, "")


def _field_html(field, single: bool, readonly_tag: str) -> list[str]:
    name, readonly = _bound(field, "name"), field.is_readonly
    errors = "" if readonly else field.errors()
    out = ["\n<div>\n"]
    if not single and not readonly:
        out.append(errors)
    classes = ""
    if not single:
        classes += " fieldBox"
        classes += f" field-{conditional_escape(name)}" if name else ""
        classes += " errors" if errors else ""
        classes += " hidden" if _bound(field, "is_hidden") else ""
    classes += " checkbox-row" if field.is_checkbox else ""
    out.append(f'\n<div class="flex-container{classes}">\n')
    if field.is_checkbox:
        out += [str(field.field), field.label_tag(), "\n"]
    else:
        out += ["\n", field.label_tag(), "\n"]
        if readonly:
            out.append(format_html(readonly_tag, field.contents()))
        else:
            out += ["\n", str(field.field), "\n"]
    out.append("\n</div>\n")
    if help_text := _bound(field, "help_text"):
        id_for_label = _bound(field, "id_for_label")
        out.append(format_html(
            '\n<div class="help{}"{}>\n<div>{}</div>\n</div>\n',
            " hidden" if _bound(field, "is_hidden") else "",
            format_html(' id="{}_helptext"', id_for_label) if id_for_label else "",
            mark_safe(help_text)))
    out.append("\n</div>\n")
    return out


def fieldset_html(fieldset, *, heading_level: int, heading_id: str = "", inline_form=None,
                  last: bool = False) -> str:
    """A fieldset of an admin form (``helpers.Fieldset``) as ``admin/includes/fieldset.html``
    writes it, its heading ``heading_id``; or, given ``inline_form`` (the row of a stacked
    inline, an ``InlineAdminForm``), as nested_admin's ``inline.html`` writes that row's
    fieldset, ``last`` if it is the row's last."""
    if inline_form is None:
        out = [format_html('<fieldset class="module aligned {}"', fieldset.classes)]
        if fieldset.name:
            out.append(format_html(' aria-labelledby="{}"', heading_id))
        heading = format_html(' id="{}"', heading_id)
        readonly_tag, last_row = '\n<div class="readonly">{}</div>\n', ""
    else:
        out = [format_html('<fieldset class="module aligned djn-module {}{}"', fieldset.classes,
                           " has-inlines" if getattr(inline_form.form, "inlines", None) else "")]
        heading, readonly_tag = "", "\n<p>{}</p>\n"
        last_row = " djn-form-row-last" if last else ""
    out.append(">\n")
    if fieldset.name:
        out.append("<details><summary>" if fieldset.is_collapsible else "")
        out.append(format_html('\n<h{}{} class="fieldset-heading">{}</h{}>\n',
                               heading_level, heading, fieldset.name, heading_level))
        out.append("</summary>" if fieldset.is_collapsible else "")
        out.append("\n")
    if fieldset.description:
        out.append(format_html('\n<div class="description">{}</div>\n',
                               mark_safe(fieldset.description)))
    lines = list(fieldset)
    for number, line in enumerate(lines, start=1):
        fields = list(line)
        single = len(line.fields) == 1
        classes = " errors" if single and line.errors() else ""
        classes += "" if line.has_visible_field else " hidden"
        classes += "".join(f" field-{conditional_escape(name)}" for field in fields
                           if (name := _bound(field, "name")))
        classes += last_row if number == len(lines) else ""
        out.append(f'\n<div class="form-row{classes}">\n')
        out.append(line.errors() if single else '<div class="flex-container form-multiline">')
        out.append("\n")
        for field in fields:
            out += _field_html(field, single, readonly_tag)
        out.append("\n" if single else "\n</div>")
        out.append("\n</div>\n")
    out.append("\n</details>" if fieldset.name and fieldset.is_collapsible else "\n")
    out.append("\n</fieldset>\n")
    return mark_safe("".join(out))
