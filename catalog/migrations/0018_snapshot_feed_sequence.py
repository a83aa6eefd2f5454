"""Feed positions for snapshots, and media stored as storage names rather than URLs.

Existing snapshots get positions in their old feed order (updated_at, id), and their image
and video URLs become references to the stored files with their width and height, so that
nothing needs re-approving: URLs are made when the API serves a snapshot.
"""
from urllib.parse import unquote, urlsplit

from django.db import migrations, models

REFERENCE = "pim-media:"
BATCH = 500


def _name(url):
    """The storage name inside an old absolute or relative rendition URL."""
    if not isinstance(url, str) or url.startswith(REFERENCE):
        return None
    path = unquote(urlsplit(url).path)
    at = path.find("renditions/")
    return path[at:] if at >= 0 else None


def _rendition(value, sizes):
    name = _name(value)
    if name is None:
        return value
    width, height = sizes.get(name, (None, None))
    return {"url": REFERENCE + name, "width": width, "height": height}


def _renditions(mapping, sizes):
    if not isinstance(mapping, dict):
        return mapping
    return {spec: _rendition(url, sizes) if isinstance(url, str) else url
            for spec, url in mapping.items()}


def _urls(payload):
    for colour in payload.get("colours") or []:
        for photo in colour.get("photos") or []:
            yield from (u for u in (photo.get("renditions") or {}).values() if isinstance(u, str))
    for image in payload.get("social_images") or []:
        yield from (u for u in (image.get("renditions") or {}).values() if isinstance(u, str))
    video = payload.get("video")
    if isinstance(video, dict):
        if isinstance(video.get("url"), str):
            yield video["url"]
        poster = video.get("poster") or {}
        yield from (u for u in (poster.get("renditions") or {}).values() if isinstance(u, str))


def _convert(payload, sizes):
    payload.setdefault("kind", "product")
    for colour in payload.get("colours") or []:
        for photo in colour.get("photos") or []:
            photo["renditions"] = _renditions(photo.get("renditions"), sizes)
    for image in payload.get("social_images") or []:
        image["renditions"] = _renditions(image.get("renditions"), sizes)
    video = payload.get("video")
    if isinstance(video, dict):
        name = _name(video.get("url"))
        if name is not None:
            width, height = sizes.get(name, (None, None))
            video.update(url=REFERENCE + name, width=width, height=height)
        if isinstance(video.get("poster"), dict):
            video["poster"]["renditions"] = _renditions(video["poster"].get("renditions"), sizes)
    return payload


def forwards(apps, schema_editor):
    Snapshot = apps.get_model("catalog", "ProductSnapshot")
    Sequence = apps.get_model("catalog", "SnapshotSequence")
    Rendition = apps.get_model("media", "Rendition")
    position = 0
    ids = list(Snapshot.objects.order_by("updated_at", "id").values_list("id", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = list(Snapshot.objects.filter(pk__in=ids[start:start + BATCH]).order_by(
            "updated_at", "id"))
        names = {n for s in batch if not s.deleted for n in map(_name, _urls(s.payload)) if n}
        sizes = {r.file.name: (r.width, r.height)
                 for r in Rendition.objects.filter(file__in=names)}
        for snapshot in batch:
            position += 1
            snapshot.sequence = position
            if not snapshot.deleted:
                snapshot.payload = _convert(snapshot.payload, sizes)
        Snapshot.objects.bulk_update(batch, ["sequence", "payload"])
    Sequence.objects.update_or_create(pk=1, defaults={"value": position})


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0017_jobs'),
        ('media', '0002_asset_file_originals_storage'),
    ]

    operations = [
        migrations.CreateModel(
            name='SnapshotSequence',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ('value', models.PositiveBigIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name='productsnapshot',
            name='sequence',
            field=models.PositiveBigIntegerField(default=0, help_text='Where the row stands in the feeds: taken from SnapshotSequence by each publish, tombstone and touch, in commit order.'),
        ),
        migrations.AddIndex(
            model_name='productsnapshot',
            index=models.Index(fields=['channel', 'locale', 'sequence', 'id'], name='snapshot_sequence_idx'),
        ),
        migrations.AddConstraint(
            model_name='snapshotsequence',
            constraint=models.CheckConstraint(condition=models.Q(('id', 1)), name='snapshot_sequence_one_row'),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
    ]
