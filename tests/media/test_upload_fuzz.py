"""A few hundred damaged files through the library's upload page: each gets an answer.

Each file is a real one (Pillow, PyAV) cut, bit-flipped, overwritten or spliced, from a fixed
seed so that a failure can be replayed. None may answer 500, every file is either stored or
refused, nothing refused leaves a file behind, and every image stored can be rendered.
"""
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from media import conf as media_settings
from media.models import Asset
from media.services import renditions_generate
from tests.media import builders

pytestmark = pytest.mark.django_db
SEED = 20261201
PER_KIND = 40
BATCH = 20


def _originals():
    return {
        "jpg": builders.jpeg(size=(96, 128)),
        "png": builders.png(size=(96, 128)),
        "webp": builders.image_bytes("WEBP", (96, 128)),
        "tif": builders.image_bytes("TIFF", (96, 128)),
        "mp4": builders.video("mp4", frames=12),
        "webm": builders.video("webm", frames=12),
    }


def _mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    how = rng.choice(["cut", "flip", "overwrite", "splice", "zero"])
    if how == "cut":
        return bytes(data[:rng.randrange(1, len(data))])
    if how == "flip":
        for _ in range(rng.randint(1, 12)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    elif how == "overwrite":
        start = rng.randrange(len(data))
        data[start:start + 16] = rng.randbytes(16)
    elif how == "splice":
        start = rng.randrange(len(data))
        data[start:start] = data[rng.randrange(len(data)):][:rng.randint(1, 256)]
    else:
        start = rng.randrange(len(data))
        data[start:start + rng.randint(1, 512)] = bytes(min(512, len(data) - start))
    return bytes(data)


def test_damaged_uploads_are_each_stored_whole_or_refused(admin_client, stored_files):
    rng = random.Random(SEED)
    uploads = [SimpleUploadedFile(f"fuzz-{extension}-{i}.{extension}", _mutate(data, rng))
               for extension, data in _originals().items() for i in range(PER_KIND)]
    for start in range(0, len(uploads), BATCH):
        response = admin_client.post("/admin/media/asset/add/",
                                     {"files": uploads[start:start + BATCH]})
        assert response.status_code == 302, uploads[start].name

    assets = list(Asset.objects.all())
    assert 0 < len(assets) < len(uploads)  # some damage is harmless, most is not
    # Nothing refused left a file: every stored original belongs to an asset.
    assert {name for name in stored_files() if name.startswith("originals/")} == {
        asset.file.name for asset in assets}
    spec = media_settings.get("MEDIA_THUMBNAIL_SPEC")
    for asset in assets:
        if asset.kind == Asset.Kind.IMAGE:  # what passed the check can be rendered
            assert renditions_generate(asset=asset, specs=[spec]), asset.original_filename
