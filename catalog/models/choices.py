"""Controlled vocabularies of the catalog."""
from django.db import models


class ContentField(models.TextChoices):
    """The twelve content fields of a product (DOMAIN section 4)."""

    PHOTOS = "photos", "Photos"
    COMPOSITION = "composition", "Fabric and material"
    FIT = "fit", "Fit"
    SIZE_CHART = "size_chart", "Size description and chart"
    DESCRIPTION = "description", "Editorial description"
    CARE = "care", "Wash and care"
    RETURNS = "returns", "Returns"
    SHIPPING = "shipping", "Shipping cost and delivery time"
    TRANSLATIONS = "translations", "Translations"
    VIDEO = "video", "Video"
    SOCIAL_IMAGES = "social_images", "Social-media images"
    RATINGS = "ratings", "Customer ratings"


OPTIONAL_CONTENT_FIELDS = {ContentField.VIDEO, ContentField.SOCIAL_IMAGES, ContentField.RATINGS}


class Fibre(models.TextChoices):
    """Textile fibre names of Regulation (EU) No 1007/2011, Annex I, plus leather and down."""

    WOOL = "wool", "Wool"
    ALPACA = "alpaca", "Alpaca"
    CAMEL = "camel", "Camel"
    CASHMERE = "cashmere", "Cashmere"
    MOHAIR = "mohair", "Mohair"
    ANGORA = "angora", "Angora"
    VICUNA = "vicuna", "Vicuna"
    YAK = "yak", "Yak"
    HORSEHAIR = "horsehair", "Horsehair"
    SILK = "silk", "Silk"
    COTTON = "cotton", "Cotton"
    KAPOK = "kapok", "Kapok"
    FLAX = "flax", "Flax (linen)"
    TRUE_HEMP = "true_hemp", "True hemp"
    JUTE = "jute", "Jute"
    RAMIE = "ramie", "Ramie"
    SISAL = "sisal", "Sisal"
    ACETATE = "acetate", "Acetate"
    TRIACETATE = "triacetate", "Triacetate"
    CUPRO = "cupro", "Cupro"
    MODAL = "modal", "Modal"
    VISCOSE = "viscose", "Viscose"
    LYOCELL = "lyocell", "Lyocell"
    ACRYLIC = "acrylic", "Acrylic"
    MODACRYLIC = "modacrylic", "Modacrylic"
    POLYAMIDE = "polyamide", "Polyamide (nylon)"
    ARAMID = "aramid", "Aramid"
    POLYESTER = "polyester", "Polyester"
    POLYPROPYLENE = "polypropylene", "Polypropylene"
    POLYETHYLENE = "polyethylene", "Polyethylene"
    ELASTANE = "elastane", "Elastane"
    ELASTODIENE = "elastodiene", "Elastodiene"
    ELASTOMULTIESTER = "elastomultiester", "Elastomultiester"
    METAL = "metal", "Metal fibre"
    GLASS = "glass", "Glass fibre"
    LEATHER = "leather", "Leather"
    DOWN = "down", "Down"
    FEATHER = "feather", "Feather"
    OTHER = "other_fibres", "Other fibres"


class CompositionPart(models.TextChoices):
    SHELL = "shell", "Shell"
    LINING = "lining", "Lining"
    TRIM = "trim", "Trim"
    FILLING = "filling", "Filling"
    POCKETING = "pocketing", "Pocketing"
    SOLE = "sole", "Sole"
    UPPER = "upper", "Upper"


class FitType(models.TextChoices):
    SLIM = "slim", "Slim"
    REGULAR = "regular", "Regular"
    RELAXED = "relaxed", "Relaxed"
    OVERSIZED = "oversized", "Oversized"
    TAILORED = "tailored", "Tailored"
    LOOSE = "loose", "Loose"
    SKINNY = "skinny", "Skinny"


class SizeChartBasis(models.TextChoices):
    BODY = "body", "Body measurements"
    GARMENT = "garment", "Garment measurements"


