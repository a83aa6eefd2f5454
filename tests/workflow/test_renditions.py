"""Renditions are made in the background; approval only checks that they exist."""
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from catalog.models import ProductSnapshot
from catalog.services.photos import photo_add
from catalog.services.renditions import renditions_missing_for_product
from catalog.services.workflow import RenditionsNotReady, product_approve, product_submit
from media.models import Rendition
from tests import factories
from tests.workflow.conftest import jpeg_file, make_complete_product

pytestmark = pytest.mark.django_db
SPEC = "fill-80x100|format-webp"  # the screens channel's


@pytest.fixture
def renders(monkeypatch):
    """Every call of the rendition generator, by specs."""
    import media.services.renditions as renditions

    calls = []
    real = renditions.render

    def counting(fp, specs):
        calls.append(list(specs))
        return real(fp, specs)

    monkeypatch.setattr(renditions, "render", counting)
    return calls


def _product_whose_renditions_are_not_made_yet(merchandiser):
    """Complete, but its new photo's renditions still queued (their task has not run)."""
    product = make_complete_product(photos=0)
    photo_add(colour=product.colours.get(), file=jpeg_file("late.jpg"),
              alt_text={"en": "Red", "fr": "Rouge", "pl": "Czerwony", "zh_hans": "红色"})
    product_submit(product=product, user=merchandiser)
    return product


def test_approval_never_renders_it_queues_and_refuses(
        screens, merchandiser, content_manager, renders, django_capture_on_commit_callbacks):
    product = _product_whose_renditions_are_not_made_yet(merchandiser)
    with django_capture_on_commit_callbacks() as queued:
        with pytest.raises(RenditionsNotReady) as refusal:
            product_approve(product=product, user=content_manager, channels=[screens])
    assert refusal.value.messages == [
        f"{product.style_code} cannot be approved yet: 1 rendition(s) its channels need are "
        "still being made. Try again in a moment."]
    assert renders == [] and not Rendition.objects.filter(spec=SPEC).exists()
    product.refresh_from_db()
    assert product.status == "in_review" and not ProductSnapshot.objects.exists()

    # The queued task makes them (after the refused approval's transaction); then it passes.
    assert len(queued) == 1
    queued[0]()
    assert renders == [[SPEC]]
    assert renditions_missing_for_product(product=product, specs=[SPEC]) == []
    product_approve(product=product, user=content_manager, channels=[screens])
    assert renders == [[SPEC]]  # nothing rendered by the approval itself
    assert ProductSnapshot.objects.filter(channel=screens).count() == 2


def test_photos_arriving_get_every_channels_renditions(screens, django_capture_on_commit_callbacks):
    factories.ChannelFactory(code="webshop", renditions=["max-200|format-jpeg"])
    colour = factories.ColourFactory()
    with django_capture_on_commit_callbacks(execute=True):
        photo = photo_add(colour=colour, file=jpeg_file())
    have = set(photo.asset.renditions.values_list("spec", flat=True))
    assert {SPEC, "max-200|format-jpeg"} <= have


def test_a_channels_new_specs_are_made_for_existing_photos(
        screens, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        photo = photo_add(colour=factories.ColourFactory(), file=jpeg_file())
    with django_capture_on_commit_callbacks(execute=True):
        screens.renditions = [SPEC, "max-60"]
        screens.save()
    assert set(photo.asset.renditions.values_list("spec", flat=True)) >= {SPEC, "max-60"}


def test_the_admin_says_renditions_are_still_being_made(client, screens, merchandiser,
                                                        content_manager):
    product = _product_whose_renditions_are_not_made_yet(merchandiser)
    client.force_login(content_manager)
    response = client.post(reverse("admin:catalog_product_workflow", args=[product.pk, "approve"]),
                           {"channels": [screens.pk]})
    assert response.status_code == 302
    message = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "1 rendition(s) its channels need are still being made" in message
    assert not ProductSnapshot.objects.exists()
