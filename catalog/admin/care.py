"""Wash and care as ISO 3758 pictograms to click: one row of radio buttons per care group.

Each choice shows our own SVG pictogram (``catalog/care/<choice>.svg``, the set the store
screens show) with its name as the image's text, so that a screen reader reads the name; the
radios stay in the page's tab order and arrow keys move between a group's pictograms.
"""
from django import forms
from django.templatetags.static import static
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe

from catalog.models.choices import CARE_GROUPS
from pim.renderers import attrs_html


def _option_html(option: dict, folder: str) -> str:
    """A pictogram: its radio button in a label titled with its name, the image (or "No
    symbol" as text)."""
    id_, value = option["attrs"].get("id"), option["value"]
    label = conditional_escape(option["label"])
    out = ['<label class="care-pictogram"', format_html(' for="{}"', id_) if id_ else "",
           format_html(' title="{}"><input type="{}" name="{}"', label, option["type"],
                       option["name"])]
    if value is not None:
        out.append(f' value="{value if isinstance(value, SafeData) else conditional_escape(str(value))}"')
    out.append(f"{attrs_html(option['attrs'])}>")
    if value:
        out.append(format_html('<img src="{}{}.svg" alt="{}" width="48" height="48">', folder,
                               value, label))
    else:
        out.append(format_html('<span class="care-none">{}</span>', label))
    out.append("</label>\n")  # the labels are inline: the space between them is kept
    return "".join(out)


class CarePictogramWidget(forms.RadioSelect):
    """Radio buttons as pictograms, written in Python: through the template engine, each of
    the page's forty pictograms was a template with its includes."""

    class Media:
        css = {"all": ["catalog/care/care.css"]}

    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        folder = static("catalog/care/")
        options = "".join(_option_html(option, folder) for _, group, _ in widget["optgroups"]
                          for option in group)
        id_ = widget["attrs"].get("id")
        return mark_safe(format_html('<div{} class="care-pictograms" role="radiogroup">',
                                     format_html(' id="{}"', id_) if id_ else "")
                         + options + "</div>")


class CarePictogramAdminMixin:
    """For an admin with the product's care fields: pictograms instead of drop-downs."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in CARE_GROUPS:
            kwargs["widget"] = CarePictogramWidget
            field = super().formfield_for_dbfield(db_field, request, **kwargs)
            field.choices = [("", "No symbol"), *CARE_GROUPS[db_field.name].choices]
            return field
        return super().formfield_for_dbfield(db_field, request, **kwargs)
