"""The approval workflow (DOMAIN section 6): one service per transition.

draft -> in_review (submit) -> approved (approve, which publishes); in_review -> draft (reject,
with a comment); approved -> in_review (submit again after edits; the published snapshots stay
until the next approval); any state -> archived (archive, which leaves tombstones);
archived -> draft (restore). Unpublishing takes a product off some or all of its channels.
Deleting a product tombstones it on every channel it is published on.

Each service checks the user's permission and the product's state, writes inside one
transaction, logs a ProductTransition and a history record.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from catalog.models import (
    Channel,
    Product,
    ProductCompleteness,
    ProductSnapshot,
    ProductTransition,
)

from .publishing import (
    PUBLISH_BATCH,
    products_for_publishing,
    published_channels,
    renditions_missing_loaded,
    snapshots_publish,
    snapshots_publish_batch,
    snapshots_tombstone,
    snapshots_tombstone_batch,
)
from .renditions import RenditionsPending, renditions_queue_for_product

Status = Product.Status
Action = ProductTransition.Action

# What each transition needs: the permission and the states it starts from.
TRANSITIONS = {
    Action.SUBMIT: ("catalog.submit_product", {Status.DRAFT, Status.APPROVED}),
    Action.APPROVE: ("catalog.approve_product", {Status.IN_REVIEW, Status.APPROVED}),
    Action.REJECT: ("catalog.reject_product", {Status.IN_REVIEW}),
    Action.ARCHIVE: ("catalog.archive_product",
                     {Status.DRAFT, Status.IN_REVIEW, Status.APPROVED}),
    Action.UNPUBLISH: ("catalog.unpublish_product", {Status.APPROVED, Status.IN_REVIEW,
                                                     Status.DRAFT}),
    Action.RESTORE: ("catalog.archive_product", {Status.ARCHIVED}),
}


class TransitionRefused(ValidationError):
    """A transition the product's state or content does not allow; `messages` say why."""


@dataclass
class ChannelIncomplete:
    channel: Channel
    reasons: list[str] = field(default_factory=list)

    def __str__(self):
        shown = self.reasons[:8]
        more = f" (and {len(self.reasons) - len(shown)} more)" if len(self.reasons) > len(shown) else ""
        return f"{self.channel.name}: " + "; ".join(shown) + more


class ProductIncomplete(TransitionRefused):
    """Approval refused: the product is incomplete for some of the channels asked for."""

    def __init__(self, product: Product, incomplete: list[ChannelIncomplete]):
        self.product = product
        self.incomplete = incomplete
        super().__init__(
            [f"{product.style_code} is incomplete for {item}" for item in incomplete],
            code="incomplete",
        )
        self.code = "incomplete"  # a list of messages keeps no code of its own


class RenditionsNotReady(TransitionRefused):
    """Approval refused for now: renditions the channels need are still being made."""

    def __init__(self, product: Product, missing: int):
        self.product = product
        self.missing = missing
        super().__init__(
            f"{product.style_code} cannot be approved yet: {missing} rendition(s) its channels "
            "need are still being made. Try again in a moment.", code="renditions_pending",
        )


def transition_allowed(*, user, action: str) -> bool:
    return bool(user and user.has_perm(TRANSITIONS[action][0]))


def _check_permission(user, action: str) -> None:
    if not transition_allowed(user=user, action=action):
        label = Action(action).label.lower()
        raise PermissionDenied(f"You do not have permission to do this ({label}).")


def _lock(product: Product) -> Product:
    """Lock the row and refresh status, so two reviewers cannot both move one product."""
    current = Product.objects.select_for_update().only("status", "version").get(pk=product.pk)
    product.status = current.status
    product.version = current.version
    return product


def _check_state(product: Product, action: str) -> None:
    if product.status not in TRANSITIONS[action][1]:
        allowed = ", ".join(sorted(Status(s).label.lower() for s in TRANSITIONS[action][1]))
        raise TransitionRefused(
            f"{product.style_code} is {product.get_status_display().lower()}: "
            f"{Action(action).label.lower()} applies only to products that are {allowed}.",
            code="state",
        )


