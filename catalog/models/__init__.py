from .channel import Channel
from .choices import ContentField
from .content import CompositionLine, SizeChartRow, validate_composition
from .policies import Brand, ReturnsPolicy, Season, ShippingRate
from .product import Colour, Product, Variant
from .publishing import ProductSnapshot
from .taxonomy import Category, ContentProfile

__all__ = [
    "Brand",
    "Category",
    "Channel",
    "Colour",
    "CompositionLine",
    "ContentField",
    "ContentProfile",
    "Product",
    "ProductSnapshot",
    "ReturnsPolicy",
    "Season",
    "ShippingRate",
    "SizeChartRow",
    "Variant",
    "validate_composition",
]

