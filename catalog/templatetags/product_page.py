"""Tags of the product page's templates."""
from django import template

from catalog.admin.fieldsets import INLINE_FIELDSET_TEMPLATE, fieldset_html, fieldset_template_is_own

register = template.Library()


@register.simple_tag
def inline_fieldset_html(fieldset, inline_admin_form, heading_level, last):
    """A stacked inline row's fieldset written in Python (:mod:`catalog.admin.fieldsets`), or
    None where nested_admin's template for it is not its own."""
    if not fieldset_template_is_own(INLINE_FIELDSET_TEMPLATE):
        return None
    return fieldset_html(fieldset, heading_level=heading_level or 2,
                         inline_form=inline_admin_form, last=last)
