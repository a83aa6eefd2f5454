"""Bulk upload of a shoot: placing and refusing, from a folder, a zip, or the admin."""
import contextlib
import io
import re
import struct
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from catalog.models import ProductPhoto
from catalog.selectors import colour_photos
from catalog.services.shoots import photos_import, shoot_files_from_zip
from media.models import Asset
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
    assert "11/11" in err.getvalue()  # the progress bar reached the end
    assert "IGNORED  .DS_Store: A system file, not a photo." in out.getvalue()
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


# ----------------------------------------------------------------------------- damaged zips
# Archives built with zipfile, then damaged in their bytes the way real ones arrive.
GOOD = "WD-24-0193_BLK_01.jpg"
BAD = "WD-24-0193_BLK_02.jpg"


def _built(files: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _headers(data: bytes, member: str) -> tuple[int, int, zipfile.ZipInfo]:
    """Offsets of a member's local header and of its central directory entry."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    central = data.index(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(member)] != member.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    return info.header_offset, central, info


def _patched(data: bytes, member: str, *, flags=None, method=None, sizes=None,
             local=True, central=True) -> bytes:
    """Set a member's flag bits, compression method or (compressed, real) sizes."""
    data = bytearray(data)
    local_at, central_at, _ = _headers(bytes(data), member)
    for at, wanted in ((local_at + 6, local), (central_at + 8, central)):
        if wanted and flags is not None:
            struct.pack_into("<H", data, at, flags)
        if wanted and method is not None:
            struct.pack_into("<H", data, at + 2, method)
        if wanted and sizes is not None:
            struct.pack_into("<II", data, at + 12, *sizes)
    return bytes(data)


def _flipped(data: bytes, member: str) -> bytes:
    """One byte of the member's data changed: its CRC no longer matches."""
    data = bytearray(data)
    local_at, _, info = _headers(bytes(data), member)
    name_length, extra_length = struct.unpack_from("<HH", data, local_at + 26)
    data[local_at + 30 + name_length + extra_length + info.compress_size // 2] ^= 0xFF
    return bytes(data)


def _pair() -> dict[str, bytes]:
    return {GOOD: _photo(1), BAD: _photo(2)}


def _damaged(kind: str) -> bytes:
    data = _built(_pair(), zipfile.ZIP_STORED if kind == "crc" else zipfile.ZIP_DEFLATED)
    size = _headers(data, BAD)[2]
    return {
        "crc": lambda: _flipped(data, BAD),
        "real size smaller": lambda: _patched(data, BAD, local=False,
                                              sizes=(size.compress_size, size.file_size + 999)),
        "real size larger": lambda: _patched(data, BAD, sizes=(size.compress_size, 100)),
        "compressed size": lambda: _patched(data, BAD, sizes=(size.compress_size // 2,
                                                              size.file_size)),
        "huge size": lambda: _patched(data, BAD, sizes=(size.compress_size, 0xFFFFFFF0)),
        "encrypted": lambda: _patched(data, BAD, flags=0x1),
        "method 99": lambda: _patched(data, BAD, method=99),
    }[kind]()


DAMAGED_MEMBERS = {
    "crc": "The file is damaged in the archive (Bad CRC-32 for file 'WD-24-0193_BLK_02.jpg').",
    "real size smaller": "The file is damaged in the archive (it holds",
    "real size larger": "The file is damaged in the archive (Bad CRC-32",
    "compressed size": "The file is damaged in the archive (",
    "huge size": "The file is larger than the limit of 500 MB.",
    "encrypted": "The file is encrypted; zip the shoot without a password.",
    "method 99": "compressed with a method the import cannot read (method 99)",
}


def _nothing_left_behind(stored_files, placed: int) -> None:
    assert ProductPhoto.objects.count() == Asset.objects.count() == placed
    originals = {f for f in stored_files() if f.startswith("originals/")}
    assert originals == set(Asset.objects.values_list("file", flat=True))


@pytest.mark.parametrize("kind", DAMAGED_MEMBERS)
def test_a_damaged_member_is_refused_and_the_others_placed(kind, dress, stored_files):
    report = photos_import(files=shoot_files_from_zip(io.BytesIO(_damaged(kind))))
    assert [line.filename for line in report.placed] == [GOOD]
    [refused] = report.refused
    assert refused.filename == BAD and DAMAGED_MEMBERS[kind] in refused.message
    _nothing_left_behind(stored_files, placed=1)


def test_false_sizes_in_the_local_header_alone_do_not_matter(dress):
    # The central directory is the archive's index; the member's data is intact.
    data = _built(_pair())
    report = photos_import(files=shoot_files_from_zip(io.BytesIO(
        _patched(data, BAD, central=False, sizes=(1, 2)))))
    assert len(report.placed) == 2


def _unreadable() -> dict[str, bytes]:
    data = _built(_pair())
    return {"truncated": data[: len(data) * 2 // 3],
            "no central directory": data[: data.index(b"PK\x01\x02")]}


@pytest.mark.parametrize("kind", ["truncated", "no central directory"])
def test_an_archive_that_cannot_be_opened_is_one_clear_error(kind, dress, tmp_path,
                                                             admin_client, stored_files):
    data = _unreadable()[kind]
    message = ("shoot.zip could not be read as a zip archive (File is not a zip file); it may be "
               "truncated or damaged. Nothing was imported from it.")
    with pytest.raises(ValidationError) as caught:
        shoot_files_from_zip(io.BytesIO(data), name="shoot.zip")
    assert caught.value.messages == [message]

    path = tmp_path / "shoot.zip"
    path.write_bytes(data)
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_photos", str(path), "--no-progress", stdout=io.StringIO())

    response = admin_client.post(reverse("admin:media_asset_import_shoot"),
                                 {"files": [SimpleUploadedFile("shoot.zip", data)]})
    assert response.status_code == 200
    assert message in response.content.decode()
    _nothing_left_behind(stored_files, placed=0)


def _bomb(size: int, name: str = BAD, good: str = GOOD) -> bytes:
    """A member of ``size`` zero bytes (a few kilobytes in the archive) after a good photo."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(good, _photo(1 if good == GOOD else 7))
        with archive.open(name, "w", force_zip64=True) as member:
            for _ in range(size // 2**20):
                member.write(bytes(2**20))
    return buffer.getvalue()


def _read_peak(data: bytes) -> int:
    """The most memory reading every member of the archive took, refused or not."""
    files = shoot_files_from_zip(io.BytesIO(data))
    tracemalloc.start()
    try:
        for _name, read in files:
            with contextlib.suppress(ValidationError):
                read()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_zip_bomb_is_refused_without_inflating(dress, stored_files):
    data = _bomb(64 * 2**20)
    assert len(data) < 200_000
    assert _read_peak(data) < 2**20
    report = photos_import(files=shoot_files_from_zip(io.BytesIO(data)))
    assert [line.filename for line in report.placed] == [GOOD]
    assert "expands more than 200 times its compressed size" in report.refused[0].message

    # Headers that lie about the size: the read stops where the declared size ends.
    size = _headers(data, BAD)[2]
    lying = _patched(data, BAD, sizes=(size.compress_size, 1000), local=False)
    assert _read_peak(lying) < 2**20
    report = photos_import(files=shoot_files_from_zip(io.BytesIO(lying)))
    assert "The file is damaged in the archive" in report.refused[0].message
    _nothing_left_behind(stored_files, placed=1)


def test_members_are_held_to_the_upload_and_the_archive_limits(dress, settings, stored_files):
    photos = {f"WD-24-0193_BLK_{n:02d}.jpg": builders.jpeg(size=(400, 500), colour=(n * 60, 9, 9),
                                                           quality=100) for n in (1, 2, 3)}
    sizes = [len(data) for data in photos.values()]
    settings.MEDIA_MAX_UPLOAD_BYTES = max(sizes) + 10
    settings.MEDIA_MAX_ZIP_BYTES = sum(sizes[:2]) + 10
    big = builders.png(size=(700, 700), colour=(5, 5, 5))
    photos["WD-24-0193_RED_01.png"] = big + bytes(settings.MEDIA_MAX_UPLOAD_BYTES)
    report = photos_import(files=shoot_files_from_zip(io.BytesIO(
        _built(photos, zipfile.ZIP_STORED))))
    assert len(report.placed) == 2, report.as_text()
    refused = {line.filename: line.message for line in report.refused}
    assert refused["WD-24-0193_BLK_03.jpg"].startswith(
        "The archive's files add up to more than the limit of")
    assert refused["WD-24-0193_RED_01.png"].startswith("The file is larger than the limit of")
    _nothing_left_behind(stored_files, placed=2)


def test_every_name_is_reported(dress):
    data = _built({
        "SS25/" + GOOD: _photo(1),
        "..\\..\\WD-24-0193_RED_07.jpg": _photo(2),
        "../WD-24-0193_RED_08.jpg": _photo(3),
        "SS25\\day2\\WD-24-0193_BLK_02.jpg": _photo(4),  # a zip made on Windows
        "__MACOSX/SS25/._" + GOOD: b"resource fork",
        "SS25/.DS_Store": b"junk",
        "SS25/Thumbs.db": b"junk",
        "SS25/notes.txt": b"hello",
    })
    report = photos_import(files=shoot_files_from_zip(io.BytesIO(data)))
    lines = {line.filename: (line.status, line.message) for line in report.lines}
    assert len(lines) == 8
    assert lines[GOOD] == ("placed", "")
    assert lines["WD-24-0193_BLK_02.jpg"] == ("placed", "")
    climbs = ("refused", ("The path climbs out of the archive's folder (“..”); the file is not "
                          "imported."))
    assert lines["..\\..\\WD-24-0193_RED_07.jpg"] == climbs
    assert lines["../WD-24-0193_RED_08.jpg"] == climbs
    assert lines["._" + GOOD] == ("ignored", "macOS resource data (__MACOSX), not a photo.")
    assert lines[".DS_Store"] == lines["Thumbs.db"] == ("ignored", "A system file, not a photo.")
    assert lines["notes.txt"][0] == "refused"
    assert report.summary() == "2 placed, 0 already there, 3 refused, 3 ignored"


def _mixed_shoot() -> bytes:
    """Good photos, a damaged member and a file that is no image, in one zip."""
    files = {f"WD-24-0193_BLK_{n:02d}.jpg": _photo(n) for n in (1, 2, 4)}
    files["WD-24-0193_BLK_03.jpg"] = _photo(3)
    files["WD-24-0193_RED_01.jpg"] = _photo(21)[:200]  # a truncated JPEG
    return _flipped(_built(files, zipfile.ZIP_STORED), "WD-24-0193_BLK_03.jpg")


def _check_mixed(text: str) -> None:
    assert "3 placed, 0 already there, 2 refused, 0 ignored" in text
    assert "REFUSED  WD-24-0193_BLK_03.jpg -> WD-24-0193 / BLK: The file is damaged" in text
    assert "REFUSED  WD-24-0193_RED_01.jpg -> WD-24-0193 / RED: " in text


def test_the_command_reports_every_file_of_a_damaged_shoot(dress, tmp_path, stored_files):
    path = tmp_path / "shoot.zip"
    path.write_bytes(_mixed_shoot())
    out, err = io.StringIO(), io.StringIO()
    call_command("import_photos", str(path), "--no-progress", stdout=out, stderr=err)  # exit 0
    _check_mixed(out.getvalue())
    assert "PLACED   WD-24-0193_BLK_04.jpg -> WD-24-0193 / BLK #3" in out.getvalue()
    assert "REFUSED  WD-24-0193_RED_01.jpg -> WD-24-0193 / RED: “WD-24-0193_RED_01.jpg” is " \
           "truncated" in out.getvalue()
    assert "2 file(s) refused" in err.getvalue()
    _nothing_left_behind(stored_files, placed=3)


def test_the_admin_reports_every_file_of_a_damaged_shoot(dress, admin_client, stored_files):
    response = admin_client.post(reverse("admin:media_asset_import_shoot"), {"files": [
        SimpleUploadedFile("shoot.zip", _mixed_shoot()),
        SimpleUploadedFile("bomb.zip", _bomb(8 * 2**20, name="WD-24-0193_RED_02.jpg",
                                             good="WD-24-0193_RED_03.jpg")),
    ]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "4 placed, 0 already there, 3 refused, 0 ignored" in page
    assert page.count('class="import-refused"') == 3
    assert "Bad CRC-32 for file" in page
    assert "expands more than 200 times its compressed size" in page
    _nothing_left_behind(stored_files, placed=4)


def test_an_unexpected_failure_on_one_file_is_a_refused_line(dress, monkeypatch, stored_files):
    from catalog.services import shoots

    real = shoots.photo_add

    def photo_add(**kwargs):
        if kwargs["filename"] == BAD:
            raise RuntimeError("the decoder crashed")
        return real(**kwargs)

    monkeypatch.setattr(shoots, "photo_add", photo_add)
    report = photos_import(files=shoot_files_from_zip(io.BytesIO(_built(_pair()))))
    assert [line.filename for line in report.placed] == [GOOD]
    assert report.refused[0].message == ("The file could not be imported (RuntimeError: the "
                                         "decoder crashed).")
    _nothing_left_behind(stored_files, placed=1)
