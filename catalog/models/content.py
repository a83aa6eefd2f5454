"""Structured content rows of a product: composition and size chart."""
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .choices import CompositionPart, Fibre

HUNDRED = Decimal(100)


def percent_text(value: Decimal) -> str:
    """50.00 as "50", 33.50 as "33.5": never an exponent ("5E+1")."""
    return f"{Decimal(value).normalize():f}"


def composition_errors(lines) -> dict[int | None, list[ValidationError]]:
    """Each part sums to exactly 100 %, no fibre twice in a part.

    `lines`: (part, fibre, percentage) triples, in order. The errors by line: a fibre listed
    twice is the later line's; a part's sum belongs to no line (key None).
    """
    totals: dict[str, Decimal] = defaultdict(Decimal)
    seen: set[tuple[str, str]] = set()
    errors: dict[int | None, list[ValidationError]] = defaultdict(list)
    for index, (part, fibre, percentage) in enumerate(lines):
        if (part, fibre) in seen:
            errors[index].append(
                ValidationError(
                    "%(part)s lists %(fibre)s twice.",
                    code="composition_duplicate_fibre",
                    params={"part": CompositionPart(part).label, "fibre": Fibre(fibre).label},
                )
            )
        seen.add((part, fibre))
        totals[part] += Decimal(percentage)
    for part, total in totals.items():
        if total != HUNDRED:
            errors[None].append(
                ValidationError(
                    "%(part)s sums to %(total)s %%; each part must sum to exactly 100 %%.",
                    code="composition_sum",
                    params={"part": CompositionPart(part).label, "total": percent_text(total)},
                )
            )
    return dict(errors)


class CompositionLine(models.Model):
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="composition_lines"
    )
    part = models.CharField(max_length=12, choices=CompositionPart.choices, default="shell")
    fibre = models.CharField(max_length=20, choices=Fibre.choices)
    percentage = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(HUNDRED)],
    )
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["part", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "part", "fibre"], name="composition_fibre_once_per_part"
            ),
            models.CheckConstraint(
                condition=models.Q(percentage__gt=0, percentage__lte=100),
                name="composition_percentage_range",
            ),
        ]

    def __str__(self):
        return f"{self.get_part_display()}: {percent_text(self.percentage)} % {self.get_fibre_display()}"


# Sensible measurements, in cm, from a baby's foot to a long coat: outside is a typo.
MEASUREMENT_RANGES_CM = {
    "chest_cm": (10, 250), "waist_cm": (10, 250), "hips_cm": (10, 250),
    "length_cm": (5, 250), "inseam_cm": (5, 150), "foot_length_cm": (5, 40),
}


def measurement_field(label: str, *, max_digits: int = 5) -> models.DecimalField:
    low, high = MEASUREMENT_RANGES_CM[f"{label.replace(' ', '_')}_cm"]
    return models.DecimalField(
        label, max_digits=max_digits, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(low), MaxValueValidator(high)],
        help_text=f"In cm, {low} to {high}.",
    )


class SizeChartRow(models.Model):
    """One size of the product mapped across size systems, with measurements in cm."""

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="size_chart_rows"
    )
    position = models.PositiveSmallIntegerField(default=0)
    size_label = models.CharField(max_length=12, help_text="The label variants use, e.g. M or 38.")
    eu = models.CharField("EU", max_length=8, blank=True)
    it = models.CharField("IT", max_length=8, blank=True)
    fr = models.CharField("FR", max_length=8, blank=True)
    uk = models.CharField("UK", max_length=8, blank=True)
    us = models.CharField("US", max_length=8, blank=True)
    jp = models.CharField("JP", max_length=8, blank=True)
    chest_cm = measurement_field("chest")
    waist_cm = measurement_field("waist")
    hips_cm = measurement_field("hips")
    length_cm = measurement_field("length")
    inseam_cm = measurement_field("inseam")
    foot_length_cm = measurement_field("foot length", max_digits=4)

    history = HistoricalRecords()

    SYSTEMS = ("eu", "it", "fr", "uk", "us", "jp")
    MEASUREMENTS = ("chest_cm", "waist_cm", "hips_cm", "length_cm", "inseam_cm", "foot_length_cm")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "size_label"],
                name="size_chart_label_unique_per_product",
                violation_error_message="This size is already in the chart.",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__range": bounds}),
                    name=f"size_chart_{name}_in_range",
                )
                for name, bounds in MEASUREMENT_RANGES_CM.items()
            ),
        ]

    def __str__(self):
        return self.size_label

    def clean(self):
        if not any(getattr(self, s) for s in self.SYSTEMS):
            raise ValidationError("Give the size in at least one size system (EU, IT, FR, UK, US, JP).")