def _record(*, product: Product, action: str, to_status: str, user, comment: str = "",
            channels: Iterable[Channel] = ()) -> ProductTransition:
    return _record_batch(moves=[(product, to_status, channels)], action=action, user=user,
                         comment=comment)[0]


def _record_batch(*, moves: list[tuple[Product, str, Iterable[Channel]]], action: str, user,
                  comment: str = "") -> list[ProductTransition]:
    """Log each (product, new status, channels) as a transition, and in history each product
    whose status changes, in bulk."""
    now = timezone.now()
    transitions, moved = [], []
    for product, to_status, channels in moves:
        from_status = product.status
        codes = sorted(c.code for c in channels)
        if to_status != from_status:
            product.status = to_status
            product.updated_at = now
            # History keeps who moved the product and why; the version is not bumped, so an
            # editor with the page open keeps working on the same copy.
            product._history_user = user
            product._change_reason = (f"{Action(action).label}"
                                      + (f" ({', '.join(codes)})" if codes else ""))
            moved.append(product)
        transitions.append(ProductTransition(
            product=product, action=action, from_status=from_status, to_status=to_status,
            channels=codes, comment=comment, product_version=product.version, user=user,
            created_at=now,
        ))
    if moved:
        bulk_update_with_history(moved, Product, ["status", "updated_at"], default_user=user)
    return ProductTransition.objects.bulk_create(transitions)


def completeness_reasons(product: Product, channel: Channel) -> list[str]:
    """What keeps `product` from being complete for `channel`, as human messages (none: complete).

    A check failing in every locale of the channel is listed once; one failing in some
    locales only names them.
    """
    return completeness_reasons_batch([product], [channel]).get((product.pk, channel.pk), [])


def completeness_reasons_batch(products: Iterable[Product], channels: Iterable[Channel]
                               ) -> dict[tuple[int, int], list[str]]:
    """:func:`completeness_reasons` of every product for every channel, computed fresh now in
    a constant number of queries; only the incomplete (product id, channel id) are keys."""
    from catalog.services.completeness import completeness_recompute

    ids, channels = [p.pk for p in products], list(channels)
    if not ids or not channels:
        return {}
    completeness_recompute(product_ids=ids, channels=channels)
    rows_of: dict[tuple[int, int], list[ProductCompleteness]] = {}
    for row in ProductCompleteness.objects.filter(
        product_id__in=ids, channel__in=channels, complete=False
    ).order_by("product_id", "channel_id", "locale"):
        rows_of.setdefault((row.product_id, row.channel_id), []).append(row)
    every_of = {c.pk: len(c.locales) for c in channels}
    reasons = {}
    for key, rows in rows_of.items():
        locales_of: dict[str, list[str]] = {}
        for row in rows:
            for failure in row.failures:
                locales_of.setdefault(str(failure["message"]), []).append(row.locale)
        every = every_of[key[1]]
        reasons[key] = [
            message if len(locales) >= every or len(rows) == 1 and every == 1
            else f"{message} [{', '.join(locales)}]"
            for message, locales in locales_of.items()
        ]
    return {key: found for key, found in reasons.items() if found}


def _channels(channels: Iterable[Channel] | None) -> list[Channel]:
    if channels is None:
        return list(Channel.objects.order_by("code"))
    channels = list(channels)
    if not channels:
        raise TransitionRefused("Choose at least one channel.", code="no_channel")
    return channels


@transaction.atomic
def product_submit(*, product: Product, user, comment: str = "") -> ProductTransition:
    """Send a product to review (a draft, or an approved product edited since)."""
    _check_permission(user, Action.SUBMIT)
    _lock(product)
    _check_state(product, Action.SUBMIT)
    return _record(product=product, action=Action.SUBMIT, to_status=Status.IN_REVIEW, user=user,
                   comment=comment)


