from django import forms
from django_countries import countries

from catalog.models import ContentField


class ContentFieldsFormMixin:
    """Shows a JSON list of content fields as checkboxes."""

    content_field_names: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.content_field_names:
            if name in self.fields:
                self.fields[name] = forms.MultipleChoiceField(
                    choices=ContentField.choices,
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                    label=self.fields[name].label,
                    help_text=self.fields[name].help_text,
                )


class OneRatePerMarketMixin:
    """A formset of shipping rates: a market listed twice in one save is refused on its row."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("country"):
                continue
            country = data["country"]
            if country in seen:
                form.add_error("country", f"{countries.name(country)} is listed twice: "
                                          "give each market one rate.")
            seen.add(country)


class ShippingRateFormSet(OneRatePerMarketMixin, forms.BaseInlineFormSet):
    pass
