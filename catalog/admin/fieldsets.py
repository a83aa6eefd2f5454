"""The admin's fieldset (``admin/includes/fieldset.html``) written in Python.

The product page shows eight fieldsets of some forty fields, most in four locales: through
the template engine, the tags around each field (its label, errors and help in their
``div``) cost more than the field's widget. :func:`fieldset_html` writes Django's markup with
the same classes, ids and text; the template's indentation is not kept (the page's HTML goes
without it, ``product_page.html_compacted``). It serves only while the template the engine
finds is Django's own: a project or app that overrides it gets its template.
"""
from __future__ import annotations

from pathlib import Path

import django
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

FIELDSET_TEMPLATE = "admin/includes/fieldset.html"
_OWN = Path(django.__file__).parent / "contrib" / "admin" / "templates" / FIELDSET_TEMPLATE


def fieldset_template_is_own() -> bool:
    try:
        return Path(get_template(FIELDSET_TEMPLATE).origin.name) == _OWN
    except TemplateDoesNotExist:
        return False


def _bound(field, name: str):
    """``field.field.<name>`` as the template reads it: a bound field's attribute, a read-only
    field's dict entry, empty when missing."""
    if isinstance(field.field, dict):
        return field.field.get(name, "")
    return getattr(field.field, name, "")


def _field_html(field, single: bool) -> list[str]:
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
            out.append(format_html('\n<div class="readonly">{}</div>\n', field.contents()))
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


def fieldset_html(fieldset, *, heading_level: int, heading_id: str) -> str:
    """A fieldset of an admin form (``helpers.Fieldset``) as ``admin/includes/fieldset.html``
    writes it, its heading ``heading_id``."""
    out = [format_html('<fieldset class="module aligned {}"', fieldset.classes)]
    if fieldset.name:
        out.append(format_html(' aria-labelledby="{}"', heading_id))
    out.append(">\n")
    if fieldset.name:
        out.append("<details><summary>" if fieldset.is_collapsible else "")
        out.append(format_html('\n<h{} id="{}" class="fieldset-heading">{}</h{}>\n',
                               heading_level, heading_id, fieldset.name, heading_level))
        out.append("</summary>" if fieldset.is_collapsible else "")
        out.append("\n")
    if fieldset.description:
        out.append(format_html('\n<div class="description">{}</div>\n',
                               mark_safe(fieldset.description)))
    for line in fieldset:
        fields = list(line)
        single = len(line.fields) == 1
        classes = " errors" if single and line.errors() else ""
        classes += "" if line.has_visible_field else " hidden"
        classes += "".join(f" field-{conditional_escape(name)}" for field in fields
                           if (name := _bound(field, "name")))
        out.append(f'\n<div class="form-row{classes}">\n')
        out.append(line.errors() if single else '<div class="flex-container form-multiline">')
        out.append("\n")
        for field in fields:
            out += _field_html(field, single)
        out.append("\n" if single else "\n</div>")
        out.append("\n</div>\n")
    out.append("\n</details>" if fieldset.name and fieldset.is_collapsible else "\n")
    out.append("\n</fieldset>\n")
    return mark_safe("".join(out))
