"""Demo photos drawn with Pillow: a garment on a studio background, no downloads.

Images depend only on (silhouette, colour, view), so a 300-product catalog needs a few dozen
distinct files: they are content-addressed, stored once and shared by many colours.
"""
from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Iterable
from functools import lru_cache

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageChops, ImageDraw, ImageFilter
from tqdm import tqdm

from catalog.models import Colour, PhotoRole, ProductPhoto
from catalog.services.renditions import channels_specs
from media import conf as media_settings
from media.models import Asset
from media.services import asset_ingest, renditions_generate

VIEWS = (PhotoRole.FRONT, PhotoRole.BACK, PhotoRole.SIDE, PhotoRole.DETAIL)
VIEW_LABELS = {
    "en": {"front": "front view", "back": "back view", "side": "side view", "detail": "detail"},
    "fr": {"front": "vue de face", "back": "vue de dos", "side": "vue de profil", "detail": "détail"},
    "pl": {"front": "widok z przodu", "back": "widok z tyłu", "side": "widok z boku",
           "detail": "detal"},
    "zh_hans": {"front": "正面", "back": "背面", "side": "侧面", "detail": "细节"},
}
# Common studio colour codes; any other code gets a stable colour of its own.
PALETTE = {
    "BLK": (28, 28, 30), "WHT": (238, 234, 224), "RED": (170, 32, 40), "NVY": (30, 40, 80),
    "CML": (190, 150, 100), "OLV": (100, 110, 60), "BLU": (130, 180, 220),
    "PNK": (230, 180, 180), "GRY": (128, 128, 130), "GRN": (40, 110, 70), "BEI": (215, 195, 165),
}
SILHOUETTES = ("dress", "top", "jacket", "trousers", "skirt", "shoe", "bag")
_KEYWORDS = [
    ("shoe", ("shoe", "sneaker", "boot", "sandal", "loafer", "heel")),
    ("bag", ("bag", "accessor", "scarf", "belt", "hat", "wallet")),
    ("trousers", ("trouser", "pant", "jean", "short", "legging")),
    ("skirt", ("skirt",)),
    ("jacket", ("jacket", "coat", "blazer", "outer", "parka")),
    ("top", ("top", "shirt", "blouse", "knit", "sweater", "jumper", "cardigan", "tee", "polo")),
    ("dress", ("dress", "gown", "jumpsuit")),
]


def silhouette_for(text: str) -> str:
    text = text.lower()
    for silhouette, words in _KEYWORDS:
        if any(word in text for word in words):
            return silhouette
    return "dress"


def colour_rgb(code: str) -> tuple[int, int, int]:
    if code.upper() in PALETTE:
        return PALETTE[code.upper()]
    digest = hashlib.sha256(code.upper().encode()).digest()
    return digest[0] // 2 + 40, digest[1] // 2 + 40, digest[2] // 2 + 40


def _outline(silhouette: str, w: int, h: int, view: str) -> list[tuple[float, float]]:
    cx = w / 2
    narrow = 0.55 if view == "side" else 1.0

    def xs(points):
        return [(cx + (x - cx) * narrow, y) for x, y in points]

    shapes = {
        "dress": [(cx - 70, 150), (cx + 70, 150), (cx + 110, 200), (cx + 90, 420),
                  (cx + 230, 860), (cx - 230, 860), (cx - 90, 420), (cx - 110, 200)],
        "top": [(cx - 80, 200), (cx + 80, 200), (cx + 250, 280), (cx + 290, 520),
                (cx + 200, 540), (cx + 170, 380), (cx + 170, 760), (cx - 170, 760),
                (cx - 170, 380), (cx - 200, 540), (cx - 290, 520), (cx - 250, 280)],
        "jacket": [(cx - 80, 170), (cx + 80, 170), (cx + 260, 250), (cx + 310, 700),
                   (cx + 220, 710), (cx + 190, 420), (cx + 200, 830), (cx - 200, 830),
                   (cx - 190, 420), (cx - 220, 710), (cx - 310, 700), (cx - 260, 250)],
        "trousers": [(cx - 170, 160), (cx + 170, 160), (cx + 200, 880), (cx + 40, 880),
                     (cx, 360), (cx - 40, 880), (cx - 200, 880)],
        "skirt": [(cx - 150, 300), (cx + 150, 300), (cx + 280, 760), (cx - 280, 760)],
        "shoe": [(cx - 300, 640), (cx - 120, 600), (cx + 40, 470), (cx + 160, 470),
                 (cx + 200, 560), (cx + 320, 610), (cx + 330, 720), (cx - 300, 720)],
        "bag": [(cx - 230, 420), (cx + 230, 420), (cx + 260, 800), (cx - 260, 800)],
    }
    return xs(shapes[silhouette])


