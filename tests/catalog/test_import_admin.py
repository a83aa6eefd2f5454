"""The import and export pages of the product admin."""
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import Job, Product
from tests import factories
from tests.catalog.import_helpers import HEADER, csv_bytes

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:catalog_product_import")


def rows(style="WD-25-0001", brand="maison", gtin=None):
    return [[style, brand, "SS25", "Women > Dresses", "Linen dress", "BLK", "Black",
             f"{style}-BLK-M", "M", gtin or factories.valid_gtin(5), "M: eu=38"]]


def upload(client, data: bytes, name="ss25.csv", capture=None, **extra):
    with capture(execute=True):
        response = client.post(IMPORT, {"file": SimpleUploadedFile(name, data), **extra})
    assert response.status_code == 302, response.content[:2000]
    return response["Location"]


def test_upload_dry_run_report_then_apply(admin_client, refs, django_capture_on_commit_callbacks):
    data = csv_bytes(rows(), header=HEADER + ["size_chart"])
    job_url = upload(admin_client, data, capture=django_capture_on_commit_callbacks)
    page = admin_client.get(job_url).content.decode()
    assert "1 would be created" in page and 'id="import-apply"' in page
    assert "http-equiv=\"refresh\"" not in page  # done: no more refreshing
    assert not Product.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(job_url)
    applied = Job.objects.get(params__dry_run=False)
    assert response["Location"] == reverse("admin:catalog_product_import_job", args=[applied.pk])
    page = admin_client.get(response["Location"]).content.decode()
    assert "1 were created" in page and 'id="import-apply"' not in page
    assert applied.status == "done" and applied.file.name == Job.objects.get(
        params__dry_run=True).file.name
    assert Product.objects.get().history.get().history_change_reason == (
        "imported by admin from file ss25.csv")


def test_report_lists_problems_and_offers_the_marked_file(admin_client, refs,
                                                          django_capture_on_commit_callbacks):
    data = csv_bytes(rows(brand="nobrand"), header=HEADER + ["size_chart"])
    job_url = upload(admin_client, data, capture=django_capture_on_commit_callbacks)
    page = admin_client.get(job_url).content.decode()
    assert "There is no brand “nobrand”" in page and "1 refused" in page
    job = Job.objects.get()
    marked = admin_client.get(reverse("admin:catalog_product_import_marked", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(marked.streaming_content))).active
    assert "no brand" in sheet.cell(2, 2).comment.text


def test_a_file_that_is_not_a_spreadsheet_gets_a_clear_message(
        admin_client, refs, django_capture_on_commit_callbacks):
    job_url = upload(admin_client, b"\x89PNG\r\n\x1a\n\x00\x00", name="photo.csv",
                     capture=django_capture_on_commit_callbacks)
    page = admin_client.get(job_url).content.decode()
    assert "not a spreadsheet" in page and 'id="import-apply"' not in page


def test_a_file_above_the_limit_is_refused_by_the_form(admin_client, refs, settings):
    settings.PRODUCT_IMPORT_MAX_BYTES = 100
    response = admin_client.post(IMPORT, {"file": SimpleUploadedFile("big.csv", b"x" * 500)})
    assert response.status_code == 200
    assert "imports take files up to 100 bytes" in response.content.decode()
    assert not Job.objects.exists()


def test_a_running_job_page_refreshes_and_shows_its_progress(admin_client, admin_user):
    job = Job.objects.create(kind="products_import", user=admin_user, status="running",
                             done=250, total=1000, filename="big.csv",
                             params={"dry_run": True})
    page = admin_client.get(reverse("admin:catalog_product_import_job", args=[job.pk]))
    html = page.content.decode()
    assert 'http-equiv="refresh"' in html and 'value="25"' in html
    assert "250 of about 1000 rows" in html


def test_someone_elses_import_is_not_shown(client, admin_user):
    other = factories.SuperUserFactory()
    job = Job.objects.create(kind="products_import", user=admin_user, filename="x.csv")
    staff = factories.UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.set(Permission.objects.filter(
        codename__in=["add_product", "change_product", "view_product"]))
    client.force_login(staff)
    assert client.get(reverse("admin:catalog_product_import_job", args=[job.pk])).status_code == 404
    client.force_login(other)
    assert client.get(reverse("admin:catalog_product_import_job", args=[job.pk])).status_code == 200


def test_import_needs_add_and_change_permissions(client):
    from django.contrib.auth.models import Permission

    viewer = factories.UserFactory(is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_product"))
    client.force_login(viewer)
    assert client.get(IMPORT).status_code == 403
    assert client.get(reverse("admin:catalog_product_import_format")).status_code == 200


def test_format_page_and_templates(admin_client):
    page = admin_client.get(reverse("admin:catalog_product_import_format")).content.decode()
    assert "<code>name[fr]</code>" in page and "#clear" in page and "shell: 95% cotton" in page
    template = admin_client.get(reverse("admin:catalog_product_import_template", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(template.streaming_content))).active
    assert sheet.cell(1, 1).value == "style_code" and sheet.cell(2, 1).value == "WD-24-0193"
    csv_template = admin_client.get(reverse("admin:catalog_product_import_template",
                                            args=["csv"]))
    assert b"".join(csv_template.streaming_content).decode("utf-8-sig").startswith("style_code,")


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_export_action_exports_the_selection(admin_client, format):
    products = factories.ProductFactory.create_batch(3)
    response = admin_client.post(reverse("admin:catalog_product_changelist"), {
        "action": f"export_{format}", "_selected_action": [products[0].pk, products[2].pk]})
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    if format == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        styles = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    else:
        styles = [line.split(",")[0] for line in data.decode("utf-8-sig").splitlines()[1:]]
    assert styles == sorted([products[0].style_code, products[2].style_code])


def test_export_action_over_all_filtered_products(admin_client):
    kept = factories.ProductFactory(season=factories.SeasonFactory(code="AW25", name="AW25"))
    factories.ProductFactory()
    url = reverse("admin:catalog_product_changelist") + f"?season__id__exact={kept.season_id}"
    response = admin_client.post(url, {"action": "export_csv", "select_across": "1",
                                       "_selected_action": [kept.pk]})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == [kept.style_code]


def test_changelist_links_to_import_and_format(admin_client):
    page = admin_client.get(reverse("admin:catalog_product_changelist")).content.decode()
    assert IMPORT in page and reverse("admin:catalog_product_import_format") in page
