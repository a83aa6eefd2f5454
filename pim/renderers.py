"""The form renderer: Django's templates, with the plain widgets written out in Python.

A product page renders a thousand inputs and selects; through the template engine each costs
a template render with its includes, most of the page's server time. The widgets below are
Django's own ``input.html``, ``select.html`` (with ``select_option.html``) and
``textarea.html``, a field's ``label.html``, an empty error list and a form of hidden fields
only (``div.html``), written as the same markup in Python, and used only while the template they name is still Django's own: a project
or app that overrides one gets its template. ``tests/project/test_renderers.py`` checks that
both give the same HTML.
"""
from __future__ import annotations

import html
from pathlib import Path

import django
from django.forms.renderers import DjangoTemplates
from django.template import TemplateDoesNotExist
from django.utils.safestring import SafeData, mark_safe

_OWN = Path(django.__file__).parent / "forms" / "templates"
_INPUTS = {f"django/forms/widgets/{name}.html" for name in (
    "checkbox", "color", "date", "datetime", "email", "file", "hidden", "number", "password",
    "search", "tel", "text", "time", "url")}
_SELECT, _OPTION = "django/forms/widgets/select.html", "django/forms/widgets/select_option.html"
_TEXTAREA = "django/forms/widgets/textarea.html"
_LABEL, _LABEL_ATTRS = "django/forms/label.html", "django/forms/attrs.html"
_ERRORS_UL = "django/forms/errors/list/ul.html"
_ERRORS = {_ERRORS_UL, "django/forms/errors/list/default.html"}  # the default includes the ul
_FORM_DIV = "django/forms/div.html"


# Django's escaping, without the checks for lazy text of its decorator: these run for every
# attribute of every widget.
def _e(value) -> str:
    """``conditional_escape``: what has an HTML form gives it, the rest is escaped."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _s(value) -> str:
    """``{{ value|stringformat:'s' }}``: safe text stays as it is, the rest is escaped."""
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


def attrs_html(attrs: dict) -> str:
    """A widget's attributes as ``django/forms/widgets/attrs.html`` writes them."""
    return "".join(
        f" {_e(name)}" + ("" if value is True else f'="{_s(value)}"')
        for name, value in attrs.items() if value is not False)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_s(widget["value"])}"'
    return (f'<input type="{_e(widget["type"])}" '
            f'name="{_e(widget["name"])}"{value}{attrs_html(widget["attrs"])}>')


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{_e(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_e(group_name)}">')
        for option in options:
            if option["template_name"] != _OPTION:
                return None
            parts.append(f'\n  <option value="{_s(option["value"])}"{attrs_html(option["attrs"])}>'
                         f'{_e(option["label"])}</option>\n')  # the file's own
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict) -> str:
    value = _e(widget["value"]) if widget["value"] else ""
    return (f'<textarea name="{_e(widget["name"])}"{attrs_html(widget["attrs"])}>'
            f"\n{value}</textarea>")


def _label(context: dict) -> str:
    if not context["use_tag"]:
        return _e(context["label"])
    tag = _e(context["tag"])
    return f"<{tag}{attrs_html(context['attrs'] or {})}>{_e(context['label'])}</{tag}>"


class FastWidgetRenderer(DjangoTemplates):
    def __init__(self):
        super().__init__()
        self._own: dict[str, bool] = {}

    def _is_own(self, template_name: str) -> bool:
        """Whether the template the engine finds for this name is Django's own file."""
        if template_name not in self._own:
            try:
                origin = self.get_template(template_name).origin.name
            except TemplateDoesNotExist:
                origin = ""
            self._own[template_name] = Path(origin).is_relative_to(_OWN)
        return self._own[template_name]

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        html = None
        if widget is None and isinstance(context, dict):
            if (template_name in _ERRORS and not context.get("errors")
                    and self._is_own(template_name) and self._is_own(_ERRORS_UL)):
                return mark_safe("")  # a field without errors: {% if errors %} writes nothing
            if (template_name == _LABEL and "use_tag" in context and self._is_own(_LABEL)
                    and self._is_own(_LABEL_ATTRS)):
                return mark_safe(_label(context))
            if (template_name == _FORM_DIV and "hidden_fields" in context
                    and not context.get("fields") and not context.get("errors")
                    and self._is_own(_FORM_DIV)):
                # A form of hidden fields only (a formset's management form): the template
                # writes them one after the other, its whitespace stripped.
                return mark_safe("".join(_e(field) for field in context["hidden_fields"]))
        if (widget is not None and self._is_own(template_name)
                and self._is_own("django/forms/widgets/attrs.html")):
            if template_name in _INPUTS and self._is_own("django/forms/widgets/input.html"):
                html = _input(widget)
            elif template_name == _SELECT and self._is_own(_OPTION):
                html = _select(widget)
            elif template_name == _TEXTAREA:
                html = _textarea(widget)
        if html is None:
            return super().render(template_name, context, request)
        return mark_safe(html)