@lru_cache(maxsize=1)
def _studio(w: int = 800, h: int = 1000):
    """The layers every photo shares: backdrop, key light and fabric weave."""
    backdrop = Image.linear_gradient("L").resize((w, h)).point(lambda v: 246 - v // 14)
    light = Image.linear_gradient("L").rotate(35).resize((w, h))
    shade = Image.merge("RGB", [light.point(lambda v: 150 + v // 3)] * 3)
    sheen = Image.merge("RGB", [light.point(lambda v: v // 12)] * 3)
    weave = Image.merge("RGB", [Image.effect_noise((w // 2, h // 2), 12).resize((w, h))] * 3)
    return Image.merge("RGB", [backdrop] * 3), shade, sheen, weave


@lru_cache(maxsize=512)
def demo_photo_bytes(silhouette: str, rgb: tuple[int, int, int], view: str,
                     size: tuple[int, int] = (800, 1000)) -> bytes:
    """A JPEG of a garment photographed in the studio; the same arguments give the same bytes."""
    w, h = 800, 1000  # drawn at this size, then scaled to ``size``
    rnd = random.Random(f"{silhouette}{rgb}{view}")
    backdrop, shade, sheen, weave = _studio(w, h)
    img = backdrop.copy()
    outline = _outline(silhouette, w, h, view)
    bottom = max(y for _, y in outline)
    left, right = min(x for x, _ in outline), max(x for x, _ in outline)

    shadow = Image.new("L", (w, h), 0)
    ImageDraw.Draw(shadow).ellipse((left + 20, bottom - 25, right - 20, bottom + 30), fill=110)
    img.paste((140, 140, 140), mask=shadow.filter(ImageFilter.GaussianBlur(16)))

    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).polygon(outline, fill=255)
    # Fabric: the colour lit from the upper left, a fine weave, soft folds.
    fabric = ImageChops.add(ImageChops.multiply(Image.new("RGB", (w, h), rgb), shade), sheen)
    fabric = Image.blend(fabric, weave, 0.06)
    folds = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(folds)
    for _ in range(7 if view != "detail" else 3):
        x = rnd.randint(int(left + 40), int(right - 40))
        draw.line([(x, 260), (x + rnd.randint(-70, 70), bottom)], fill=rnd.randint(60, 110),
                  width=rnd.randint(8, 16))
    fabric.paste((0, 0, 0), mask=folds.filter(ImageFilter.GaussianBlur(7)).point(lambda v: v // 2))
    if view == "front" and silhouette in ("jacket", "top", "dress"):
        buttons = ImageDraw.Draw(fabric)
        for y in range(300, 640, 85):
            buttons.ellipse((w / 2 - 7, y - 7, w / 2 + 7, y + 7), fill=(235, 230, 215))
    img.paste(fabric, mask=mask.filter(ImageFilter.GaussianBlur(1.2)))
    if silhouette == "bag":
        dark = tuple(max(0, c - 50) for c in rgb)
        ImageDraw.Draw(img).arc((w / 2 - 150, 250, w / 2 + 150, 590), 180, 360, fill=dark,
                                width=18)

    if view == "detail":  # a close-up of the fabric with a seam
        top = max(0, min(h * 0.35, bottom - h * 0.45))
        img = img.crop((w * 0.3, top, w * 0.7, top + h * 0.5)).resize((w, h), Image.BICUBIC)
        seam = ImageDraw.Draw(img)
        for y in range(40, h, 36):
            seam.line([(w * 0.62, y), (w * 0.62, y + 18)], fill=(245, 240, 225), width=3)
    if size != (w, h):
        img = img.resize(size, Image.LANCZOS)
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=86, optimize=True)
    return buffer.getvalue()


def _localized(obj, field: str, language: str) -> str:
    return getattr(obj, f"{field}_{language}", None) or getattr(obj, f"{field}_en", "") or ""


def demo_photos_attach(*, colours: Iterable, photos_per_colour: int = 4,
                       size: tuple[int, int] = (800, 1000),
                       renditions: list[str] | None = None) -> int:
    """Give each colour without photos ``photos_per_colour`` generated photos (front, back,
    side, detail, ...), with alt text in every demo locale; return how many were added.

    Idempotent: colours that already have photos are left alone. ``renditions`` (specs) are
    generated for the demo assets too when given.
    """
    colours = list(colours)
    with_photos = set(ProductPhoto.objects.filter(colour__in=colours)
                      .values_list("colour_id", flat=True).distinct())
    todo = [c for c in colours if c.pk not in with_photos]
    if not todo:
        return 0
    assets: dict[tuple, Asset] = {}
    photos: list[ProductPhoto] = []
    views = [VIEWS[i % len(VIEWS)] for i in range(min(photos_per_colour, 10))]
    with transaction.atomic():
        for colour in todo:
            product = colour.product
            silhouette = silhouette_for(f"{product.category.name} {product.name}")
            rgb = colour_rgb(colour.code)
            for position, view in enumerate(views, start=1):
                key = (silhouette, rgb, view, size)
                if key not in assets:
                    data = demo_photo_bytes(silhouette, rgb, str(view), size)
                    name = f"{product.style_code}_{colour.code}_{position:02d}.jpg"
                    assets[key] = asset_ingest(file=ContentFile(data, name=name),
                                               kind=Asset.Kind.IMAGE)
                photo = ProductPhoto(colour=colour, asset=assets[key], position=position,
                                     role=view)
                for language, labels in VIEW_LABELS.items():
                    setattr(photo, f"alt_text_{language}",
                            f"{_localized(product, 'name', language)}, "
                            f"{_localized(colour, 'name', language).lower()}, "
                            f"{labels[str(view)]}"[:250])
                photos.append(photo)
        try:
            from simple_history.utils import bulk_create_with_history

            bulk_create_with_history(photos, ProductPhoto, batch_size=500)
        except ImportError:  # pragma: no cover
            ProductPhoto.objects.bulk_create(photos, batch_size=500)
    if renditions:
        for asset in {a.pk: a for a in assets.values()}.values():
            renditions_generate(asset=asset, specs=renditions)
    return len(photos)


def load_demo_photos(command, *, batch: int = 250) -> int:
    """The ``load_demo`` step: every demo colour without photos gets four generated ones
    (front, back, side, detail), their admin thumbnails and the renditions every channel
    needs (done here rather than queued, so that the demo workflow can approve). Idempotent."""
    colours = list(Colour.objects.filter(photos__isnull=True)
                   .select_related("product__category").order_by("product_id", "position", "id"))
    added = 0
    specs = [media_settings.get("MEDIA_THUMBNAIL_SPEC"), *channels_specs()]
    for start in tqdm(range(0, len(colours), batch), desc="photos", unit="batch",
                      disable=len(colours) <= batch, file=command.stderr._out):
        added += demo_photos_attach(colours=colours[start:start + batch], renditions=specs)
    command.stdout.write(f"Demo photos: {ProductPhoto.objects.count()} photos ({added} new) of "
                         f"{Asset.objects.filter(photos__isnull=False).distinct().count()} "
                         "generated images.")
    return added
