import pytest

from media.renditions.specs import InvalidSpecError, RenditionSpec, canonical_spec


@pytest.mark.parametrize(
    ("spec", "canonical"),
    [
        ("fill-800x1000", "fill-800x1000"),
        ("max-2000", "max-2000"),
        ("max-2000x2000", "max-2000"),
        ("max-1200x800", "max-1200x800"),
        ("quality-70|format-webp|fill-800x1000", "fill-800x1000|format-webp|quality-70"),
        (" FILL-800x1000 | format-jpg ", "fill-800x1000|format-jpeg"),
        ("format-webp", "format-webp"),
        ("original|format-avif", "format-avif"),
        ("fill-1080x1350|focus-50x30", "fill-1080x1350|focus-50x30"),
        ("width-640", "width-640"),
    ],
)
def test_specs_parse_to_one_canonical_spelling(spec, canonical):
    assert canonical_spec(spec) == canonical


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "cannot be empty"),
        ("resize-800", "unknown operation 'resize'"),
        ("fill-800", "expected WxH"),
        ("max-0", "between 1 and"),
        ("max-20000", "between 1 and"),
        ("format-gif", "must be one of jpeg, webp, avif, png"),
        ("quality-101", "between 1 and 100"),
        ("format-webp|format-jpeg", "given twice"),
        ("fill-800x1000||max-2000", "empty operation"),
        ("focus-120x10", "percentages"),
    ],
)
def test_bad_specs_are_refused_with_a_clear_message(spec, message):
    with pytest.raises(InvalidSpecError, match=message):
        RenditionSpec.parse(spec)


@pytest.mark.parametrize(
    ("spec", "source", "size"),
    [
        ("max-2000", (4000, 6000), (1333, 2000)),
        ("max-2000", (800, 1000), (800, 1000)),  # never upscaled
        ("fill-800x1000", (4000, 6000), (800, 1000)),
        ("fill-800x1000", (6000, 4000), (800, 1000)),
        ("fill-800x1000", (400, 300), (240, 300)),  # cropped to 4:5, not upscaled
        ("min-500x500", (4000, 6000), (500, 750)),
        ("width-640", (4000, 6000), (640, 960)),
        ("height-600", (4000, 6000), (400, 600)),
        ("format-webp", (4000, 6000), (4000, 6000)),
    ],
)
def test_geometry(spec, source, size):
    assert RenditionSpec.parse(spec).frame(*source).size == size


def test_fill_crops_around_the_focal_point():
    frame = RenditionSpec.parse("fill-100x100|focus-0x0").frame(400, 200)
    assert frame.box == (0.0, 0.0, 200.0, 200.0)
    frame = RenditionSpec.parse("fill-100x100|focus-100x50").frame(400, 200)
    assert frame.box == (200.0, 0.0, 400.0, 200.0)
