"""Field types that carry a domain rule, so the admin, imports and the API all get it."""
import re
import unicodedata

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

# Bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069): invisible, they
# make a text display in another order than it is stored ("Trojan Source"), so no catalog text
# keeps them. Right-to-left text needs none of them: the script's own direction applies.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


def bidi_controls_removed(value):
    # Every text is cleaned on each clean and save: translating it character by character
    # cost an import more than the rest of its field's checks, so only a text holding a
    # control is translated (found by one search, none in an ASCII text).
    if not isinstance(value, str):
        return value
    if type(value) is str and (value.isascii() or not _BIDI_CONTROL.search(value)):
        return value
    return value.translate(BIDI_CONTROLS)

# Editorial HTML: structure and emphasis only. No script, no event handlers, no style.
EDITORIAL_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "a"}
EDITORIAL_ATTRIBUTES = {"a": {"href", "title"}}


def sanitize_editorial_html(value: str) -> str:
    if not value:
        return value
    return nh3.clean(
        bidi_controls_removed(value),
        tags=EDITORIAL_TAGS,
        attributes=EDITORIAL_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


class SanitizedHTMLField(models.TextField):
    """Rich text that is cleaned on every save, whatever path the value came by."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length:  # a TextField's max_length binds forms only; services too
            self.validators.append(MaxLengthValidator(self.max_length))

    def pre_save(self, model_instance, add):
        value = sanitize_editorial_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def clean(self, value, model_instance):
        return super().clean(sanitize_editorial_html(value), model_instance)


class PlainTextMixin:
    """Text without bidirectional controls, removed on every clean and save."""

    def to_python(self, value):
        return bidi_controls_removed(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = bidi_controls_removed(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class PlainCharField(PlainTextMixin, models.CharField):
    pass


class PlainTextField(PlainTextMixin, models.TextField):
    """Free text of bounded length: ``max_length`` is enforced by services, not only forms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length:
            self.validators.append(MaxLengthValidator(self.max_length))


def validate_visible(value: str) -> None:
    """A name shows something: not only spaces, zero-width or other invisible characters."""
    if value and not any(unicodedata.category(c)[0] not in "ZC" for c in value):
        raise ValidationError(
            "A name needs at least one visible character, not only spaces or invisible ones.",
            code="invisible",
        )


class NameField(PlainCharField):
    """A name shown to customers, in every locale it is given."""

    default_validators = [validate_visible]


def ascii_digits(value: str) -> str:
    """Decimal digits of any script (Arabic-Indic, fullwidth...) as ASCII; the rest unchanged.

    Superscript and circled digits are not decimal digits: they stay, for a validator to refuse.
    """
    if value.isascii():
        return value  # the common case, and a thousand-line stock batch checks every GTIN
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in value)


def gtin_normalize(value: str) -> str:
    """A GTIN-8/12/13/14 as its 14-digit form, so UPC-A and EAN-13 of one item match.

    Digits typed in another script count as the same digits, so a copy of a stored GTIN in
    fullwidth digits is the same barcode. Anything else comes back unpadded, for the validator
    to refuse.
    """
    digits = ascii_digits("".join(str(value).split()))
    return digits.zfill(14) if _is_gtin_length(digits) else digits


def _is_gtin_length(digits: str) -> bool:
    return digits.isascii() and digits.isdigit() and len(digits) in (8, 12, 13, 14)


def gtin_check_digit(body: str) -> int:
    # Weights 3, 1, 3... from the body's last digit (checked for every variant of a file).
    total = 3 * sum(map(int, body[-1::-2])) + sum(map(int, body[-2::-2]))
    return (10 - total % 10) % 10


def validate_gtin(value: str) -> None:
    raw = "".join(str(value).split())
    if not _is_gtin_length(raw):
        raise ValidationError(
            "“%(value)s” is not a GTIN: use 8, 12 (UPC-A), 13 (EAN-13) or 14 digits.",
            code="gtin_format",
            params={"value": value},
        )
    expected = gtin_check_digit(raw[:-1])
    if int(raw[-1]) != expected:
        raise ValidationError(
            "GTIN %(value)s has a wrong check digit: it ends in %(got)s, the digits before "
            "it give %(expected)s.",
            code="gtin_check_digit",
            params={"value": value, "got": raw[-1], "expected": expected},
        )


class GTINField(models.CharField):
    """Stored as 14 digits; accepts EAN-13, UPC-A, GTIN-8 and GTIN-14 with a valid check digit."""

    default_validators = [validate_gtin]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 14)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return gtin_normalize(value) if value else value

    def get_prep_value(self, value):
        if type(value) is str and len(value) == 14 and value.isascii() and value.isdigit():
            return value  # already the stored form (every value a checked row carries)
        value = super().get_prep_value(value)
        return gtin_normalize(value) if value else value