def product_approve(*, product: Product, user, channels: Iterable[Channel] | None = None,
                    comment: str = "") -> ProductTransition:
    """Approve and publish to `channels` (default: every channel). All or nothing: refused
    with the reasons while the product is incomplete for any of them.

    Approval never renders: while renditions the channels need are missing it is refused
    (``RenditionsNotReady``), and they are queued once its transaction is over.
    """
    _check_permission(user, Action.APPROVE)
    channels = _channels(channels)
    if not channels:
        raise TransitionRefused("There is no channel to publish to: create one first.",
                                code="no_channel")
    try:
        with transaction.atomic():
            _lock(product)
            _check_state(product, Action.APPROVE)
            incomplete = [
                ChannelIncomplete(channel, reasons)
                for channel in channels
                if (reasons := completeness_reasons(product, channel))
            ]
            if incomplete:
                raise ProductIncomplete(product, incomplete)
            snapshots_publish(product=product, channels=channels)
            return _record(product=product, action=Action.APPROVE, to_status=Status.APPROVED,
                           user=user, comment=comment, channels=channels)
    except RenditionsPending as pending:
        # Outside the rolled-back transaction, so that the request survives it.
        renditions_queue_for_product(product_id=product.pk,
                                     specs=[spec for c in channels for spec in c.renditions])
        raise RenditionsNotReady(product, len(pending.missing)) from None


@transaction.atomic
def product_reject(*, product: Product, user, comment: str) -> ProductTransition:
    """Send a product under review back to draft, saying why."""
    _check_permission(user, Action.REJECT)
    comment = (comment or "").strip()
    if not comment:
        raise TransitionRefused("Say why the product is rejected: a comment is required.",
                                code="comment_required")
    _lock(product)
    _check_state(product, Action.REJECT)
    return _record(product=product, action=Action.REJECT, to_status=Status.DRAFT, user=user,
                   comment=comment)


@transaction.atomic
def product_archive(*, product: Product, user, comment: str = "") -> ProductTransition:
    """Retire a product: its snapshots on every channel become tombstones."""
    _check_permission(user, Action.ARCHIVE)
    _lock(product)
    _check_state(product, Action.ARCHIVE)
    tombstones = snapshots_tombstone(product=product)
    channels = {s.channel_id: s.channel for s in tombstones}.values()
    return _record(product=product, action=Action.ARCHIVE, to_status=Status.ARCHIVED, user=user,
                   comment=comment, channels=channels)


@transaction.atomic
def product_unpublish(*, product: Product, user, channels: Iterable[Channel] | None = None,
                      comment: str = "") -> ProductTransition:
    """Take a product off `channels` (default: all). Off every channel, it returns to draft."""
    _check_permission(user, Action.UNPUBLISH)
    _lock(product)
    _check_state(product, Action.UNPUBLISH)
    live = published_channels(product)
    if channels is not None:
        wanted = {c.pk for c in channels}
        live = [c for c in live if c.pk in wanted]
    if not live:
        raise _not_published(product, channels)
    snapshots_tombstone(product=product, channels=live)
    still_live = published_channels(product)
    to_status = product.status
    if not still_live and product.status == Status.APPROVED:
        to_status = Status.DRAFT
    return _record(product=product, action=Action.UNPUBLISH, to_status=to_status, user=user,
                   comment=comment, channels=live)


def _not_published(product: Product, channels) -> TransitionRefused:
    return TransitionRefused(f"{product.style_code} is not published on "
                             f"{'these channels' if channels is not None else 'any channel'}.",
                             code="not_published")


@transaction.atomic
def product_restore(*, product: Product, user, comment: str = "") -> ProductTransition:
    """Bring an archived product back as a draft (it is republished only by a new approval)."""
    _check_permission(user, Action.RESTORE)
    _lock(product)
    _check_state(product, Action.RESTORE)
    return _record(product=product, action=Action.RESTORE, to_status=Status.DRAFT, user=user,
                   comment=comment)


