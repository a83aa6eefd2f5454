"""Writes of the category tree: create, edit (name, slug, content profile, returns policy),
move and delete. Products sit in leaf categories, and every write keeps it so.

A position is treebeard's: relative to ``target``, one of ``CHILD_POSITIONS`` (the category
goes below ``target``) or ``SIBLING_POSITIONS`` (beside it); no ``target`` makes it a root.
Completeness below a category that changes is recomputed by its ``post_save`` receiver.
"""
from __future__ import annotations

from django.db import transaction
from treebeard.exceptions import InvalidMoveToDescendant, InvalidPosition, PathOverflow

from catalog.models import Category, Product

from .errors import ContentError, full_clean

CHILD_POSITIONS = ("first-child", "last-child", "sorted-child")
SIBLING_POSITIONS = ("left", "right", "first-sibling", "last-sibling", "sorted-sibling")
# Kept by treebeard, not by whoever writes a category.
TREE_FIELDS = ("path", "depth", "numchild")


def _parent_at(*, target: Category | None, position: str) -> Category | None:
    if position not in CHILD_POSITIONS + SIBLING_POSITIONS:
        raise ContentError.at("position", f"“{position}” is not a position in the tree. Choose "
                                          f"from {', '.join(CHILD_POSITIONS + SIBLING_POSITIONS)}.")
    if target is None or position in CHILD_POSITIONS:
        return target
    return Category.objects.get_parent(target)


def category_position_check(*, target: Category | None, position: str,
                            category: Category | None = None) -> None:
    """Refuse a place whose parent holds products: products sit in leaf categories."""
    parent = _parent_at(target=target, position=position)
    if category is not None and category.pk and target is not None and (
            target.pk == category.pk or target.path.startswith(category.path)):
        raise ContentError.at("target", f"“{category}” cannot move inside itself.")
    if parent is None:
        return
    held = parent.products.count()
    if held:
        raise ContentError.at("target", (
            f"“{parent}” holds {held} product(s); products sit in leaf categories. "
            "Move them to another category before adding sub-categories here."),
            code="category_holds_products")


def _tree_error(error: Exception) -> ContentError:
    return ContentError.at("target", str(error) or "That position is not possible in the tree.")


@transaction.atomic
def category_create(*, category: Category, target: Category | None = None,
                    position: str = "last-child", user=None) -> Category:
    """Add ``category`` (unsaved, its fields set) at ``position`` relative to ``target``."""
    full_clean(category, exclude=TREE_FIELDS)
    category_position_check(target=target, position=position)
    category._history_user = user
    manager = Category.objects
    try:
        if target is None:
            category = manager.add_root(instance=category)
        elif position in CHILD_POSITIONS:
            category = manager.add_child(target, instance=category)
            if position == "first-child":
                manager.move(category, target, pos="first-child")
        else:
            category = manager.add_sibling(target, pos=position, instance=category)
    except (InvalidPosition, PathOverflow) as error:
        raise _tree_error(error) from None
    category.refresh_from_db()
    return category


@transaction.atomic
def category_update(*, category: Category, user=None) -> Category:
    """Save a category's own fields: its names, slug, content profile and returns policy.

    A changed profile or policy changes the rules of every product below: they are recomputed.
    """
    full_clean(category, exclude=TREE_FIELDS)
    category._history_user = user
    category.save()
    return category


@transaction.atomic
def category_move(*, category: Category, target: Category | None, position: str,
                  user=None) -> Category:
    """Move ``category`` and its branch; ``target=None`` makes it the first root."""
    category_position_check(target=target, position=position, category=category)
    manager = Category.objects
    try:
        if target is None:
            manager.move(category, manager.get_first_root_node(), pos="first-sibling")
        else:
            manager.move(category, target, pos=position)
    except (InvalidMoveToDescendant, InvalidPosition, PathOverflow) as error:
        raise _tree_error(error) from None
    # treebeard moves with queryset updates: the save records the move in history and
    # recomputes the products below the category at its new place.
    category.refresh_from_db()
    category._history_user = user
    category.save()
    return category


def category_delete_check(*, category: Category) -> None:
    held = Product.objects.filter(category__path__startswith=category.path).count()
    if held:
        raise ContentError.at(
            "__all__", f"“{category}” cannot be deleted: {held} product(s) sit in it or below "
                       "it. Move them to another category first.", code="category_holds_products")


@transaction.atomic
def category_delete(*, category: Category, user=None) -> None:
    """Delete a category and its branch; refused while any product sits in it."""
    category_delete_check(category=category)
    category._history_user = user
    category.delete()
