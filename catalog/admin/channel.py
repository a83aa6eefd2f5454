from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django_countries import countries

from catalog.models import Channel
from catalog.services.channels import channel_save

from .forms import ContentFieldsFormMixin


class ChannelForm(ContentFieldsFormMixin, forms.ModelForm):
    content_field_names = ("required_fields",)
    webhook_url = forms.URLField(
        required=False, max_length=200, assume_scheme="https",
        help_text=Channel._meta.get_field("webhook_url").help_text,
    )

    class Meta:
        model = Channel
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locales"] = forms.MultipleChoiceField(
            choices=settings.LANGUAGES, widget=forms.CheckboxSelectMultiple
        )
        self.fields["markets"] = forms.MultipleChoiceField(
            choices=list(countries), required=False,
            # The admin's own searchable two-list picker: type to filter 250 countries.
            widget=FilteredSelectMultiple("markets", is_stacked=False),
            help_text="Countries sold to: each needs a shipping cost and delivery time.",
        )
        self.fields["renditions"] = forms.CharField(
            required=False, widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
            help_text="One rendition spec per line, e.g. fill-800x1000|format-webp|quality-80.",
        )
        if self.instance.pk and not self.is_bound:
            self.initial["renditions"] = "\n".join(self.instance.renditions or [])

    def clean_renditions(self):
        # One spec per line; the model checks and canonicalises them.
        return [line.strip() for line in self.cleaned_data["renditions"].splitlines()
                if line.strip()]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    form = ChannelForm
    list_display = ("name", "code", "locales_list", "markets_list", "min_photos",
                    "description_max_length")

    @admin.display(description="locales")
    def locales_list(self, obj):
        return ", ".join(obj.locales)

    @admin.display(description="markets")
    def markets_list(self, obj):
        return ", ".join(obj.markets) or "—"

    def save_model(self, request, obj, form, change):
        channel_save(channel=obj, user=request.user)
