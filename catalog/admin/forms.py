from django import forms

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
