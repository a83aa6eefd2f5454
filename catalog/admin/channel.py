from django import forms
from django.conf import settings
from django.contrib import admin
from django_countries import countries

from catalog.models import MAX_PHOTOS_PER_COLOUR, Channel
from media.renditions.operations import InvalidSpecError
from media.renditions.specs import RenditionSpec

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
            widget=forms.SelectMultiple(attrs={"size": 10}),
            help_text="Countries sold to: each needs a shipping cost and delivery time.",
        )
        self.fields["renditions"] = forms.CharField(
            required=False, widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
            help_text="One rendition spec per line, e.g. fill-800x1000|format-webp|quality-80.",
        )
        if self.instance.pk and not self.is_bound:
            self.initial["renditions"] = "\n".join(self.instance.renditions or [])

    def clean_renditions(self):
        specs, errors = [], []
        for line in self.cleaned_data["renditions"].splitlines():
            if not line.strip():
                continue
            try:
                RenditionSpec.parse(line.strip())
            except InvalidSpecError as exc:
                errors.append(str(exc))
            else:
                specs.append(line.strip())
        if errors:
            raise forms.ValidationError(errors)
        return list(dict.fromkeys(specs))

    def clean_min_photos(self):
        value = self.cleaned_data["min_photos"]
        if value is not None and value > MAX_PHOTOS_PER_COLOUR:
            raise forms.ValidationError(
                f"A colour has at most {MAX_PHOTOS_PER_COLOUR} photos: the minimum cannot be "
                f"{value}."
            )
        return value

    def clean_description_max_length(self):
        value = self.cleaned_data["description_max_length"]
        if value == 0:
            raise forms.ValidationError("Leave empty for no limit, or give at least 1 character.")
        return value


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    form = ChannelForm
    list_display = ("name", "code", "locales", "markets", "min_photos", "description_max_length")
