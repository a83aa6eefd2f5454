from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from pim.theme import theme_variables_changed

register = template.Library()


@register.simple_tag
def theme_style(theme):
    """The active theme's CSS variables that pim/admin-theme.css does not already hold."""
    changed = theme_variables_changed(theme)
    if not changed:
        return ""
    declarations = "".join(f"{name}:{escape(value)};" for name, value in changed.items())
    return mark_safe(f"<style>:root .admin-interface{{{declarations}}}</style>")
