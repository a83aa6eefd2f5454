"""The one error type of catalog writes: messages keyed by the path of each bad field."""
import pytest
from django.core.exceptions import ValidationError

from catalog.services.errors import ContentError, ErrorCollector, full_clean
from tests import factories


def test_a_full_clean_refusal_names_each_field_under_its_path(db):
    colour = factories.ColourFactory()
    variant = factories.VariantFactory.build(colour=colour, sku="", gtin="4006381333932")
    with pytest.raises(ContentError) as refused:
        full_clean(variant, "colours", 0, "variants", 3)
    paths = refused.value.paths
    assert set(paths) == {"colours.0.variants.3.sku", "colours.0.variants.3.gtin"}
    assert "check digit" in paths["colours.0.variants.3.gtin"][0]


def test_errors_of_several_objects_are_collected_before_the_refusal(db):
    errors = ErrorCollector()
    with errors.under("composition", 1):
        raise ValidationError("Shell sums to 95 %.", code="composition_sum")
    errors.add("style_code", "A product with this style code already exists.", code="unique")
    assert errors
    with pytest.raises(ContentError) as refused:
        errors.raise_if_any()
    assert refused.value.paths == {
        "composition.1": ["Shell sums to 95 %."],
        "style_code": ["A product with this style code already exists."],
    }
    assert refused.value.codes()["composition.1"] == ["composition_sum"]
    # It is a ValidationError: forms and DRF show it like any other.
    assert isinstance(refused.value, ValidationError)


def test_an_error_for_the_whole_object_is_a_non_field_error():
    error = ContentError("This photo is already on Red (RED).", code="duplicate")
    assert error.paths == {"__all__": ["This photo is already on Red (RED)."]}
    assert ContentError.at("colours.0", "Too many photos.").paths == {"colours.0": ["Too many photos."]}
    ErrorCollector().raise_if_any()  # nothing collected, nothing raised