@transaction.atomic
def product_delete(*, product: Product, user) -> list[ProductSnapshot]:
    """Delete a product in any state. Where it is published, its snapshots on every channel
    become tombstones first (the delta feeds list it as deleted, webhooks announce the
    unpublish); the tombstones outlive it. Returns them.

    A plain ``product.delete()`` of a published product is refused by the snapshots' foreign
    key (`protect_live_snapshots`), so no path leaves a deleted product live in a feed.
    """
    if not (user and user.has_perm("catalog.delete_product")):
        raise PermissionDenied("You do not have permission to delete products.")
    _lock(product)
    tombstones = snapshots_tombstone(product=product)
    product._history_user = user
    product.delete()
    return tombstones


SERVICES = {
    Action.SUBMIT: product_submit,
    Action.APPROVE: product_approve,
    Action.REJECT: product_reject,
    Action.ARCHIVE: product_archive,
    Action.UNPUBLISH: product_unpublish,
    Action.RESTORE: product_restore,
}


def product_transition(*, action: str, product: Product, user, **kwargs) -> ProductTransition:
    """Run the service of `action` (as the admin's bulk actions do)."""
    return SERVICES[action](product=product, user=user, **kwargs)


# ------------------------------------------------------------------------ in batches
@dataclass
class ProductOutcome:
    """What a batched transition did to one product: done, or refused and why."""

    product_id: int
    style_code: str
    ok: bool
    messages: list[str] = field(default_factory=list)
    code: str = ""

    def as_dict(self) -> dict:
        return {"product_id": self.product_id, "style_code": self.style_code, "ok": self.ok,
                "messages": self.messages, "code": self.code}


def _outcome(product_id: int, style_code: str, error: ValidationError | None = None
             ) -> ProductOutcome:
    if error is None:
        return ProductOutcome(product_id, style_code, True)
    return ProductOutcome(product_id, style_code, False, list(error.messages),
                          getattr(error, "code", None) or "refused")


class _Batch:
    """The products of a batched transition, locked in id order, with an outcome each.

    Ids not found are refused at once; :meth:`open` lists those in a state `action` starts
    from (the others are refused with the same message as the single-product service)."""

    def __init__(self, product_ids: Iterable[int], action: str):
        self.ids = list(dict.fromkeys(product_ids))
        if len(self.ids) > PUBLISH_BATCH:
            raise ValueError(f"At most {PUBLISH_BATCH} products a batch.")
        self.action = action
        self.products = Product.objects.select_for_update().order_by("pk").in_bulk(self.ids)
        self.outcomes: dict[int, ProductOutcome] = {
            pk: ProductOutcome(pk, "", False, ["This product no longer exists."], "not_found")
            for pk in self.ids if pk not in self.products
        }

    def open(self) -> list[Product]:
        found = []
        for product in self.products.values():
            try:
                _check_state(product, self.action)
            except TransitionRefused as refused:
                self.refuse(product, refused)
            else:
                found.append(product)
        return found

    def refuse(self, product: Product, error: ValidationError) -> None:
        self.outcomes[product.pk] = _outcome(product.pk, product.style_code, error)

    def done(self, products: Iterable[Product]) -> None:
        for product in products:
            self.outcomes[product.pk] = _outcome(product.pk, product.style_code)

    def results(self) -> list[ProductOutcome]:
        return [self.outcomes[pk] for pk in self.ids]


def products_submit(*, product_ids: Iterable[int], user, comment: str = ""
                    ) -> list[ProductOutcome]:
    """:func:`product_submit` for up to `PUBLISH_BATCH` products in one transaction; an
    outcome per product, in the order given."""
    _check_permission(user, Action.SUBMIT)
    with transaction.atomic():
        batch = _Batch(product_ids, Action.SUBMIT)
        products = batch.open()
        _record_batch(moves=[(p, Status.IN_REVIEW, ()) for p in products],
                      action=Action.SUBMIT, user=user, comment=comment)
        batch.done(products)
    return batch.results()


