"""Brands, seasons and the logistics policies with their brand > category > product overrides."""
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from .choices import Currency
from .fields import PlainTextField


class ReturnsPolicy(models.Model):
    name = models.CharField(max_length=100, unique=True)
    returnable = models.BooleanField(default=True)
    days = models.PositiveSmallIntegerField(
        default=30, validators=[MaxValueValidator(365)], help_text="Days to return the item."
    )
    free = models.BooleanField(default=True, help_text="Returns cost the customer nothing.")
    conditions = PlainTextField(blank=True, max_length=5_000)

    class Meta:
        verbose_name_plural = "returns policies"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.returnable and self.free:
            raise ValidationError({"free": "A non-returnable policy cannot offer free returns."})


class Brand(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    returns_policy = models.ForeignKey(
        ReturnsPolicy,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="brands",
        help_text="The default for every product of the brand. Without one, each category or "
        "product needs its own, or its products are incomplete for returns.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Season(models.Model):
    code = models.CharField(max_length=12, unique=True, help_text="For example SS25 or AW24.")
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["-code"]

    def __str__(self):
        return self.name


# Bounds of a rate: a cost in any currency of the catalog (yen included) and a delivery time
# of at most three months; beyond them is a typo.
SHIPPING_COST_MAX = 100_000
SHIPPING_DAYS_MAX = 90


class ShippingRate(models.Model):
    """Cost and delivery time to one market, for exactly one scope.

    A brand's rate is the default for its products; a category's rate overrides it for every
    product below the category, whatever its brand; a product's rate overrides both.
    """

    brand = models.ForeignKey(
        Brand, null=True, blank=True, on_delete=models.CASCADE, related_name="shipping_rates"
    )
    category = models.ForeignKey(
        "catalog.Category",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="shipping_rates",
    )
    product = models.ForeignKey(
        "catalog.Product",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="shipping_rates",
    )
    country = CountryField()
    cost = models.DecimalField(
        max_digits=8, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(SHIPPING_COST_MAX)],
    )
    currency = models.CharField(max_length=3, choices=Currency.choices)
    min_days = models.PositiveSmallIntegerField(validators=[MaxValueValidator(SHIPPING_DAYS_MAX)])
    max_days = models.PositiveSmallIntegerField(validators=[MaxValueValidator(SHIPPING_DAYS_MAX)])

    history = HistoricalRecords()

    class Meta:
        ordering = ["country"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_days__lte=models.F("max_days")),
                name="shipping_min_days_lte_max_days",
                violation_error_message="Minimum delivery days cannot exceed the maximum.",
            ),
            models.CheckConstraint(
                condition=Q(cost__gte=0), name="shipping_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(cost__lte=SHIPPING_COST_MAX, max_days__lte=SHIPPING_DAYS_MAX),
                name="shipping_cost_and_days_bounded",
            ),
            models.CheckConstraint(
                condition=Q(brand__isnull=False, category__isnull=True, product__isnull=True)
                | Q(brand__isnull=True, category__isnull=False, product__isnull=True)
                | Q(brand__isnull=True, category__isnull=True, product__isnull=False),
                name="shipping_rate_one_scope",
                violation_error_message=(
                    "A rate belongs to exactly one of a brand, a category or a product."
                ),
            ),
            models.UniqueConstraint(
                fields=["brand", "country"],
                condition=Q(brand__isnull=False),
                name="shipping_rate_unique_brand_default",
                violation_error_message="The brand already has a default rate for this market.",
            ),
            models.UniqueConstraint(
                fields=["category", "country"],
                condition=Q(category__isnull=False),
                name="shipping_rate_unique_category",
                violation_error_message="The category already has a rate for this market.",
            ),
            models.UniqueConstraint(
                fields=["product", "country"],
                condition=Q(product__isnull=False),
                name="shipping_rate_unique_product",
                violation_error_message="The product already has a rate for this market.",
            ),
        ]

    def clean(self):
        if self.min_days is not None and self.max_days is not None and self.min_days > self.max_days:
            raise ValidationError({"max_days": "Minimum delivery days cannot exceed the maximum."})

    def __str__(self):
        scope = self.product or self.category or self.brand
        return f"{scope} → {self.country.code}: {self.cost} {self.currency}, {self.min_days}-{self.max_days} d"
