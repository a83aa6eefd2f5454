"""Reads of the catalog that own their query shape."""
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Length, Substr

from .models import Category


def category_path_labels() -> dict[int, str]:
    """Every category's "Women > Dresses > Long dresses" label, from one query."""
    rows = list(Category.objects.order_by("path").values_list("id", "path", "name"))
    name_by_path = {path: name for _, path, name in rows}
    step = Category.steplen
    return {
        pk: " > ".join(name_by_path[path[:end]] for end in range(step, len(path) + 1, step))
        for pk, path, _ in rows
    }


def category_effective_profile_subquery(field: str = "content_profile__name") -> Subquery:
    """The nearest ancestor-or-self profile of OuterRef("path"), for annotating categories."""
    carriers = (
        Category.objects.annotate(path_length=Length("path"))
        .filter(content_profile__isnull=False, path_length__lte=Length(OuterRef("path")))
        .filter(path=Substr(OuterRef("path"), 1, F("path_length")))
        .order_by("-depth")
        .values(field)[:1]
    )
    return Subquery(carriers)
