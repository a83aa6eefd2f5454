"""What the last bulk import read of each product's rows (:mod:`catalog.services.import_digests`)."""
from django.db import models


class ImportDigest(models.Model):
    """A digest of the rows a product was last imported from, or found unchanged by, and the
    product's version then. Not content: no history, no version of its own, no recompute; a
    product saved since (a new version) or a write that forgets it makes the next import
    compare its rows in full."""

    product = models.OneToOneField("catalog.Product", primary_key=True,
                                   on_delete=models.CASCADE, related_name="import_digest")
    version = models.PositiveIntegerField()
    digest = models.BinaryField(max_length=16)

    def __str__(self):
        return f"{self.product_id} v{self.version}"
