"""The demo catalog's vocabulary: a fashion house's taxonomy, materials and copy in four locales."""

# Profiles: which content fields each kind of product needs.
APPAREL = ["photos", "composition", "fit", "size_chart", "description", "care", "returns",
           "shipping", "translations"]
PROFILES = {
    "Apparel": APPAREL,
    "Shoes": [f for f in APPAREL if f != "fit"],
    "Accessories": [f for f in APPAREL if f not in ("fit", "size_chart")],
}

# department -> category -> leaf: (names in en, fr, pl, zh-hans), profile override, size set
TAXONOMY = {
    ("Women", "Femme", "Kobiety", "女装"): {
        ("Dresses", "Robes", "Sukienki", "连衣裙"): [
            (("Long dresses", "Robes longues", "Sukienki długie", "长裙"), "women"),
            (("Midi dresses", "Robes midi", "Sukienki midi", "中长裙"), "women"),
            (("Mini dresses", "Robes courtes", "Sukienki mini", "短裙"), "women"),
        ],
        ("Jackets", "Vestes", "Kurtki", "夹克"): [
            (("Leather jackets", "Vestes en cuir", "Kurtki skórzane", "皮夹克"), "women"),
            (("Blazers", "Blazers", "Marynarki", "西装外套"), "women"),
        ],
        ("Knitwear", "Maille", "Dzianina", "针织衫"): [
            (("Jumpers", "Pulls", "Swetry", "套头衫"), "women"),
            (("Cardigans", "Cardigans", "Kardigany", "开衫"), "women"),
        ],
        ("Swimwear", "Maillots de bain", "Stroje kąpielowe", "泳装"): [
            (("Swimsuits", "Maillots une pièce", "Kostiumy jednoczęściowe", "连体泳衣"), "women"),
        ],
        ("Shoes", "Chaussures", "Buty", "鞋履"): [
            (("Sandals", "Sandales", "Sandały", "凉鞋"), "shoes_women"),
            (("Ankle boots", "Bottines", "Botki", "短靴"), "shoes_women"),
        ],
    },
    ("Men", "Homme", "Mężczyźni", "男装"): {
        ("Shirts", "Chemises", "Koszule", "衬衫"): [
            (("Oxford shirts", "Chemises oxford", "Koszule oxford", "牛津衬衫"), "men"),
            (("Linen shirts", "Chemises en lin", "Koszule lniane", "亚麻衬衫"), "men"),
        ],
        ("Jackets", "Vestes", "Kurtki", "夹克"): [
            (("Leather jackets", "Vestes en cuir", "Kurtki skórzane", "皮夹克"), "men"),
            (("Overcoats", "Manteaux", "Płaszcze", "大衣"), "men"),
        ],
        ("Trousers", "Pantalons", "Spodnie", "裤装"): [
            (("Chinos", "Chinos", "Chinosy", "卡其裤"), "men"),
            (("Jeans", "Jeans", "Dżinsy", "牛仔裤"), "men"),
        ],
        ("Shoes", "Chaussures", "Buty", "鞋履"): [
            (("Sneakers", "Baskets", "Sneakersy", "运动鞋"), "shoes_men"),
            (("Derbies", "Derbies", "Derby", "德比鞋"), "shoes_men"),
        ],
    },
    ("Kids", "Enfant", "Dzieci", "童装"): {
        ("Girls", "Fille", "Dziewczynki", "女童"): [
            (("Girls' dresses", "Robes fille", "Sukienki dla dziewczynek", "女童连衣裙"), "kids"),
        ],
        ("Boys", "Garçon", "Chłopcy", "男童"): [
            (("Boys' T-shirts", "T-shirts garçon", "Koszulki dla chłopców", "男童T恤"), "kids"),
        ],
    },
    ("Accessories", "Accessoires", "Akcesoria", "配饰"): {
        ("Bags", "Sacs", "Torebki", "包袋"): [
            (("Tote bags", "Sacs cabas", "Torby shopper", "托特包"), "one"),
            (("Crossbody bags", "Sacs bandoulière", "Torebki na ramię", "斜挎包"), "one"),
        ],
        ("Scarves", "Écharpes", "Szaliki", "围巾"): [
            (("Silk scarves", "Foulards en soie", "Apaszki jedwabne", "丝巾"), "one"),
        ],
    },
}

