"""Bulk work as background jobs: from the product list through a confirmation to the job page,
and mass edits through the product page's rules."""
import pytest
from django.urls import reverse

from catalog.models import Job, Product, ProductSnapshot
from catalog.services.bulk import bulk_job_create
from catalog.services.products import products_mass_edit
from catalog.services.workflow import products_submit
from tests import factories
from tests.workflow.conftest import make_complete_product

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:catalog_product_changelist")


def job_url(job):
    return reverse("admin:catalog_product_bulk_job", args=[job.pk])


def test_approve_every_matching_product_as_a_job(client, screens, merchandiser, content_manager,
                                                 django_capture_on_commit_callbacks):
    products = [make_complete_product(photos=1) for _ in range(3)]
    draft = factories.ProductFactory()
    products_submit(product_ids=[p.pk for p in products], user=merchandiser)
    client.force_login(content_manager)

    # "Select all N matching": the page's ticked ids posted, the list's filters in the URL.
    ticked = [products[0].pk]
    page = client.post(CHANGELIST, {"action": "workflow_approve", "select_across": "1",
                                    "index": "0", "_selected_action": ticked})
    assert page.status_code == 200
    text = page.content.decode()
    assert "<strong>4</strong> products" in text and "Store screens" in text
    assert not ProductSnapshot.objects.exists() and not Job.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHANGELIST, {
            "action": "workflow_approve", "select_across": "1", "index": "0",
            "_selected_action": ticked, "bulk_confirm": "1", "channels": [screens.pk], "comment": "Spring"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert job.status == "done" and job.report["done"] == 3 and job.report["refused"] == 1
    assert set(Product.objects.filter(pk__in=[p.pk for p in products])
               .values_list("status", flat=True)) == {"approved"}
    assert ProductSnapshot.objects.filter(deleted=False).count() == 6

    page = client.get(job_url(job))
    text = page.content.decode()
    assert "3 done, 1 refused." in text and 'http-equiv="refresh"' not in text
    assert f"{draft.style_code} is draft" in text
    assert reverse("admin:catalog_product_change", args=[products[0].pk]) in text
    jobs = client.get(reverse("admin:catalog_job_changelist")).content.decode()
    assert job_url(job) in jobs


def test_a_running_job_page_refreshes_itself_without_script(client, content_manager):
    job = bulk_job_create(user=content_manager, action="submit", product_ids=[1, 2])
    client.force_login(content_manager)
    page = client.get(job_url(job)).content.decode()  # queued: on_commit did not run
    assert 'http-equiv="refresh"' in page and "0 of 2 products" in page
    assert "<script" not in page.split('id="bulk-job"')[1]


def test_another_users_job_is_not_found(client, merchandiser, content_manager):
    job = bulk_job_create(user=merchandiser, action="submit", product_ids=[1])
    client.force_login(content_manager)
    assert client.get(job_url(job)).status_code == 404
    jobs = client.get(reverse("admin:catalog_job_changelist")).content.decode()
    assert job_url(job) not in jobs


def test_a_job_refused_by_permission_reports_every_product(merchandiser, screens,
                                                         django_capture_on_commit_callbacks):
    product = make_complete_product(photos=1)
    with django_capture_on_commit_callbacks(execute=True):
        job = bulk_job_create(user=merchandiser, action="approve", product_ids=[product.pk])
    job.refresh_from_db()
    assert job.status == "done" and job.report["refused"] == 1
    assert "permission" in job.report["results"][0]["messages"][0]
    assert Product.objects.get(pk=product.pk).status == "draft"


def test_mass_edit_sets_fields_through_the_product_rules(merchandiser):
    season = factories.SeasonFactory()
    policy = factories.ReturnsPolicyFactory(name="Final sale", days=0)
    first, second = factories.ProductFactory(), factories.ProductFactory()
    outcomes = products_mass_edit(user=merchandiser, product_ids=[first.pk, second.pk], fields={
        "season": season.pk, "returns_policy": policy.pk, "care_washing": "wash_30",
        "shipping": [{"country": "DE", "cost": "5.90", "currency": "EUR", "min_days": 3,
                      "max_days": 5}]})
    assert [o.ok for o in outcomes] == [True, True]
    for product in Product.objects.filter(pk__in=[first.pk, second.pk]):
        assert (product.season_id, product.returns_policy_id, product.care_washing) == (
            season.pk, policy.pk, "wash_30")
        assert product.version == 2
        assert [str(c) for c in product.shipping_rates.values_list("country", flat=True)] == [
            "DE"]
        last = product.history.first()
        assert last.history_change_reason == "Mass edit by merch"
        assert last.history_user == merchandiser


def test_mass_edit_refuses_bad_input_and_leaves_products_untouched(merchandiser):
    department = factories.CategoryFactory()
    factories.CategoryFactory(parent=department)
    product = factories.ProductFactory()
    before = Product.objects.get(pk=product.pk)

    unknown = products_mass_edit(user=merchandiser, product_ids=[product.pk],
                                 fields={"category": 999_999})
    assert not unknown[0].ok and "no category with id 999999" in unknown[0].messages[0]

    department.refresh_from_db()
    refused = products_mass_edit(user=merchandiser, product_ids=[product.pk],
                                 fields={"category": department.pk})
    assert not refused[0].ok and refused[0].messages
    after = Product.objects.get(pk=product.pk)
    assert (after.category_id, after.version) == (before.category_id, before.version)


def test_mass_edit_through_the_admin(client, merchandiser, django_capture_on_commit_callbacks):
    season = factories.SeasonFactory()
    products = [factories.ProductFactory() for _ in range(2)]
    ids = [p.pk for p in products]
    client.force_login(merchandiser)
    page = client.post(CHANGELIST, {"action": "mass_edit", "_selected_action": ids,
                                    "index": "0"})
    assert page.status_code == 200 and 'name="season"' in page.content.decode()

    nothing = client.post(CHANGELIST, {"action": "mass_edit", "_selected_action": ids,
                                       "index": "0", "bulk_confirm": "1"})
    assert "Choose at least one field" in nothing.content.decode()
    bad_care = client.post(CHANGELIST, {"action": "mass_edit", "_selected_action": ids,
                                        "index": "0", "bulk_confirm": "1",
                                        "care": "washing: boil"})
    assert "Unknown washing care code" in bad_care.content.decode()
    assert not Job.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHANGELIST, {"action": "mass_edit", "_selected_action": ids,
                                            "index": "0", "bulk_confirm": "1",
                                            "season": season.pk})
    job = Job.objects.get()
    assert response["Location"] == job_url(job)
    assert set(Product.objects.filter(pk__in=ids).values_list("season", flat=True)) == {
        season.pk}
