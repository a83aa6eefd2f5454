"""Every transition, its permission per role, refusals with reasons, the log and history."""
import pytest
from django.core.exceptions import PermissionDenied

from catalog.models import Channel, Product, ProductSnapshot, ProductTransition
from catalog.services.workflow import (
    ProductIncomplete,
    TransitionRefused,
    product_approve,
    product_archive,
    product_reject,
    product_restore,
    product_submit,
    product_unpublish,
)
from tests import factories
from tests.workflow.conftest import make_complete_product

pytestmark = pytest.mark.django_db
Status = Product.Status


def reload(product):
    return Product.objects.get(pk=product.pk)


def test_submit_approve_publishes_and_logs(complete_product, screens, merchandiser,
                                           content_manager):
    product_submit(product=complete_product, user=merchandiser)
    assert reload(complete_product).status == Status.IN_REVIEW

    transition = product_approve(product=complete_product, user=content_manager,
                                 channels=[screens], comment="Looks good")
    product = reload(complete_product)
    assert product.status == Status.APPROVED
    assert transition.action == "approve" and transition.user == content_manager
    assert transition.channels == ["store-screens"] and transition.comment == "Looks good"
    assert transition.from_status == "in_review" and transition.to_status == "approved"
    assert transition.product_version == product.version
    assert ProductSnapshot.objects.filter(style_code=product.style_code, deleted=False).count() == 2
    assert [t.action for t in product.transitions.all()] == ["approve", "submit"]
    last = product.history.first()
    assert last.status == "approved" and last.history_user == content_manager
    assert "Approved" in last.history_change_reason


def test_approval_is_refused_with_the_reasons_while_incomplete(screens, merchandiser,
                                                               content_manager):
    product = make_complete_product(photos=0, description_fr="")
    product_submit(product=product, user=merchandiser)

    with pytest.raises(ProductIncomplete) as refused:
        product_approve(product=product, user=content_manager, channels=[screens])

    text = " ".join(refused.value.messages)
    assert product.style_code in text and "Store screens" in text
    assert "photo" in text.lower()
    assert "[fr]" in text  # the French description only is missing
    assert reload(product).status == Status.IN_REVIEW
    assert not ProductSnapshot.objects.exists()
    assert not ProductTransition.objects.filter(action="approve").exists()


def test_approval_for_all_channels_is_all_or_nothing(screens, merchandiser, content_manager):
    factories.ChannelFactory()  # the web shop wants 4 photos and every field
    product = make_complete_product(photos=1)
    product_submit(product=product, user=merchandiser)
    with pytest.raises(ProductIncomplete) as refused:
        product_approve(product=product, user=content_manager)
    assert [item.channel.code for item in refused.value.incomplete] == ["webshop"]
    assert not ProductSnapshot.objects.exists()

    product_approve(product=product, user=content_manager, channels=[screens])
    assert set(ProductSnapshot.objects.values_list("channel__code", flat=True)) == {"store-screens"}


@pytest.mark.parametrize("service,kwargs", [
    (product_approve, {}),
    (product_reject, {"comment": "No"}),
    (product_archive, {}),
    (product_unpublish, {}),
])
def test_merchandisers_cannot_review(service, kwargs, complete_product, merchandiser):
    product_submit(product=complete_product, user=merchandiser)
    with pytest.raises(PermissionDenied, match="permission"):
        service(product=complete_product, user=merchandiser, **kwargs)
    assert reload(complete_product).status == Status.IN_REVIEW


@pytest.mark.parametrize("role", ["content_manager", "translator"])
def test_only_merchandisers_submit(role, request, complete_product):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        product_submit(product=complete_product, user=user)
    assert reload(complete_product).status == Status.DRAFT


@pytest.mark.parametrize("service,kwargs", [
    (product_submit, {}),
    (product_approve, {}),
    (product_reject, {"comment": "No"}),
    (product_archive, {}),
    (product_restore, {}),
])
def test_translators_move_nothing(service, kwargs, complete_product, translator):
    with pytest.raises(PermissionDenied):
        service(product=complete_product, user=translator, **kwargs)


