"""The `load_demo` workflow step: roles, their demo users and a realistic mix of states.

Some products published on the channels they are complete for, some in review, some rejected
back to draft, a few archived, the rest drafts; a few translated products whose English text
changed after translation (outdated). Every step goes through the workflow services, so the
history and snapshots are what real use would leave. Idempotent: a product already moved is
left where it is, and an English text already edited is not edited again.
"""
from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from catalog.models import Channel, Product, ProductCompleteness, TranslatorAssignment
from catalog.services.completeness import completeness_recompute
from catalog.services.products import product_save
from catalog.services.roles import CONTENT_MANAGER, MERCHANDISER, TRANSLATOR, roles_setup
from catalog.services.translations import translation_stamps_bootstrap
from catalog.services.workflow import (
    ProductIncomplete,
    product_approve,
    product_archive,
    product_reject,
    product_submit,
)

# Shares of the catalog in each state (the rest stays draft), with a floor for small demos.
PUBLISHED = (0.08, 2)
ARCHIVED = (0.008, 1)
IN_REVIEW = (0.06, 2)
REJECTED = (0.015, 1)
OUTDATED = (0.03, 2)
EDIT_MARK = " Store folded."
REJECTION = "The editorial text needs the fabric weight and the fit advice before it goes live."

Status = Product.Status


def demo_users() -> dict[str, object]:
    from django.contrib.auth.models import Group

    roles_setup()
    users = {}
    for username, role in (("merchandiser", MERCHANDISER), ("manager", CONTENT_MANAGER),
                           ("translator", TRANSLATOR)):
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True, "email": f"{username}@example.com"})
        if created:
            user.set_unusable_password()
            user.save()
        user.groups.add(Group.objects.get(name=role))
        users[role] = user
    TranslatorAssignment.objects.get_or_create(user=users[TRANSLATOR],
                                               defaults={"locales": ["fr", "pl"]})
    return users


def complete_channels(product_ids) -> dict[int, list[Channel]]:
    """Per product, the channels it is complete for in every locale (from current rows)."""
    channels = {c.pk: c for c in Channel.objects.all()}
    rows = (ProductCompleteness.objects.filter(product_id__in=product_ids)
            .order_by().values("product_id", "channel_id")
            .annotate(total=Count("id"), done=Count("id", filter=Q(complete=True))))
    result: dict[int, list[Channel]] = {}
    for row in rows:
        channel = channels[row["channel_id"]]
        if row["done"] == row["total"] == len(channel.locales):
            result.setdefault(row["product_id"], []).append(channel)
    return result


def load_demo_workflow(command) -> dict[str, int]:
    users = demo_users()
    merchandiser, manager = users[MERCHANDISER], users[CONTENT_MANAGER]
    translation_stamps_bootstrap()
    drafts = list(Product.objects.filter(status=Status.DRAFT, transitions__isnull=True)
                  .order_by("style_code"))
    if Product.objects.filter(transitions__isnull=False).exists():
        drafts = []  # the mix is already there
    completeness_recompute(product_ids=[p.pk for p in drafts])
    complete = complete_channels([p.pk for p in drafts])
    total = Product.objects.count()
    n_published, n_archived, n_review, n_rejected, n_outdated = (
        max(floor, round(total * share))
        for share, floor in (PUBLISHED, ARCHIVED, IN_REVIEW, REJECTED, OUTDATED)
    )

    published, used = [], set()
    for product in drafts:
        if len(published) >= n_published + n_archived:
            break
        channels = complete.get(product.pk)
        if not channels:
            continue
        product_submit(product=product, user=merchandiser)
        try:
            product_approve(product=product, user=manager, channels=channels,
                            comment="Checked against the sample.")
        except ProductIncomplete:
            continue
        published.append(product)
        used.add(product.pk)
    for product in published[n_published:]:
        product_archive(product=product, user=manager, comment="Discontinued style.")

    rest = [p for p in drafts if p.pk not in used]
    for product in rest[:n_review]:
        product_submit(product=product, user=merchandiser)
    for product in rest[n_review:n_review + n_rejected]:
        product_submit(product=product, user=merchandiser)
        product_reject(product=product, user=manager, comment=REJECTION)

    # Outdated translations: the English care text changes after the French was written.
    edited = 0
    candidates = (Product.objects.exclude(care_text_fr="").exclude(care_text_fr__isnull=True)
                  .exclude(status=Status.ARCHIVED).order_by("-style_code"))
    already = candidates.filter(care_text_en__endswith=EDIT_MARK).count()
    for product in candidates.exclude(care_text_en__endswith=EDIT_MARK)[:max(0, n_outdated - already)]:
        product.care_text_en = (product.care_text_en or "") + EDIT_MARK
        product_save(product=product, expected_version=product.version, user=merchandiser)
        edited += 1

    counts = {s: Product.objects.filter(status=s).count() for s in Status.values}
    command.stdout.write(
        "Demo workflow: " + ", ".join(f"{n} {Status(s).label.lower()}" for s, n in counts.items())
        + f"; {already + edited} products with outdated translations. Role users: merchandiser, "
        "manager, translator (set a password in the admin to log in as them)."
    )
    return counts
