from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models

from catalog.models import Channel

from .forms import ContentFieldsFormMixin


class ChannelForm(ContentFieldsFormMixin, forms.ModelForm):
    content_field_names = ("required_fields",)

    class Meta:
        model = Channel
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locales"] = forms.MultipleChoiceField(
            choices=settings.LANGUAGES, widget=forms.CheckboxSelectMultiple
        )


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    form = ChannelForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "code", "locales", "min_photos")
