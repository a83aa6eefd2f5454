from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models

from catalog.models import Channel

from .forms import ContentFieldsFormMixin


def _formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ChannelForm(ContentFieldsFormMixin, forms.ModelForm):
    content_field_names = ("required_fields",)

    class Meta:
        model = Channel
        fields = "__all__"
        formfield_callback = _formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locales"] = forms.MultipleChoiceField(
            choices=settings.LANGUAGES, widget=forms.CheckboxSelectMultiple
        )


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    form = ChannelForm
    list_display = ("name", "code", "locales", "min_photos")