def test_reject_needs_a_comment_and_returns_to_draft(complete_product, merchandiser,
                                                     content_manager):
    product_submit(product=complete_product, user=merchandiser)
    with pytest.raises(TransitionRefused, match="comment is required"):
        product_reject(product=complete_product, user=content_manager, comment="  ")
    assert reload(complete_product).status == Status.IN_REVIEW

    product_reject(product=complete_product, user=content_manager,
                   comment="The French description reads like a machine translation.")
    assert reload(complete_product).status == Status.DRAFT
    rejection = complete_product.transitions.first()
    assert rejection.action == "reject" and "machine translation" in rejection.comment


def test_transitions_from_the_wrong_state_are_refused(complete_product, merchandiser,
                                                      content_manager, screens):
    with pytest.raises(TransitionRefused, match="is draft"):
        product_approve(product=complete_product, user=content_manager, channels=[screens])
    with pytest.raises(TransitionRefused, match="is draft"):
        product_reject(product=complete_product, user=content_manager, comment="x")
    product_submit(product=complete_product, user=merchandiser)
    with pytest.raises(TransitionRefused, match="in review"):
        product_submit(product=complete_product, user=merchandiser)
    with pytest.raises(TransitionRefused, match="not published"):
        product_unpublish(product=complete_product, user=content_manager)
    assert complete_product.transitions.count() == 1


def test_archive_leaves_tombstones_and_restore_brings_a_draft(complete_product, screens,
                                                              merchandiser, content_manager):
    product_submit(product=complete_product, user=merchandiser)
    product_approve(product=complete_product, user=content_manager, channels=[screens])
    product_archive(product=complete_product, user=content_manager, comment="End of season")

    assert reload(complete_product).status == Status.ARCHIVED
    tombstones = ProductSnapshot.objects.filter(style_code=complete_product.style_code)
    assert tombstones.count() == 2 and all(s.deleted and s.version == 2 for s in tombstones)
    assert complete_product.transitions.first().channels == ["store-screens"]

    with pytest.raises(PermissionDenied):
        product_restore(product=complete_product, user=merchandiser)
    product_restore(product=complete_product, user=content_manager)
    assert reload(complete_product).status == Status.DRAFT
    # Restoring does not republish: only a new approval does.
    assert all(s.deleted for s in tombstones.all())


def test_unpublish_one_channel_keeps_the_others(complete_product, screens, merchandiser,
                                                content_manager):
    kiosk = Channel.objects.create(code="kiosk", name="Kiosk", locales=["en"],
                                   required_fields=["description"], min_photos=0)
    product_submit(product=complete_product, user=merchandiser)
    product_approve(product=complete_product, user=content_manager, channels=[screens, kiosk])

    product_unpublish(product=complete_product, user=content_manager, channels=[kiosk])
    live = ProductSnapshot.objects.filter(deleted=False)
    assert set(live.values_list("channel__code", flat=True)) == {"store-screens"}
    assert ProductSnapshot.objects.get(channel=kiosk).deleted
    assert reload(complete_product).status == Status.APPROVED

    product_unpublish(product=complete_product, user=content_manager)
    assert not ProductSnapshot.objects.filter(deleted=False).exists()
    assert reload(complete_product).status == Status.DRAFT


def test_an_approved_product_edited_is_submitted_and_approved_again(
    complete_product, screens, merchandiser, content_manager
):
    product_submit(product=complete_product, user=merchandiser)
    product_approve(product=complete_product, user=content_manager, channels=[screens])
    product = reload(complete_product)
    product.name_en = "Washed linen dress"
    product.save()

    assert ProductSnapshot.objects.get(locale="en").payload["name"] == "Linen dress"
    product_submit(product=product, user=merchandiser)
    # Still published while in review.
    assert ProductSnapshot.objects.get(locale="en").payload["name"] == "Linen dress"
    product_approve(product=product, user=content_manager, channels=[screens])
    snapshot = ProductSnapshot.objects.get(locale="en")
    assert snapshot.payload["name"] == "Washed linen dress" and snapshot.version == 2