# leaf (English name) -> the product noun in en, fr, pl, zh-hans, and the fibres it is made of.
# A leaf whose name already says the material ("Leather jackets") has exactly one fibre.
GARMENT = ["flax", "cotton", "wool", "silk", "viscose", "cashmere"]
LEAF_PRODUCT = {
    "Long dresses": (("long dress", "Robe longue", "Sukienka długa", "长裙"), GARMENT),
    "Midi dresses": (("midi dress", "Robe midi", "Sukienka midi", "中长裙"), GARMENT),
    "Mini dresses": (("mini dress", "Robe courte", "Sukienka mini", "短裙"), GARMENT),
    "Leather jackets": (("Leather jacket", "Veste en cuir", "Kurtka skórzana", "皮夹克"), ["leather"]),
    "Blazers": (("blazer", "Blazer", "Marynarka", "西装外套"), ["wool", "flax", "cotton"]),
    "Jumpers": (("jumper", "Pull", "Sweter", "套头衫"), ["wool", "cashmere", "cotton"]),
    "Cardigans": (("cardigan", "Cardigan", "Kardigan", "开衫"), ["wool", "cashmere", "cotton"]),
    "Swimsuits": (("swimsuit", "Maillot une pièce", "Kostium jednoczęściowy", "连体泳衣"),
                  ["polyester"]),
    "Sandals": (("sandals", "Sandales", "Sandały", "凉鞋"), ["leather"]),
    "Ankle boots": (("ankle boots", "Bottines", "Botki", "短靴"), ["leather"]),
    "Oxford shirts": (("Oxford shirt", "Chemise oxford", "Koszula oxford", "牛津衬衫"), ["cotton"]),
    "Linen shirts": (("Linen shirt", "Chemise en lin", "Koszula lniana", "亚麻衬衫"), ["flax"]),
    "Overcoats": (("overcoat", "Manteau", "Płaszcz", "大衣"), ["wool", "cashmere"]),
    "Chinos": (("chinos", "Chino", "Chinosy", "卡其裤"), ["cotton"]),
    "Jeans": (("jeans", "Jean", "Dżinsy", "牛仔裤"), ["cotton"]),
    "Sneakers": (("sneakers", "Baskets", "Sneakersy", "运动鞋"), ["leather", "cotton"]),
    "Derbies": (("derbies", "Derbies", "Derby", "德比鞋"), ["leather"]),
    "Girls' dresses": (("girls' dress", "Robe fille", "Sukienka dla dziewczynki", "女童连衣裙"),
                       ["cotton", "viscose"]),
    "Boys' T-shirts": (("boys' T-shirt", "T-shirt garçon", "Koszulka dla chłopca", "男童T恤"),
                       ["cotton"]),
    "Tote bags": (("tote bag", "Sac cabas", "Torba shopper", "托特包"), ["leather", "cotton"]),
    "Crossbody bags": (("crossbody bag", "Sac bandoulière", "Torebka na ramię", "斜挎包"),
                       ["leather", "polyester"]),
    "Silk scarves": (("Silk scarf", "Foulard en soie", "Apaszka jedwabna", "丝巾"), ["silk"]),
}


def product_name(leaf_en: str, fibre: str, n: int) -> str:
    """The product's name in locale n (0 en, 1 fr, 2 pl, 3 zh-hans): noun and material."""
    nouns, _ = LEAF_PRODUCT[leaf_en]
    noun = nouns[n]
    material = next(m for m in MATERIALS if m[0] == fibre)
    if material[1] in nouns[0].lower():
        return noun[0].upper() + noun[1:]  # the noun already says the material
    if n == 0:
        return f"{material[1].capitalize()} {noun}"
    if n == 3:
        return f"{material[4]}{noun}"
    return f"{noun} {material[1 + n]}"


# Which profile a branch uses (set on the department or category, inherited below).
PROFILE_OF = {"Women": "Apparel", "Men": "Apparel", "Kids": "Apparel", "Accessories": "Accessories",
              "Shoes": "Shoes"}

