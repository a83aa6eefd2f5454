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

Forgetting leaves a row at version 0 (no product has it) and an import stores a digest only
over the row it read at the start of its batch: a digest forgotten by a write that committed
after the import read the product is not stored again over that write.
"""
from __future__ import annotations

import functools
import hashlib
import operator
from collections.abc import Iterable
from dataclasses import dataclass

import orjson
from django.conf import settings
from django.db.models import Q

from catalog.io import products as fmt
from catalog.models import ImportDigest, Product

FORMAT = b"import-digest-1"
FORGOTTEN = 0  # the version of a forgotten digest: no product has it


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
    digest_version: int | None  # the version its digest row had (None: no row)


def import_digests_stored(codes: Iterable[str]) -> dict[str, StoredStyle]:
    """The stored products of these style codes with their digests, in one query."""
    found = {}
    for code, pk, version, digest_version, digest in Product.objects.filter(
            style_code__in=list(codes)).values_list(
            "style_code", "pk", "version", "import_digest__version", "import_digest__digest"):
        holds = digest is not None and digest_version == version
        found[code] = StoredStyle(pk, version, bytes(digest) if holds else None, digest_version)
    return found


def import_digests_save(digests: dict[int, tuple[int, bytes]],
                        read: dict[int, int | None]) -> None:
    """Store ``{product id: (version, digest)}``, each over the digest row as it was read
    (`read`: product id -> the row's version, None or absent: no row): a row changed since
    (forgotten) is left as it is. Two statements."""
    if not digests:
        return
    replaced = [Q(pk=pk, version=read[pk]) for pk in digests if read.get(pk) is not None]
    if replaced:
        ImportDigest.objects.filter(functools.reduce(operator.or_, replaced)).delete()
    ImportDigest.objects.bulk_create(
        [ImportDigest(product_id=pk, version=version, digest=digest)
         for pk, (version, digest) in digests.items()], ignore_conflicts=True)


def import_digests_forget(*, product_ids: Iterable[int | None]) -> None:
    """Forget the digests of these products: something their rows show was written without a
    new version. Their next import compares their rows in full."""
    ids = {pk for pk in product_ids if pk is not None}
    if ids:
        ImportDigest.objects.bulk_create(
            [ImportDigest(product_id=pk, version=FORGOTTEN, digest=b"") for pk in ids],
            update_conflicts=True, unique_fields=["product"], update_fields=["version", "digest"])
