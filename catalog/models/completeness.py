from django.db import models


class ProductCompleteness(models.Model):
    """How complete a product is for one channel in one locale (DOMAIN section 5).

    Derived data: the completeness engine writes these rows and nothing else does. A row is
    rewritten only when its result changes, so `updated_at` is when it last changed.
    """

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="completeness"
    )
    channel = models.ForeignKey(
        "catalog.Channel", on_delete=models.CASCADE, related_name="completeness"
    )
    # The product's category when the row was written, so that the tally can move a
    # product's counts when it changes category.
    category = models.ForeignKey(
        "catalog.Category", on_delete=models.SET_NULL, null=True, blank=True, db_index=False,
        related_name="+",
    )
    locale = models.CharField(max_length=10)
    score = models.PositiveSmallIntegerField(help_text="Share of required checks that pass, in %.")
    passed = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    complete = models.BooleanField()
    failures = models.JSONField(
        default=list, blank=True,
        help_text='Failing checks: [{"code", "message", "field", "target"}].',
    )
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "completeness"
        verbose_name_plural = "completeness"
        ordering = ["product_id", "channel_id", "locale"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "channel", "locale"], name="completeness_unique_per_locale"
            ),
            models.CheckConstraint(
                condition=models.Q(score__lte=100), name="completeness_score_percent"
            ),
        ]
        indexes = [
            # The filter's EXISTS per product, answered from the index alone.
            models.Index(fields=["product", "channel", "locale"], include=["complete"],
                         name="completeness_exists_idx"),
            models.Index(fields=["channel", "locale", "complete"], name="completeness_filter_idx"),
        ]

    def __str__(self):
        return f"{self.product_id} @ {self.channel_id}/{self.locale}: {self.score} %"

    @property
    def failure_codes(self) -> list[str]:
        return [f["code"] for f in self.failures]


class CompletenessTally(models.Model):
    """How many products of a category are complete and incomplete for a channel in a locale,
    or in all of its locales (``locale = "*"``: complete in every one, incomplete in any), and
    the sum of their scores (the worst locale's for ``*``).

    Derived from :class:`ProductCompleteness` for the dashboard: the completeness engine
    applies its changes as deltas in the same transaction; ``recompute_completeness``
    rebuilds it.
    """

    ALL_LOCALES = "*"

    category = models.ForeignKey("catalog.Category", on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey("catalog.Channel", on_delete=models.CASCADE, related_name="+")
    locale = models.CharField(max_length=10)
    complete = models.IntegerField(default=0)
    incomplete = models.IntegerField(default=0)
    score_sum = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "completeness tally"
        constraints = [
            models.UniqueConstraint(fields=["category", "channel", "locale"],
                                    name="completeness_tally_unique"),
        ]

    def __str__(self):
        return (f"{self.category_id} @ {self.channel_id}/{self.locale}: "
                f"{self.complete} complete, {self.incomplete} incomplete")


class CompletenessLowest(models.Model):
    """A product's lowest locale score for a channel: what the product grid sorts a channel's
    column by, read through the (channel, lowest, product) index.

    Derived from :class:`ProductCompleteness`: the completeness engine writes it with the
    rows it changes, in the same transaction; ``recompute_completeness`` rebuilds it. A
    product with no row for a channel has not been computed for it.
    """

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE,
                                related_name="completeness_lowest", db_index=False)
    channel = models.ForeignKey("catalog.Channel", on_delete=models.CASCADE, related_name="+",
                                db_index=False)
    lowest = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = "lowest completeness"
        constraints = [
            models.UniqueConstraint(fields=["product", "channel"],
                                    name="completeness_lowest_unique"),
        ]
        indexes = [
            models.Index(fields=["channel", "lowest", "product"], name="completeness_lowest_idx"),
        ]

    def __str__(self):
        return f"{self.product_id} @ {self.channel_id}: {self.lowest} %"