# size label -> (eu, it, fr, uk, us, jp, measurements)
SIZE_SETS = {
    "women": [
        ("XS", "34", "38", "34", "6", "2", "5", {"chest_cm": 80, "waist_cm": 62, "hips_cm": 88}),
        ("S", "36", "40", "36", "8", "4", "7", {"chest_cm": 84, "waist_cm": 66, "hips_cm": 92}),
        ("M", "38", "42", "38", "10", "6", "9", {"chest_cm": 88, "waist_cm": 70, "hips_cm": 96}),
        ("L", "40", "44", "40", "12", "8", "11", {"chest_cm": 92, "waist_cm": 74, "hips_cm": 100}),
        ("XL", "42", "46", "42", "14", "10", "13", {"chest_cm": 98, "waist_cm": 80, "hips_cm": 106}),
    ],
    "men": [
        ("S", "46", "46", "46", "36", "36", "S", {"chest_cm": 92, "waist_cm": 80}),
        ("M", "48", "48", "48", "38", "38", "M", {"chest_cm": 98, "waist_cm": 86}),
        ("L", "50", "50", "50", "40", "40", "L", {"chest_cm": 104, "waist_cm": 92}),
        ("XL", "52", "52", "52", "42", "42", "LL", {"chest_cm": 110, "waist_cm": 98}),
        ("XXL", "54", "54", "54", "44", "44", "3L", {"chest_cm": 116, "waist_cm": 104}),
    ],
    "shoes_women": [
        (str(eu), str(eu), str(eu), str(eu), str(eu - 33), str(eu - 31), f"{22.5 + (eu - 36) * 0.5:.1f}",
         {"foot_length_cm": round(22.7 + (eu - 36) * 0.67, 1)})
        for eu in range(36, 42)
    ],
    "shoes_men": [
        (str(eu), str(eu), str(eu), str(eu), str(eu - 34), str(eu - 33), f"{25.0 + (eu - 40) * 0.5:.1f}",
         {"foot_length_cm": round(25.3 + (eu - 40) * 0.67, 1)})
        for eu in range(40, 46)
    ],
    "kids": [
        (str(h), str(h), str(h), str(h), f"{a}-{a + 1}", f"{a}T", str(h), {"length_cm": h})
        for h, a in ((104, 3), (110, 4), (116, 5), (122, 6), (128, 7))
    ],
    "one": [("ONE SIZE", "TU", "TU", "TU", "OS", "OS", "F", {})],
}

# Materials: (fibre code, en, fr, pl genitive phrase, zh)
MATERIALS = [
    ("flax", "linen", "en lin", "z lnu", "亚麻"),
    ("cotton", "cotton", "en coton", "z bawełny", "棉质"),
    ("wool", "wool", "en laine", "z wełny", "羊毛"),
    ("silk", "silk", "en soie", "z jedwabiu", "真丝"),
    ("viscose", "viscose", "en viscose", "z wiskozy", "粘胶"),
    ("cashmere", "cashmere", "en cachemire", "z kaszmiru", "羊绒"),
    ("leather", "leather", "en cuir", "ze skóry", "皮革"),
    ("polyester", "recycled polyester", "en polyester recyclé", "z poliestru z recyklingu", "再生涤纶"),
]

COLOURS = [
    ("BLK", "Black", "Noir", "Czarny", "黑色", (28, 28, 30)),
    ("WHT", "Off-white", "Blanc cassé", "Złamana biel", "米白色", (238, 234, 224)),
    ("RED", "Red", "Rouge", "Czerwony", "红色", (170, 32, 40)),
    ("NVY", "Navy", "Marine", "Granatowy", "藏青色", (30, 40, 80)),
    ("CML", "Camel", "Camel", "Karmelowy", "驼色", (190, 150, 100)),
    ("OLV", "Olive", "Olive", "Oliwkowy", "橄榄绿", (100, 110, 60)),
    ("BLU", "Sky blue", "Bleu ciel", "Błękitny", "天蓝色", (130, 180, 220)),
    ("PNK", "Blush pink", "Rose poudré", "Pudrowy róż", "浅粉色", (230, 180, 180)),
]