# ISO 3758 care symbols, one field per group so that "one choice per group" is structural.
class CareWashing(models.TextChoices):
    WASH_95 = "wash_95", "Wash at 95 °C"
    WASH_70 = "wash_70", "Wash at 70 °C"
    WASH_60 = "wash_60", "Wash at 60 °C"
    WASH_60_MILD = "wash_60_mild", "Wash at 60 °C, mild"
    WASH_50 = "wash_50", "Wash at 50 °C"
    WASH_40 = "wash_40", "Wash at 40 °C"
    WASH_40_MILD = "wash_40_mild", "Wash at 40 °C, mild"
    WASH_40_VERY_MILD = "wash_40_very_mild", "Wash at 40 °C, very mild"
    WASH_30 = "wash_30", "Wash at 30 °C"
    WASH_30_MILD = "wash_30_mild", "Wash at 30 °C, mild"
    WASH_30_VERY_MILD = "wash_30_very_mild", "Wash at 30 °C, very mild"
    HAND_WASH = "hand_wash", "Hand wash, max 40 °C"
    DO_NOT_WASH = "do_not_wash", "Do not wash"


class CareBleaching(models.TextChoices):
    ANY_BLEACH = "any_bleach", "Any bleaching agent allowed"
    OXYGEN_ONLY = "oxygen_only", "Only oxygen / non-chlorine bleach"
    DO_NOT_BLEACH = "do_not_bleach", "Do not bleach"


class CareDrying(models.TextChoices):
    TUMBLE_NORMAL = "tumble_normal", "Tumble dry, normal temperature"
    TUMBLE_LOW = "tumble_low", "Tumble dry, low temperature"
    DO_NOT_TUMBLE = "do_not_tumble", "Do not tumble dry"
    LINE_DRY = "line_dry", "Line dry"
    DRIP_LINE_DRY = "drip_line_dry", "Drip line dry"
    FLAT_DRY = "flat_dry", "Dry flat"
    DRIP_FLAT_DRY = "drip_flat_dry", "Drip dry flat"
    LINE_DRY_SHADE = "line_dry_shade", "Line dry in the shade"
    FLAT_DRY_SHADE = "flat_dry_shade", "Dry flat in the shade"


class CareIroning(models.TextChoices):
    IRON_HIGH = "iron_200", "Iron at max 200 °C"
    IRON_MEDIUM = "iron_150", "Iron at max 150 °C"
    IRON_LOW = "iron_110", "Iron at max 110 °C, no steam"
    DO_NOT_IRON = "do_not_iron", "Do not iron"


class CareProfessional(models.TextChoices):
    DRY_CLEAN_P = "dry_clean_p", "Professional dry clean (P)"
    DRY_CLEAN_P_MILD = "dry_clean_p_mild", "Professional dry clean (P), mild"
    DRY_CLEAN_F = "dry_clean_f", "Professional dry clean (F)"
    DRY_CLEAN_F_MILD = "dry_clean_f_mild", "Professional dry clean (F), mild"
    WET_CLEAN = "wet_clean", "Professional wet clean"
    WET_CLEAN_MILD = "wet_clean_mild", "Professional wet clean, mild"
    DO_NOT_DRY_CLEAN = "do_not_dry_clean", "Do not dry clean"
    DO_NOT_WET_CLEAN = "do_not_wet_clean", "Do not wet clean"


CARE_GROUPS = {
    "care_washing": CareWashing,
    "care_bleaching": CareBleaching,
    "care_drying": CareDrying,
    "care_ironing": CareIroning,
    "care_professional": CareProfessional,
}


class Currency(models.TextChoices):
    EUR = "EUR", "Euro"
    PLN = "PLN", "Polish złoty"
    CNY = "CNY", "Chinese yuan"
    GBP = "GBP", "Pound sterling"
    USD = "USD", "US dollar"
    CHF = "CHF", "Swiss franc"
    SEK = "SEK", "Swedish krona"
    CZK = "CZK", "Czech koruna"
    JPY = "JPY", "Japanese yen"
