"""The one error a write of catalog content is refused with.

Every service raises :class:`ContentError`, whatever the entry point (the admin, an import row,
the API, a command). It is a Django ``ValidationError`` whose keys are *paths*: a field of the
object written (``"style_code"``), or a field of one of its parts, dotted with the part's index
(``"colours.0.variants.2.gtin"``, ``"composition.1.percentage"``). ``"__all__"`` holds the
errors of the object as a whole. Each caller shows a message where it belongs: the admin on the
form or inline row, an import on its row and column, the API in its response body.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def join_path(*parts) -> str:
    """``join_path("colours", 0, "gtin")`` -> ``"colours.0.gtin"``; the whole object stays whole."""
    kept = [str(p) for p in parts if p not in (None, "", NON_FIELD_ERRORS)]
    return ".".join(kept) or NON_FIELD_ERRORS


class ContentError(ValidationError):
    """A refused write, with the messages of each bad field keyed by its path."""

    def __init__(self, errors: dict[str, list[ValidationError]] | ValidationError | str,
                 code: str | None = None, params=None):
        if isinstance(errors, ValidationError) and not isinstance(errors, ContentError):
            errors = _by_path(errors)
        elif isinstance(errors, str):
            errors = {NON_FIELD_ERRORS: [ValidationError(errors, code=code, params=params)]}
        super().__init__(errors)

    @classmethod
    def at(cls, path: str, message: str, *, code: str | None = None, params=None) -> ContentError:
        return cls({path: [ValidationError(message, code=code, params=params)]})

    @property
    def paths(self) -> dict[str, list[str]]:
        """Messages by path, as plain strings."""
        return {path: [m for e in errors for m in e.messages]
                for path, errors in self.error_dict.items()}

    def codes(self) -> dict[str, list[str | None]]:
        return {path: [e.code for e in errors] for path, errors in self.error_dict.items()}


def _by_path(error: ValidationError, prefix: str = "") -> dict[str, list[ValidationError]]:
    if hasattr(error, "error_dict"):
        return {join_path(prefix, field): list(errors) for field, errors in error.error_dict.items()}
    return {join_path(prefix): list(error.error_list)}


class ErrorCollector:
    """Gathers the errors of several objects, so one refusal lists every bad field."""

    def __init__(self):
        self.errors: dict[str, list[ValidationError]] = {}

    def add(self, path: str, error: ValidationError | str, *, code: str | None = None) -> None:
        if isinstance(error, str):
            error = ValidationError(error, code=code)
        for key, errors in _by_path(error, path).items():
            self.errors.setdefault(key, []).extend(errors)

    @contextmanager
    def under(self, *path) -> Iterator[None]:
        """Record a ``ValidationError`` raised in the block under ``path`` and carry on."""
        try:
            yield
        except ValidationError as error:
            self.add(join_path(*path), error)

    def full_clean(self, obj, *path, exclude=None, validate_unique: bool = True,
                   validate_constraints: bool = True) -> None:
        with self.under(*path):
            obj.full_clean(exclude=exclude, validate_unique=validate_unique,
                           validate_constraints=validate_constraints)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ContentError(self.errors)


def full_clean(obj, *path, exclude=None) -> None:
    """``obj.full_clean()``, refused as a :class:`ContentError` with paths under ``path``."""
    errors = ErrorCollector()
    errors.full_clean(obj, *path, exclude=exclude)
    errors.raise_if_any()