FIT_COPY = {
    "slim": ("Slim fit, close to the body.", "Coupe ajustée, près du corps.",
             "Dopasowany krój, blisko ciała.", "修身版型，贴合身形。"),
    "regular": ("Regular fit, true to size.", "Coupe droite, taille normalement.",
                "Regularny krój, rozmiar standardowy.", "常规版型，尺码标准。"),
    "relaxed": ("Relaxed fit with room to move.", "Coupe décontractée, confortable.",
                "Luźny krój, swoboda ruchów.", "宽松版型，活动自如。"),
    "oversized": ("Oversized fit: consider a size down.", "Coupe oversize : prenez une taille en dessous.",
                  "Krój oversize: rozważ mniejszy rozmiar.", "超大廓形，建议选小一码。"),
}

DESCRIPTION = (
    "<p>{name}, designed in our Paris studio for the {season} collection.</p>"
    "<ul><li>{fit}</li><li>Finished by hand</li></ul>",
    "<p>{name} : une pièce dessinée dans notre studio parisien pour la collection {season}.</p>"
    "<ul><li>{fit}</li><li>Finitions à la main</li></ul>",
    "<p>{name} – projekt naszego paryskiego studia na kolekcję {season}.</p>"
    "<ul><li>{fit}</li><li>Ręczne wykończenie</li></ul>",
    "<p>{name}，由巴黎工作室为{season}系列设计。</p><ul><li>{fit}</li><li>手工精制</li></ul>",
)

CARE_COPY = ("Wash inside out with similar colours.", "Laver à l'envers avec des couleurs similaires.",
             "Prać na lewej stronie z podobnymi kolorami.", "请翻面与同色衣物一起洗涤。")
ADVICE_COPY = ("True to size.", "Taille normalement.", "Rozmiar zgodny z tabelą.", "尺码标准。")
MATERIAL_COPY = ("Mid-weight fabric with a soft hand.", "Tissu de poids moyen, toucher doux.",
                 "Tkanina średniej gramatury, miękka w dotyku.", "中等克重面料，手感柔软。")

CARE_BY_FIBRE = {
    "flax": ("wash_40", "do_not_bleach", "line_dry", "iron_200", ""),
    "cotton": ("wash_40", "oxygen_only", "tumble_low", "iron_150", ""),
    "wool": ("hand_wash", "do_not_bleach", "flat_dry", "iron_110", "dry_clean_p"),
    "silk": ("hand_wash", "do_not_bleach", "flat_dry_shade", "iron_110", "dry_clean_p_mild"),
    "viscose": ("wash_30_mild", "do_not_bleach", "do_not_tumble", "iron_110", ""),
    "cashmere": ("hand_wash", "do_not_bleach", "flat_dry", "iron_110", "dry_clean_p"),
    "leather": ("do_not_wash", "do_not_bleach", "do_not_tumble", "do_not_iron", "dry_clean_f"),
    "polyester": ("wash_30", "do_not_bleach", "tumble_low", "iron_110", ""),
}

LINING_BY_FIBRE = {"leather": "viscose", "wool": "viscose", "cashmere": None}

MARKETS = {  # country: (cost, currency, min days, max days)
    "FR": ("4.95", "EUR", 2, 4),
    "DE": ("5.95", "EUR", 3, 5),
    "PL": ("19.00", "PLN", 2, 4),
    "GB": ("6.95", "GBP", 3, 6),
    "CN": ("68.00", "CNY", 6, 12),
}

CHANNELS = [
    # code, name, locales, markets, min photos, description max length, renditions
    ("webshop", "Web shop", ["en", "fr", "pl", "zh-hans"], ["FR", "DE", "PL", "GB", "CN"], 4, 2000,
     ["max-2000|format-jpeg|quality-85", "fill-800x1000|format-webp|quality-80",
      "fill-400x500|format-webp|quality-80"], APPAREL),
    ("marketplace", "Marketplace", ["en", "fr", "pl"], ["FR", "DE", "PL"], 2, 1000,
     ["max-2000|format-jpeg|quality-85"], APPAREL),
    ("store-screens", "Store screens", ["en", "fr", "pl", "zh-hans"], [], 1, 600,
     ["fill-1080x1920|format-webp|quality-80"],
     ["photos", "composition", "size_chart", "description", "care", "translations"]),
]

CARE_FIELDS = ("care_washing", "care_bleaching", "care_drying", "care_ironing", "care_professional")
