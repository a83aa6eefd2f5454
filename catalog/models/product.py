from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .choices import (
    CareBleaching,
    CareDrying,
    CareIroning,
    CareProfessional,
    CareWashing,
    FitType,
    SizeChartBasis,
)
from .fields import GTINField, NameField, PlainTextField, SanitizedHTMLField
from catalog.querysets import ProductQuerySet

style_code_validator = RegexValidator(
    r"^[A-Z0-9]+(-[A-Z0-9]+)*$",
    "Use capital letters, digits and single dashes, for example WD-24-0193.",
)

# Longest texts a product takes, per locale: far above real copy, small enough that the
# product page's post stays within DATA_UPLOAD_MAX_MEMORY_SIZE (pim/settings/base.py).
TEXT_MAX_LENGTH = 5_000
DESCRIPTION_MAX_LENGTH = 20_000
MODEL_HEIGHT_CM = (100, 230)


class Product(models.Model):
    """A style: the unit merchandisers edit, approve and publish."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        ARCHIVED = "archived", "Archived"

    # Identity
    style_code = models.CharField(
        max_length=32, unique=True, validators=[style_code_validator],
        error_messages={"unique": "A product with this style code already exists."},
    )
    brand = models.ForeignKey("catalog.Brand", on_delete=models.PROTECT, related_name="products")
    season = models.ForeignKey("catalog.Season", on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(
        "catalog.Category", on_delete=models.PROTECT, related_name="products"
    )
    name = NameField(max_length=200)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False, db_index=True
    )

    # 2. Fabric and material (composition lines live in CompositionLine)
    material_text = PlainTextField(
        "fabric and material notes", blank=True, max_length=TEXT_MAX_LENGTH,
        help_text="Free text about the fabric: weave, weight, finish, origin.",
    )
    # 3. Fit
    fit_type = models.CharField(max_length=12, choices=FitType.choices, blank=True)
    fit_description = PlainTextField(blank=True, max_length=TEXT_MAX_LENGTH)
    model_height_cm = models.PositiveSmallIntegerField(
        "model height (cm)", null=True, blank=True,
        validators=[MinValueValidator(MODEL_HEIGHT_CM[0]), MaxValueValidator(MODEL_HEIGHT_CM[1])],
    )
    model_size = models.CharField("size the model wears", max_length=12, blank=True)
    # 4. Size description (chart rows live in SizeChartRow)
    size_chart_basis = models.CharField(
        max_length=8, choices=SizeChartBasis.choices, default=SizeChartBasis.BODY
    )
    size_advice = PlainTextField(
        blank=True, max_length=TEXT_MAX_LENGTH, help_text="For example: runs small, take one size up.")
    # 5. Editorial description
    description = SanitizedHTMLField(
        "editorial description", blank=True, max_length=DESCRIPTION_MAX_LENGTH,
        help_text="Paragraphs, lists, emphasis and links. Scripts and styles are removed on save.",
    )
    # 6. Wash and care (ISO 3758: one symbol per group)
    care_washing = models.CharField("washing", max_length=20, choices=CareWashing.choices, blank=True)
    care_bleaching = models.CharField(
        "bleaching", max_length=20, choices=CareBleaching.choices, blank=True
    )
    care_drying = models.CharField("drying", max_length=20, choices=CareDrying.choices, blank=True)
    care_ironing = models.CharField("ironing", max_length=20, choices=CareIroning.choices, blank=True)
    care_professional = models.CharField(
        "professional care", max_length=20, choices=CareProfessional.choices, blank=True
    )
    care_text = PlainTextField("care instructions", blank=True, max_length=TEXT_MAX_LENGTH)
    # 7. Returns: product override of the category's and the brand's policy
    returns_policy = models.ForeignKey(
        "catalog.ReturnsPolicy", null=True, blank=True, on_delete=models.PROTECT,
        related_name="products",
        help_text="Leave empty to use the category's or the brand's policy.",
    )
    # 12. Customer ratings, fed by the reviews platform
    rating_average = models.DecimalField(
        max_digits=3, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
    )
    rating_count = models.PositiveIntegerField(default=0)

    # Optimistic locking: a save must name the version it was edited from.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["style_code"]
        # The list's page of ids by an index-only scan in its default order, at any depth.
        indexes = [models.Index(fields=["style_code"], include=["id"],
                                name="product_list_order_idx")]
        # Workflow transitions (DOMAIN section 6); roles are groups holding these.
        permissions = [
            ("submit_product", "Can submit products for review"),
            ("approve_product", "Can approve and publish products"),
            ("reject_product", "Can reject products back to draft"),
            ("archive_product", "Can archive products"),
            ("unpublish_product", "Can unpublish products from channels"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating_average__isnull=True)
                | Q(rating_average__gte=0, rating_average__lte=5),
                name="product_rating_in_range",
            ),
            models.CheckConstraint(
                condition=Q(model_height_cm__isnull=True)
                | Q(model_height_cm__range=MODEL_HEIGHT_CM),
                name="product_model_height_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.style_code} {self.name}"

    def clean(self):
        if self.category_id and not self.category.is_leaf():
            raise ValidationError(
                {"category": f"“{self.category}” has sub-categories: choose a leaf category."}
            )
        if self.rating_count and self.rating_average is None:
            raise ValidationError({"rating_average": "Ratings with a count need an average."})

    @property
    def model_measurements(self) -> str:
        if not (self.model_height_cm and self.model_size):
            return ""
        return f"Model is {self.model_height_cm} cm and wears {self.model_size}"


class Colour(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="colours")
    code = models.CharField(
        max_length=16,
        validators=[RegexValidator(r"^[A-Z0-9]+$", "Use capital letters and digits.")],
        help_text="The studio's colour code, used in photo file names.",
    )
    name = NameField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)


    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "code"],
                name="colour_code_unique_per_product",
                violation_error_message="This product already has a colour with this code.",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Variant(models.Model):
    """A colour in a size: what is stocked and scanned."""

    colour = models.ForeignKey(Colour, on_delete=models.CASCADE, related_name="variants")
    size_label = models.CharField(max_length=12)
    sku = models.CharField(
        "SKU", max_length=40, unique=True,
        error_messages={"unique": "A variant with this SKU already exists."},
    )
    gtin = GTINField(
        "GTIN", unique=True, help_text="EAN-13, UPC-A or GTIN-14; the check digit is verified.",
        error_messages={"unique": "A variant with this GTIN already exists."},
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["colour_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["colour", "size_label"],
                name="variant_size_unique_per_colour",
                violation_error_message="This colour already has a variant in this size.",
            )
        ]

    def __str__(self):
        return f"{self.sku} ({self.size_label})"

    @property
    def gtin_display(self) -> str:
        """EAN-13 where the GTIN-14 starts with a zero, as printed on labels."""
        return self.gtin[1:] if self.gtin.startswith("0") else self.gtin
