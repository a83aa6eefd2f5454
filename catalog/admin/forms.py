import re
from collections import defaultdict

from django import forms
from django.http import QueryDict
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


_POSITION = re.compile(r"^(?P<prefix>.+)-(?P<index>\d+)-position$")


def distinct_positions(data: QueryDict) -> QueryDict:
    """Sortable inline rows' positions as distinct whole numbers, in the order they were posted.

    The page's script always posts them so. A hand-made post may repeat a position or send
    text, which the sortable inlines can neither order when the page comes back with errors
    nor save in a definite order.
    """
    groups = defaultdict(list)
    for key in data:
        if (match := _POSITION.match(key)) and data[key] not in ("", "-1"):
            groups[match["prefix"]].append((int(match["index"]), key, data[key]))
    fixed = None
    for rows in groups.values():
        numbers = [int(value) for _, _, value in rows if value.isdigit()]
        if len(numbers) == len(rows) and len(set(numbers)) == len(numbers):
            continue
        fixed = fixed or data.copy()
        rows.sort(key=lambda row: (int(row[2]) if row[2].isdigit() else float("inf"), row[0]))
        for position, (_, key, _) in enumerate(rows):
            fixed[key] = str(position)
    return fixed or data
