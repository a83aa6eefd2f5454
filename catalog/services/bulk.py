"""Bulk work on products as background jobs: submit, approve, unpublish or mass-edit any
number of products, in batches, with progress and an outcome per product.

A request only stores the job (`bulk_job_create`); the worker (or the request itself on the
embedded defaults, where Celery is eager) runs it batch by batch, each batch in its own
transaction through the batched services, so that a page can follow it and be left.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError

from catalog.models import Channel, Job, ProductTransition
from catalog.services.jobs import job_create, job_runner
from catalog.services.products import products_mass_edit
from catalog.services.publishing import PUBLISH_BATCH
from catalog.services.workflow import BATCH_SERVICES, ProductOutcome

BULK_KIND = "products_bulk"
MASS_EDIT = "mass_edit"
Action = ProductTransition.Action
ACTIONS = {Action.SUBMIT: "Submit", Action.APPROVE: "Approve and publish",
           Action.UNPUBLISH: "Unpublish", MASS_EDIT: "Mass edit"}


def bulk_job_create(*, user, action: str, product_ids: Iterable[int],
                    channels: Iterable[Channel] | None = None, fields: dict | None = None,
                    comment: str = "") -> Job:
    """Store the job of `action` over `product_ids` and queue it (see the module).

    `channels`: for approve and unpublish (None: every channel, or wherever published);
    `fields`: what a mass edit sets (``products_mass_edit``'s `fields`).
    """
    if action not in ACTIONS:
        raise ValidationError(f"Unknown bulk action “{action}”.", code="unknown_action")
    ids = list(dict.fromkeys(int(pk) for pk in product_ids))
    if not ids:
        raise ValidationError("Choose at least one product.", code="no_product")
    if action == MASS_EDIT and not fields:
        raise ValidationError("Say what the mass edit sets.", code="no_field")
    params = {
        "action": action, "product_ids": ids, "comment": comment,
        "channels": None if channels is None else [c.pk for c in channels],
        "fields": fields or {},
    }
    job = job_create(kind=BULK_KIND, user=user, params=params)
    job.total = len(ids)
    job.save(update_fields=["total"])
    return job


@job_runner(BULK_KIND)
def products_bulk_job(job: Job, progress) -> dict:
    """Run a bulk job in batches of `PUBLISH_BATCH`, each through the batched service."""
    params = job.params
    action, ids = params["action"], params["product_ids"]
    channels = None
    if params.get("channels") is not None:
        channels = list(Channel.objects.filter(pk__in=params["channels"]).order_by("code"))
    results: list[dict] = []
    for start in range(0, len(ids), PUBLISH_BATCH):
        batch = ids[start:start + PUBLISH_BATCH]
        try:
            if action == MASS_EDIT:
                outcomes = products_mass_edit(user=job.user, product_ids=batch,
                                              fields=params["fields"])
            else:
                kwargs = {"comment": params.get("comment", "")}
                if action != Action.SUBMIT:
                    kwargs["channels"] = channels
                outcomes = BATCH_SERVICES[action](product_ids=batch, user=job.user, **kwargs)
        except (PermissionDenied, ValidationError) as refused:  # the whole batch
            messages = getattr(refused, "messages", None) or [str(refused)]
            outcomes = [ProductOutcome(pk, "", False, messages, "refused") for pk in batch]
        results += [outcome.as_dict() for outcome in outcomes]
        progress(len(results), len(ids))
    done = sum(1 for r in results if r["ok"])
    return {"action": action, "done": done, "refused": len(results) - done, "results": results}
