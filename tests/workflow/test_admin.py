"""The workflow through the admin, as people use it: buttons, bulk actions, refusals, history."""
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from catalog.models import Product, ProductSnapshot
from catalog.services.products import product_save
from catalog.services.workflow import product_approve, product_submit
from tests import factories
from tests.workflow.conftest import make_complete_product

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:catalog_product_changelist")


def change_url(product):
    return reverse("admin:catalog_product_change", args=[product.pk])


def workflow_url(product, action):
    return reverse("admin:catalog_product_workflow", args=[product.pk, action])


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def status(product):
    return Product.objects.get(pk=product.pk).status


def test_buttons_follow_role_and_state(client, complete_product, merchandiser, content_manager):
    client.force_login(merchandiser)
    page = client.get(change_url(complete_product)).content.decode()
    assert "Submit for review" in page and "Approve and publish" not in page

    product_submit(product=complete_product, user=merchandiser)
    client.force_login(content_manager)
    page = client.get(change_url(complete_product)).content.decode()
    assert "Approve and publish" in page and "Reject" in page
    assert "Submit for review" not in page


def buttons(client, product):
    return [str(b["action"]) for b in client.get(change_url(product)).context["workflow_buttons"]]


def test_buttons_offer_only_what_means_something_now(client, complete_product, merchandiser,
                                                     content_manager):
    client.force_login(merchandiser)
    assert buttons(client, complete_product) == ["submit"]  # never published: no unpublish
    client.force_login(content_manager)
    assert buttons(client, complete_product) == ["archive"]

    product_submit(product=complete_product, user=merchandiser)
    product_approve(product=complete_product, user=content_manager)
    assert buttons(client, complete_product) == ["archive", "unpublish"]  # live, nothing new

    complete_product.name_en = "Linen dress, new cut"
    product_save(product=complete_product, expected_version=complete_product.version,
                 user=merchandiser)
    page = client.get(change_url(complete_product)).content.decode()
    assert "Approve changes and publish" in page and "Submit changes" not in page
    assert buttons(client, complete_product) == ["approve", "archive", "unpublish"]
    client.force_login(merchandiser)
    assert "Submit changes for review" in client.get(change_url(complete_product)).content.decode()
    assert buttons(client, complete_product) == ["submit"]


def test_submit_then_approve_from_the_product_page(client, complete_product, screens,
                                                   merchandiser, content_manager):
    client.force_login(merchandiser)
    response = client.post(workflow_url(complete_product, "submit"))
    assert response.status_code == 302 and status(complete_product) == "in_review"

    client.force_login(content_manager)
    form = client.get(workflow_url(complete_product, "approve"))
    assert form.status_code == 200 and "Store screens" in form.content.decode()
    response = client.post(workflow_url(complete_product, "approve"),
                           {"channels": [screens.pk], "comment": "Ready"})
    assert response.status_code == 302
    assert status(complete_product) == "approved"
    assert ProductSnapshot.objects.filter(channel=screens, deleted=False).count() == 2
    assert any("approved" in m.lower() for m in texts(response))

    # The product page shows the workflow history.
    page = client.get(change_url(complete_product)).content.decode()
    assert "workflow history" in page.lower() and "Ready" in page


def test_refused_approval_lists_the_reasons(client, screens, merchandiser, content_manager):
    product = make_complete_product(photos=0)
    product_submit(product=product, user=merchandiser)
    client.force_login(content_manager)
    response = client.post(workflow_url(product, "approve"), {"channels": [screens.pk]})
    assert response.status_code == 302
    message = " ".join(texts(response))
    assert "incomplete for Store screens" in message and "photo" in message.lower()
    assert status(product) == "in_review" and not ProductSnapshot.objects.exists()


def test_reject_needs_a_comment(client, complete_product, merchandiser, content_manager):
    product_submit(product=complete_product, user=merchandiser)
    client.force_login(content_manager)
    response = client.post(workflow_url(complete_product, "reject"), {"comment": ""})
    assert response.status_code == 200
    assert "a comment is required" in response.content.decode()
    assert status(complete_product) == "in_review"

    client.post(workflow_url(complete_product, "reject"), {"comment": "Photos are blurry."})
    assert status(complete_product) == "draft"
    assert complete_product.transitions.first().comment == "Photos are blurry."


def test_a_forged_transition_without_permission_is_forbidden(client, complete_product,
                                                             merchandiser, translator):
    product_submit(product=complete_product, user=merchandiser)
    client.force_login(merchandiser)
    assert client.post(workflow_url(complete_product, "approve"), {}).status_code == 403
    assert client.post(workflow_url(complete_product, "archive"), {}).status_code == 403
    client.force_login(translator)
    assert client.post(workflow_url(complete_product, "submit")).status_code in (302, 403)
    assert status(complete_product) == "in_review"


