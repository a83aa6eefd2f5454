"""Digests of the rows each product was last imported from: the same rows again are known
unchanged without loading the product.

A digest (BLAKE2b, 16 bytes) covers the file's header, the style's rows as read (every cell,
in file order) and what the import resolves names with: the columns of the format, and every
brand, season, category and returns policy by id and by the name a file uses. It holds while
the product keeps the version it was taken at. Every write of what an export shows either
bumps that version (``product_content_save``, :class:`ContentBatch`, translations, mass edits)
or forgets the digest (:func:`import_digests_forget`: ratings, a product's own shipping rates,
a colour saved on its own); a renamed brand, season, category or policy changes what every
digest covers, so none of them holds. A digest is not content: no history, no version, no
recompute.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import orjson
from django.conf import settings

from catalog.io import products as fmt
from catalog.models import ImportDigest, Product

FORMAT = b"import-digest-1"


class RowsDigest:
    """The digests of one file's styles: the header and the names are hashed once."""

    def __init__(self, *, header: list[str], lookups):
        self._start = hashlib.blake2b(FORMAT, digest_size=16)
        self._start.update(orjson.dumps([settings.SOURCE_LANGUAGE,
                                         [c.name for c in fmt.columns()],
                                         sorted(lookups.names), header]))

    def of(self, rows) -> bytes | None:
        """The digest of a style's rows; None when the reader had a problem with one."""
        if any(row.problems for row in rows):
            return None
        try:
            cells = orjson.dumps([row.cells for row in rows])
        except orjson.JSONEncodeError:  # text orjson does not encode (lone surrogates)
            return None
        digest = self._start.copy()
        digest.update(cells)
        return digest.digest()


@dataclass(frozen=True)
class StoredStyle:
    """A stored product as the import's batch first reads it."""

    pk: int
    version: int
    digest: bytes | None  # the digest that holds for its current version, if any


def import_digests_stored(codes: Iterable[str]) -> dict[str, StoredStyle]:
    """The stored products of these style codes with their digests, in one query."""
    found = {}
    for code, pk, version, digest_version, digest in Product.objects.filter(
            style_code__in=list(codes)).values_list(
            "style_code", "pk", "version", "import_digest__version", "import_digest__digest"):
        holds = digest is not None and digest_version == version
        found[code] = StoredStyle(pk, version, bytes(digest) if holds else None)
    return found


def import_digests_save(digests: dict[int, tuple[int, bytes]]) -> None:
    """Store ``{product id: (version, digest)}`` in one statement."""
    if digests:
        ImportDigest.objects.bulk_create(
            [ImportDigest(product_id=pk, version=version, digest=digest)
             for pk, (version, digest) in digests.items()],
            update_conflicts=True, unique_fields=["product"], update_fields=["version", "digest"])


def import_digests_forget(*, product_ids: Iterable[int | None]) -> None:
    """Forget the digests of these products: something their rows show was written without a
    new version. Their next import compares their rows in full."""
    ids = {pk for pk in product_ids if pk is not None}
    if ids:
        ImportDigest.objects.filter(product_id__in=ids).delete()
