from django.core.exceptions import ValidationError
from django.db import models
from treebeard.mp_tree import MP_Node

from .choices import ContentField
from .fields import NameField


class ContentProfile(models.Model):
    """Which of the twelve content fields a category's products must have."""

    name = models.CharField(max_length=100, unique=True)
    required_fields = models.JSONField(
        default=list,
        blank=True,
        help_text="Content fields required for products in categories using this profile.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        unknown = sorted(set(self.required_fields or []) - set(ContentField.values))
        if unknown:
            raise ValidationError(
                {"required_fields": f"Unknown content field(s): {', '.join(unknown)}."}
            )

    @property
    def required(self) -> frozenset[str]:
        return frozenset(self.required_fields or [])


class Category(MP_Node):
    """A node of the taxonomy: department > category > sub-category, any depth."""

    name = NameField(max_length=120)
    slug = models.SlugField(max_length=120)
    content_profile = models.ForeignKey(
        ContentProfile,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="categories",
        help_text="Leave empty to inherit the profile of the parent category.",
    )
    returns_policy = models.ForeignKey(
        "catalog.ReturnsPolicy",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="categories",
        help_text="Overrides the brand's returns policy for this branch of the tree.",
    )

    node_order_by = None

    class Meta:
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def ancestors_and_self(self) -> list["Category"]:
        """Root first. One query (materialised path), none for a root."""
        return [*Category.objects.get_ancestors(self), self] if self.depth > 1 else [self]

    @property
    def path_label(self) -> str:
        return " > ".join(c.name for c in self.ancestors_and_self())

    def effective_content_profile(self) -> ContentProfile | None:
        for node in reversed(self.ancestors_and_self()):
            if node.content_profile_id:
                return node.content_profile
        return None

    def effective_returns_policy_id(self) -> int | None:
        for node in reversed(self.ancestors_and_self()):
            if node.returns_policy_id:
                return node.returns_policy_id
        return None
