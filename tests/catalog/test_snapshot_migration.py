"""The migration that turns the URLs frozen in existing snapshots into storage references."""
import importlib

migration = importlib.import_module("catalog.migrations.0018_snapshot_feed_sequence")


def test_old_urls_become_references_with_their_size():
    name = "renditions/ab/cd/abcd.fill-80x100.format-webp.webp"
    sizes = {name: (80, 100), "renditions/ee/ff/eeff.video-clean.mp4": (640, 360)}
    old = {
        "colours": [{"photos": [{"role": "front", "renditions": {
            "fill-80x100|format-webp": f"http://127.0.0.1:8000/media/{name}"}}]}],
        "social_images": [{"renditions": {"x": f"https://cdn.example.com/{name}"}}],
        "video": {"url": "/media/renditions/ee/ff/eeff.video-clean.mp4", "mime_type": "video/mp4",
                  "poster": {"renditions": {"max-200": "https://b.s3.amazonaws.com/renditions/zz.jpg"}}},
    }
    new = migration._convert(old, sizes)
    assert new["kind"] == "product"
    assert new["colours"][0]["photos"][0]["renditions"] == {
        "fill-80x100|format-webp": {"url": f"pim-media:{name}", "width": 80, "height": 100}}
    assert new["social_images"][0]["renditions"]["x"]["url"] == f"pim-media:{name}"
    assert new["video"]["url"] == "pim-media:renditions/ee/ff/eeff.video-clean.mp4"
    assert (new["video"]["width"], new["video"]["height"]) == (640, 360)
    assert new["video"]["poster"]["renditions"]["max-200"]["url"] == "pim-media:renditions/zz.jpg"
    # Run twice, nothing changes.
    assert migration._convert(new, sizes) == new
