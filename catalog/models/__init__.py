from .channel import Channel
from .completeness import ProductCompleteness
from .choices import ContentField
from .content import CompositionLine, SizeChartRow, composition_errors
from .policies import Brand, ReturnsPolicy, Season, ShippingRate
from .product import Colour, Product, Variant
from .publishing import ProductSnapshot
from .taxonomy import Category, ContentProfile
from .translations import (
    ProductTranslation,
    TranslationStamp,
    TranslatorAssignment,
    source_hash,
)
from .workflow import ProductTransition

__all__ = [
    "Brand",
    "Category",
    "Channel",
    "Colour",
    "CompositionLine",
    "ContentField",
    "ContentProfile",
    "Product",
    "ProductCompleteness",
    "ProductSnapshot",
    "ProductTransition",
    "ProductTranslation",
    "ReturnsPolicy",
    "Season",
    "ShippingRate",
    "SizeChartRow",
    "TranslationStamp",
    "TranslatorAssignment",
    "Variant",
    "composition_errors",
    "source_hash",
]