def products_approve(*, product_ids: Iterable[int], user,
                     channels: Iterable[Channel] | None = None, comment: str = ""
                     ) -> list[ProductOutcome]:
    """:func:`product_approve` for up to `PUBLISH_BATCH` products in one transaction, their
    snapshots written as one batch; an outcome per product, in the order given. Each product
    is all or nothing, as alone: refused while incomplete for any of the channels, or while
    renditions they need are being made (those are queued)."""
    _check_permission(user, Action.APPROVE)
    channels = _channels(channels)
    if not channels:
        raise TransitionRefused("There is no channel to publish to: create one first.",
                                code="no_channel")
    waiting = []
    with transaction.atomic():
        batch = _Batch(product_ids, Action.APPROVE)
        products = batch.open()
        reasons = completeness_reasons_batch(products, channels)
        complete = []
        for product in products:
            incomplete = [ChannelIncomplete(channel, reasons[product.pk, channel.pk])
                          for channel in channels if (product.pk, channel.pk) in reasons]
            if incomplete:
                batch.refuse(product, ProductIncomplete(product, incomplete))
            else:
                complete.append(product)
        ready = []
        for full in products_for_publishing([p.pk for p in complete], channels):
            if missing := renditions_missing_loaded(full, channels):
                batch.refuse(full, RenditionsNotReady(full, len(missing)))
                waiting.append(full.pk)
            else:
                ready.append(full)
        snapshots_publish_batch(products=ready, channels=channels)
        approved = [batch.products[full.pk] for full in ready]
        _record_batch(moves=[(p, Status.APPROVED, channels) for p in approved],
                      action=Action.APPROVE, user=user, comment=comment)
        batch.done(approved)
    specs = [spec for c in channels for spec in c.renditions]
    for product_id in waiting:
        renditions_queue_for_product(product_id=product_id, specs=specs)
    return batch.results()


def products_unpublish(*, product_ids: Iterable[int], user,
                       channels: Iterable[Channel] | None = None, comment: str = ""
                       ) -> list[ProductOutcome]:
    """:func:`product_unpublish` for up to `PUBLISH_BATCH` products in one transaction, their
    tombstones written as one batch; an outcome per product, in the order given."""
    _check_permission(user, Action.UNPUBLISH)
    channels = None if channels is None else list(channels)
    with transaction.atomic():
        batch = _Batch(product_ids, Action.UNPUBLISH)
        products = batch.open()
        live_of: dict[str, set[int]] = {}
        for style_code, channel_id in ProductSnapshot.objects.filter(
            style_code__in=[p.style_code for p in products], deleted=False
        ).values_list("style_code", "channel_id").distinct():
            live_of.setdefault(style_code, set()).add(channel_id)
        wanted = None if channels is None else {c.pk for c in channels}
        by_id = Channel.objects.in_bulk({pk for ids in live_of.values() for pk in ids})
        moves = []
        for product in products:
            live = live_of.get(product.style_code, set())
            taken = live if wanted is None else live & wanted
            if not taken:
                batch.refuse(product, _not_published(product, channels))
                continue
            to_status = product.status
            if not live - taken and product.status == Status.APPROVED:
                to_status = Status.DRAFT
            moves.append((product, to_status, [by_id[pk] for pk in taken]))
        snapshots_tombstone_batch(products=[m[0] for m in moves], channels=channels)
        _record_batch(moves=moves, action=Action.UNPUBLISH, user=user, comment=comment)
        batch.done(m[0] for m in moves)
    return batch.results()


BATCH_SERVICES = {
    Action.SUBMIT: products_submit,
    Action.APPROVE: products_approve,
    Action.UNPUBLISH: products_unpublish,
}
