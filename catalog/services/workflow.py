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

from catalog.models import Channel, Product, ProductSnapshot, ProductTransition

from .publishing import published_channels, snapshots_publish, snapshots_tombstone
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
    from_status = product.status
    codes = sorted(c.code for c in channels)
    if to_status != from_status:
        product.status = to_status
        # History keeps who moved the product and why; the version is not bumped, so an
        # editor with the page open keeps working on the same copy.
        product._history_user = user
        product._change_reason = f"{Action(action).label}" + (f" ({', '.join(codes)})" if codes else "")
        product.save(update_fields=["status", "updated_at"])
    return ProductTransition.objects.create(
        product=product, action=action, from_status=from_status, to_status=to_status,
        channels=codes, comment=comment, product_version=product.version, user=user,
        created_at=timezone.now(),
    )


def completeness_reasons(product: Product, channel: Channel) -> list[str]:
    """What keeps `product` from being complete for `channel`, as human messages (none: complete).

    A check failing in every locale of the channel is listed once; one failing in some
    locales only names them.
    """
    from catalog.services.completeness import completeness_for

    rows = completeness_for(product, channel)
    locales_of: dict[str, list[str]] = {}
    for row in rows:
        for failure in row.failures:
            locales_of.setdefault(str(failure["message"]), []).append(row.locale)
    every = len(channel.locales)
    return [
        message if len(locales) >= every or len(rows) == 1 and every == 1
        else f"{message} [{', '.join(locales)}]"
        for message, locales in locales_of.items()
    ]


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
        raise TransitionRefused(f"{product.style_code} is not published on "
                                f"{'these channels' if channels is not None else 'any channel'}.",
                                code="not_published")
    snapshots_tombstone(product=product, channels=live)
    still_live = published_channels(product)
    to_status = product.status
    if not still_live and product.status == Status.APPROVED:
        to_status = Status.DRAFT
    return _record(product=product, action=Action.UNPUBLISH, to_status=to_status, user=user,
                   comment=comment, channels=live)


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
