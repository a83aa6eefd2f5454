"""Bulk upload of a shoot: placing and refusing, from a folder, a zip, or the admin."""
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from catalog.models import ProductPhoto
from media.models import Asset
from catalog.selectors import colour_photos
from catalog.services.shoots import photos_import
from tests import factories
from tests.media import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def dress(db):
    product = factories.ProductFactory(style_code="WD-24-0193")
    factories.ColourFactory(product=product, code="BLK", name="Black")
    factories.ColourFactory(product=product, code="RED", name="Red")
    return product


def _photo(n: int) -> bytes:
    return builders.jpeg(size=(60, 75), colour=(n * 11 % 256, 40, 200))


def _shoot() -> dict[str, bytes]:
    return {
        "WD-24-0193_BLK_02.jpg": _photo(2),
        "WD-24-0193_BLK_01.jpg": _photo(1),
        "WD-24-0193_BLK_10.jpg": _photo(10),
        "WD-24-0193_red_01.JPG": _photo(21),  # codes are matched without regard to case
        "WD-24-0193_RED_02.png": builders.png(colour=(1, 2, 3)),
        "WD-24-0193_BLK_03.jpg": b"<html>not a photo</html>",
        "WD-24-0193_GRN_01.jpg": _photo(31),
        "XX-99-0000_BLK_01.jpg": _photo(41),
        "IMG_4711.jpg": _photo(51),
        "WD-24-0193_RED_03.jpg": _photo(1),  # same bytes as BLK 01: stored once, placed twice
    }


def _check_report(report_text: str, dress) -> None:
    black, red = dress.colours.order_by("code")
    assert [(p.position, p.asset.original_filename, p.role) for p in colour_photos(black)] == [
        (1, "WD-24-0193_BLK_01.jpg", "front"),
        (2, "WD-24-0193_BLK_02.jpg", "back"),
        (3, "WD-24-0193_BLK_10.jpg", "detail"),
    ]
    assert [p.asset.original_filename for p in colour_photos(red)] == [
        "WD-24-0193_red_01.JPG", "WD-24-0193_RED_02.png", "WD-24-0193_BLK_01.jpg"]
    assert Asset.objects.count() == 5
    for expected in [
        "6 placed, 0 already there, 4 refused",
        "PLACED   WD-24-0193_BLK_01.jpg -> WD-24-0193 / BLK #1",
        "REFUSED  WD-24-0193_BLK_03.jpg -> WD-24-0193 / BLK: “WD-24-0193_BLK_03.jpg” is an HTML",
        "REFUSED  WD-24-0193_GRN_01.jpg -> WD-24-0193 / GRN: Product WD-24-0193 has no colour GRN "
        "(it has BLK, RED).",
        "REFUSED  XX-99-0000_BLK_01.jpg -> XX-99-0000 / BLK: No product has the style code XX-99-0000.",
        "REFUSED  IMG_4711.jpg: The name does not follow <style code>_<colour code>_<nn>.<ext>",
    ]:
        assert expected in report_text


def test_import_a_folder_with_the_command(dress, tmp_path, stored_files):
    folder = tmp_path / "shoot"
    (folder / "day2").mkdir(parents=True)
    for i, (name, data) in enumerate(_shoot().items()):
        (folder / ("day2" if i % 2 else "") / name).write_bytes(data)
    (folder / ".DS_Store").write_bytes(b"junk")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_photos", str(folder), stdout=out, stderr=err)
    _check_report(out.getvalue(), dress)
    assert "4 file(s) refused" in err.getvalue()
    assert "10/10" in err.getvalue()  # the progress bar reached the end
    originals = {f for f in stored_files() if f.startswith("originals/")}
    assert originals == set(Asset.objects.values_list("file", flat=True))

    # Running the same shoot again places nothing twice.
    out = io.StringIO()
    call_command("import_photos", str(folder), "--no-progress", stdout=out, stderr=io.StringIO())
    assert "0 placed, 6 already there, 4 refused" in out.getvalue()
    assert ProductPhoto.objects.count() == 6


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(f"SS25 shoot/{name}", data)
        archive.writestr("__MACOSX/SS25 shoot/._WD-24-0193_BLK_01.jpg", b"resource fork")
    return buffer.getvalue()


def test_import_a_zip_with_the_command(dress, tmp_path):
    path = tmp_path / "shoot.zip"
    path.write_bytes(_zip(_shoot()))
    out = io.StringIO()
    call_command("import_photos", str(path), "--no-progress", stdout=out, stderr=io.StringIO())
    _check_report(out.getvalue(), dress)


def test_import_refuses_the_eleventh_photo_and_duplicate_numbers(dress):
    black = dress.colours.get(code="BLK")
    files = {f"WD-24-0193_BLK_{n:02d}.jpg": _photo(n) for n in range(1, 12)}
    files["WD-24-0193_BLK_5.jpg"] = _photo(99)
    report = photos_import(files=[(name, lambda d=data: d) for name, data in files.items()])
    assert colour_photos(black).count() == 10
    refused = {line.filename: line.message for line in report.refused}
    assert "at most 10 photos" in refused["WD-24-0193_BLK_11.jpg"]
    assert "also numbered 05" in refused["WD-24-0193_BLK_5.jpg"]


def test_command_refuses_a_path_that_is_not_a_shoot(tmp_path):
    from django.core.management.base import CommandError

    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(CommandError, match="neither a folder nor a zip"):
        call_command("import_photos", str(tmp_path / "notes.txt"))


def test_import_in_the_admin(dress, admin_client):
    url = reverse("admin:media_asset_import_shoot")
    assert admin_client.get(url).status_code == 200
    shoot = _shoot()
    loose = "WD-24-0193_RED_02.png"
    response = admin_client.post(url, {"files": [
        SimpleUploadedFile("shoot.zip", _zip({k: v for k, v in shoot.items() if k != loose})),
        SimpleUploadedFile(loose, shoot[loose]),
    ]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "6 placed, 0 already there, 4 refused" in page
    assert "No product has the style code XX-99-0000." in page
    assert ProductPhoto.objects.count() == 6