@pytest.mark.parametrize("path", ["x/workflow/approve/", "1.5/translations/confirm/"])
def test_product_urls_with_a_malformed_id_say_the_product_does_not_exist(client, content_manager,
                                                                         path):
    client.force_login(content_manager)
    response = client.post(f"{CHANGELIST}{path}", follow=True)
    assert response.status_code == 200
    assert "doesn’t exist" in " ".join(texts(response))


def test_a_workflow_step_for_an_unknown_product_is_not_found(client, content_manager):
    client.force_login(content_manager)
    assert client.post(f"{CHANGELIST}99999999999999999999/workflow/submit/").status_code == 404


def test_a_transition_from_the_wrong_state_says_why(client, complete_product, content_manager,
                                                    screens):
    client.force_login(content_manager)
    response = client.post(workflow_url(complete_product, "approve"), {"channels": [screens.pk]})
    assert "applies only to products that are" in " ".join(texts(response))
    assert status(complete_product) == "draft"


def test_bulk_submit_and_approve_in_the_list(client, screens, merchandiser, content_manager,
                                             django_assert_max_num_queries,
                                             django_capture_on_commit_callbacks):
    products = [make_complete_product(photos=1) for _ in range(3)]
    ids = [p.pk for p in products]
    client.force_login(merchandiser)
    # Each bulk action asks for a confirmation, then runs as a job and opens its page.
    page = client.post(CHANGELIST, {"action": "workflow_submit", "_selected_action": ids})
    assert page.status_code == 200 and "<strong>3</strong> products" in page.content.decode()
    assert set(Product.objects.values_list("status", flat=True)) == {"draft"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHANGELIST, {"action": "workflow_submit", "_selected_action": ids,
                                            "index": "0", "bulk_confirm": "1"})
    assert response.status_code == 302 and "/bulk/" in response["Location"]
    assert set(Product.objects.values_list("status", flat=True)) == {"in_review"}

    client.force_login(content_manager)
    page = client.post(CHANGELIST, {"action": "workflow_approve", "_selected_action": ids})
    assert page.status_code == 200 and "Store screens" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHANGELIST, {"action": "workflow_approve", "_selected_action": ids,
                                            "index": "0", "bulk_confirm": "1",
                                            "channels": [screens.pk]})
    assert response.status_code == 302
    assert set(Product.objects.values_list("status", flat=True)) == {"approved"}
    assert ProductSnapshot.objects.filter(deleted=False).count() == 6
    assert "3 done, 0 refused." in client.get(response["Location"]).content.decode()

    # The list shows the status and filters by it, in as many queries for 3 rows as for 9
    # (each measured once the list's cover thumbnails exist).
    client.get(CHANGELIST, {"status__exact": "approved"})
    with django_assert_max_num_queries(60) as few:
        listing = client.get(CHANGELIST, {"status__exact": "approved"})
    queries_for_3 = len(few.captured_queries)
    assert listing.status_code == 200 and len(listing.context["cl"].result_list) == 3
    assert "Approved" in listing.content.decode()
    more = [make_complete_product(photos=1) for _ in range(6)]
    Product.objects.filter(pk__in=[p.pk for p in more]).update(status="approved")
    client.get(CHANGELIST, {"status__exact": "approved"})
    with django_assert_max_num_queries(queries_for_3):
        listing = client.get(CHANGELIST, {"status__exact": "approved"})
    assert len(listing.context["cl"].result_list) == 9


def test_bulk_actions_offered_by_role(client, merchandiser, content_manager, complete_product):
    client.force_login(merchandiser)
    choices = dict(client.get(CHANGELIST).context["action_form"].fields["action"].choices)
    assert "workflow_submit" in choices and "workflow_approve" not in choices
    client.force_login(content_manager)
    choices = dict(client.get(CHANGELIST).context["action_form"].fields["action"].choices)
    assert {"workflow_approve", "workflow_reject", "workflow_archive",
            "workflow_unpublish"} <= set(choices)
    assert "workflow_submit" not in choices


def test_bulk_reject_refusals_are_reported_per_product(client, merchandiser, content_manager,
                                                       complete_product):
    draft = factories.ProductFactory()
    product_submit(product=complete_product, user=merchandiser)
    client.force_login(content_manager)
    response = client.post(CHANGELIST, {
        "action": "workflow_reject", "_selected_action": [complete_product.pk, draft.pk],
        "workflow_confirm": "1", "comment": "Redo the photos.",
    })
    messages = " ".join(texts(response))
    assert f"{draft.style_code} is draft" in messages and "Rejected: 1 product" in messages
    assert status(complete_product) == "draft"
