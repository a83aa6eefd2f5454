from .channel import Channel
from .completeness import CompletenessLowest, CompletenessTally, ProductCompleteness
from .imports import ImportDigest
from .jobs import Job
from .choices import ContentField
from .content import CompositionLine, SizeChartRow, composition_errors
from .media import (
    MAX_PHOTOS_PER_COLOUR,
    SOCIAL_SIZES,
    PhotoRole,
    ProductPhoto,
    ProductVideo,
    SocialImage,
    SocialRatio,
    photo_limit_message,
)
from .policies import Brand, ReturnsPolicy, Season, ShippingRate
from .product import Colour, Product, Variant
from .publishing import ProductSnapshot, PublishedGtin, SnapshotSequence
from .taxonomy import Category, ContentProfile
from .translations import (
    ProductTranslation,
    TranslationStamp,
    TranslatorAssignment,
    source_hash,
)
from .workflow import ProductTransition

__all__ = [
    "MAX_PHOTOS_PER_COLOUR",
    "SOCIAL_SIZES",
    "Brand",
    "Category",
    "Channel",
    "Colour",
    "ImportDigest",
    "Job",
    "CompositionLine",
    "ContentField",
    "ContentProfile",
    "Product",
    "PhotoRole",
    "CompletenessLowest",
    "CompletenessTally",
    "ProductCompleteness",
    "ProductPhoto",
    "ProductSnapshot",
    "ProductTransition",
    "ProductTranslation",
    "ProductVideo",
    "PublishedGtin",
    "SnapshotSequence",
    "ReturnsPolicy",
    "Season",
    "ShippingRate",
    "SizeChartRow",
    "SocialImage",
    "SocialRatio",
    "TranslationStamp",
    "TranslatorAssignment",
    "Variant",
    "composition_errors",
    "photo_limit_message",
    "source_hash",
]

