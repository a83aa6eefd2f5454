"""Wash and care as ISO 3758 pictograms to click: one row of radio buttons per care group.

Each choice shows our own SVG pictogram (``catalog/care/<choice>.svg``, the set the store
screens show) with its name as the image's text, so that a screen reader reads the name; the
radios stay in the page's tab order and arrow keys move between a group's pictograms.
"""
from django import forms

from catalog.models.choices import CARE_GROUPS


class CarePictogramWidget(forms.RadioSelect):
    template_name = "admin/catalog/widgets/care_pictograms.html"
    option_template_name = "admin/catalog/widgets/care_pictogram_option.html"

    class Media:
        css = {"all": ["catalog/care/care.css"]}


class CarePictogramAdminMixin:
    """For an admin with the product's care fields: pictograms instead of drop-downs."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in CARE_GROUPS:
            kwargs["widget"] = CarePictogramWidget
            field = super().formfield_for_dbfield(db_field, request, **kwargs)
            field.choices = [("", "No symbol"), *CARE_GROUPS[db_field.name].choices]
            return field
        return super().formfield_for_dbfield(db_field, request, **kwargs)
