import re
from collections import defaultdict

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import TOTAL_FORM_COUNT
from django.http import QueryDict
from django.utils.functional import cached_property

from catalog.models import ContentField
from catalog.services.errors import ContentError
from catalog.services.policies import shipping_rates_check, shipping_rates_save


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


def content_error_show(form, error: ContentError, *, fields: dict[str, str] | None = None) -> None:
    """Show a service's refusal on ``form``: each path on its field (``fields`` renames a
    path to the form's name for it), the rest above the form."""
    for path, errors in error.error_dict.items():
        name = (fields or {}).get(path, path)
        form.add_error(name if name in form.fields else None, errors)


class OneRatePerMarketMixin:
    """A formset of shipping rates, checked by ``shipping_rates_check``, each refusal shown on
    its row."""

    def clean(self):
        super().clean()
        rows = [form for form in self.forms if form.is_valid() and form.cleaned_data.get("country")
                and not form.cleaned_data.get("DELETE")]
        for form in rows:
            # Rows of an owner not saved yet carry it unsaved; its save checks them again.
            setattr(form.instance, self.fk.name, self.instance)
        try:
            shipping_rates_check(rates=[form.instance for form in rows], path=())
        except ContentError as error:
            rows_show_errors(error, rows)


class ShippingRateFormSet(OneRatePerMarketMixin, forms.BaseInlineFormSet):
    pass


def shipping_rates_formset_save(formset, *, user) -> None:
    """Save a shipping-rate inline of a brand or a category through ``shipping_rates_save``."""
    rates = formset.save(commit=False)
    shipping_rates_save(rates=rates, removed=formset.deleted_objects, user=user)
# ------------------------------------------------------- inline rows to and from services
def kept_forms(formset) -> list:
    """The forms of the rows the product keeps after this save, in the order posted."""
    return [f for f in formset.forms
            if getattr(f, "cleaned_data", None) and not formset._should_delete_form(f)]


def inline_rows(formset) -> list[dict]:
    """The kept rows as a service takes them: cleaned values by field name, and the row's id."""
    skip = {"id", "DELETE", formset.fk.name}
    return [{**{k: v for k, v in f.cleaned_data.items() if k not in skip}, "id": f.instance.pk}
            for f in kept_forms(formset)]


def inline_changes_note(formset) -> None:
    """What the change message and the log say a formset saved, when a service saved it."""
    kept = kept_forms(formset)
    formset.new_objects = [f.instance for f in kept if f.instance.pk is None]
    formset.changed_objects = [(f.instance, f.changed_data) for f in kept
                               if f.instance.pk and f.has_changed()]
    formset.deleted_objects = [f.instance for f in formset.forms
                               if f.instance.pk and formset._should_delete_form(f)]


def rows_show_errors(error: ValidationError, rows, *, prefix: str = "", field_for=None) -> list:
    """Put a refusal's messages on the rows its paths name (``[<prefix>.]<i>[.<field>]`` on
    ``rows[i]``, on that field where the form has it); return the errors that name no row.
    ``field_for(form, name)`` may rename a path's field to the form's own."""
    rest = []
    head = prefix.split(".") if prefix else []
    for path, errors in error.error_dict.items():
        parts = path.split(".")
        index = parts[len(head)] if parts[:len(head)] == head and len(parts) > len(head) else ""
        if not (index.isdigit() and int(index) < len(rows)):
            rest.extend(errors)
            continue
        form, name = rows[int(index)], ".".join(parts[len(head) + 1:]) or None
        if field_for:
            name = field_for(form, name)
        form.add_error(name if name in form.fields else None, errors)
    return rest


def content_errors_show(formset, error: ValidationError, forms) -> None:
    """Show a refusal keyed by row paths (``"2.size_label"``, as the domain's checks give it)
    on the rows of `forms` and their fields; what names no row is raised for the formset."""
    if rest := rows_show_errors(error, forms):
        raise ValidationError(rest)


_POSITION = re.compile(r"^(?P<prefix>.+)-(?P<index>\d+)-position$")
_ROW_ID = re.compile(r"^.+-\d+-id$")
_LARGEST_ID = 2**63 - 1


def _is_number(value: str) -> bool:
    return value.isascii() and value.isdigit()


def inline_post_cleaned(data: QueryDict) -> QueryDict:
    """A post of the product page as its nested inlines can take it.

    The page's script posts whole-number row ids and distinct whole-number positions. A
    hand-made post may not: a row id that is not a number becomes one that matches no row (the
    row is refused with "Select a valid choice"), and repeated or non-numeric positions are
    renumbered in the order the rows were posted, so the page can come back with its errors
    and saves rows in a definite order.
    """
    fixed = data.copy()
    groups = defaultdict(list)
    for key in data:
        value = data[key]
        if _ROW_ID.match(key) and value and not (_is_number(value) and int(value) <= _LARGEST_ID):
            fixed[key] = "0"
        elif (match := _POSITION.match(key)) and value not in ("", "-1"):
            groups[match["prefix"]].append((int(match["index"]), key, value))
    for rows in groups.values():
        numbers = [int(value) for _, _, value in rows if _is_number(value)]
        if len(numbers) == len(rows) and len(set(numbers)) == len(numbers):
            continue
        rows.sort(key=lambda row: (int(row[2]) if _is_number(row[2]) else float("inf"), row[0]))
        for position, (_, key, _) in enumerate(rows):
            fixed[key] = str(position)
    return fixed


class RowCountCappedMixin:
    """A formset whose post claims more rows than it takes builds only the stored ones: the
    claim is refused ("too_many_forms") and the page comes back at once."""

    def total_form_count(self):
        if (self.is_bound and self.management_form.is_valid()
                and self.management_form.cleaned_data[TOTAL_FORM_COUNT] > self.absolute_max):
            return min(self.initial_form_count(), self.absolute_max)
        return super().total_form_count()


class EmptyFormOnceMixin:
    """A formset whose new-row template (``empty_form``) is built once: Django builds it anew
    at each use, and nested_admin's templates use it at each pass over the rows (three per
    inline on the product page, which has a dozen inlines)."""

    @cached_property
    def empty_form(self):
        return super().empty_form


class BoundedInlineMixin:
    """An inline that builds at most ``absolute_max`` rows (``max_num`` unless set), whatever
    TOTAL_FORMS a post claims, and refuses more with a message naming its rows.

    Django's default cap is a thousand rows above ``max_num``; with nested inlines each row
    builds its own formsets, so a forged count took minutes and gigabytes before its refusal.
    """

    max_num: int
    absolute_max: int | None = None
    validate_max = True

    def get_formset(self, request, obj=None, **kwargs):
        # The declared maximum: the admin sets an instance's max_num to 0 for a user who may
        # not add rows, and the cap must stay at or above what the formset is given.
        kwargs.setdefault("absolute_max", self.absolute_max or type(self).max_num)
        kwargs.setdefault("validate_max", self.validate_max)
        formset = super().get_formset(request, obj, **kwargs)
        formset = type(formset.__name__, (RowCountCappedMixin, EmptyFormOnceMixin, formset), {})
        formset.default_error_messages = {
            "too_many_forms": f"A page may send at most %(num)d "
            f"{self.model._meta.verbose_name_plural} here; this one sent more. Nothing was "
            "saved.",
        }
        return formset
