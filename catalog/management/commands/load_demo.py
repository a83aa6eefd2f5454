"""A realistic fashion catalog for trying the product and for benchmarks. Idempotent."""
import random
import secrets
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history
from tqdm import tqdm

from catalog import demo
from catalog.models import (
    Brand,
    Category,
    Channel,
    Colour,
    CompositionLine,
    ContentProfile,
    Product,
    ReturnsPolicy,
    Season,
    ShippingRate,
    SizeChartRow,
    Variant,
)
from catalog.models.fields import gtin_check_digit

LOCALES = ("en", "fr", "pl", "zh_hans")
SUFFIX = {"en": "en", "fr": "fr", "pl": "pl", "zh_hans": "zh_hans"}
# Share of products translated into each locale: gaps stay visible in the demo.
TRANSLATED_SHARE = {"fr": 0.8, "pl": 0.55, "zh_hans": 0.3}
BATCH = 500
DEMO_ROLE_USERS = ("merchandiser", "manager", "translator")


def demo_gtin(n: int) -> str:
    body = f"590{n:09d}"
    return "0" + body + str(gtin_check_digit(body))


class Command(BaseCommand):
    help = "Load the demo catalog (idempotent). --products N scales it for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=300, help="How many products (300).")
        parser.add_argument(
            "--no-admin", action="store_true", help="Do not create or reset the demo admin login."
        )
        parser.add_argument(
            "--catalog-only", action="store_true",
            help="Products only: no photos, workflow or completeness (fast, for benchmarks).",
        )

    def handle(self, *args, products, no_admin, catalog_only=False, **options):
        if products < 0:
            raise CommandError(f"--products must be zero or more, not {products}.")
        brands, seasons, leaves = self.load_reference()
        created = self.load_products(products, brands, seasons, leaves)
        self.stdout.write(
            f"Demo catalog: {Product.objects.count()} products ({created} new) in "
            f"{len(leaves)} leaf categories, {Variant.objects.count()} variants."
        )
        for step in [] if catalog_only else self.extra_steps():
            step(self)
        if not no_admin:
            self.reset_admin()

    def extra_steps(self):
        """Later capabilities (photos, workflow) add their demo steps here."""
        from catalog.demo_workflow import load_demo_workflow
        from catalog.demo_photos import load_demo_photos
        from catalog.stores.demo import load_demo_stores

        return [load_demo_photos, load_demo_workflow, load_demo_completeness, load_demo_stores]

    # Reference data -------------------------------------------------------------------
    def load_reference(self):
        """Profiles, policies, brands, seasons, the taxonomy and channels (idempotent); the
        brands, seasons and leaves products are made from."""
        with transaction.atomic():
            profiles = self.load_profiles()
            policies = self.load_policies()
            brands = self.load_brands(policies)
            seasons = self.load_seasons()
            leaves = self.load_taxonomy(profiles, policies)
            self.load_channels()
        return brands, seasons, leaves

    def load_profiles(self):
        profiles = {}
        for name, fields in demo.PROFILES.items():
            profiles[name], _ = ContentProfile.objects.update_or_create(
                name=name, defaults={"required_fields": fields}
            )
        return profiles

    def load_policies(self):
        standard, _ = ReturnsPolicy.objects.get_or_create(
            name="Standard: 30 days, free",
            defaults={
                "days": 30, "free": True,
                "conditions_en": "Unworn, unwashed, with all tags attached.",
                "conditions_fr": "Non porté, non lavé, avec toutes les étiquettes.",
                "conditions_pl": "Nienoszony, nieprany, z metkami.",
                "conditions_zh_hans": "未穿着、未洗涤、吊牌完好。",
            },
        )
        swimwear, _ = ReturnsPolicy.objects.get_or_create(
            name="Swimwear: not returnable",
            defaults={
                "returnable": False, "free": False, "days": 0,
                "conditions_en": "For hygiene reasons swimwear cannot be returned.",
                "conditions_fr": "Pour des raisons d'hygiène, les maillots ne sont pas repris.",
                "conditions_pl": "Ze względów higienicznych stroje kąpielowe nie podlegają zwrotom.",
                "conditions_zh_hans": "出于卫生原因，泳装不予退换。",
            },
        )
        return {"standard": standard, "swimwear": swimwear}

    def load_brands(self, policies):
        brands = []
        for code, name in (("lumiere", "Maison Lumière"), ("nord", "Atelier Nord")):
            brand, _ = Brand.objects.get_or_create(
                code=code, defaults={"name": name, "returns_policy": policies["standard"]}
            )
            for country, (cost, currency, lo, hi) in demo.MARKETS.items():
                ShippingRate.objects.get_or_create(
                    brand=brand, category=None, product=None, country=country,
                    defaults={"cost": cost, "currency": currency, "min_days": lo, "max_days": hi},
                )
            brands.append(brand)
        return brands

    def load_seasons(self):
        names = {"SS25": "Spring-Summer 2025", "AW25": "Autumn-Winter 2025",
                 "SS26": "Spring-Summer 2026"}
        return [Season.objects.get_or_create(code=c, defaults={"name": n})[0]
                for c, n in names.items()]

    def load_taxonomy(self, profiles, policies):
        def node(parent, names):
            slug = slugify(names[0])
            siblings = (Category.objects.get_children(parent) if parent
                        else Category.objects.get_root_nodes())
            found = siblings.filter(slug=slug).first()
            if found:
                return found
            instance = Category(
                slug=slug, **{f"name_{SUFFIX[loc]}": n for loc, n in zip(LOCALES, names)}
            )
            profile = demo.PROFILE_OF.get(names[0]) if parent is None or names[0] == "Shoes" else None
            instance.content_profile = profiles.get(profile) if profile else None
            if names[0] == "Swimwear":
                instance.returns_policy = policies["swimwear"]
            if parent is None:
                return Category.objects.add_root(instance=instance)
            return Category.objects.add_child(Category.objects.get(pk=parent.pk), instance=instance)

        leaves = []
        for dept_names, categories in demo.TAXONOMY.items():
            dept = node(None, dept_names)
            for cat_names, leaf_specs in categories.items():
                cat = node(dept, cat_names)
                for leaf_names, size_set in leaf_specs:
                    leaf = node(cat, leaf_names)
                    leaves.append((leaf, dept_names[0], size_set))
        return leaves

    def load_channels(self):
        for code, name, locales, markets, min_photos, max_len, renditions, fields in demo.CHANNELS:
            Channel.objects.get_or_create(
                code=code,
                defaults={
                    "name": name, "locales": locales, "markets": markets,
                    "min_photos": min_photos, "description_max_length": max_len,
                    "renditions": renditions, "required_fields": fields,
                },
            )

    # Products -------------------------------------------------------------------------
    def load_products(self, count, brands, seasons, leaves):
        existing = set(Product.objects.values_list("style_code", flat=True))
        wanted = [(i, self.style_code(i, leaves)) for i in range(1, count + 1)]
        todo = [(i, code) for i, code in wanted if code not in existing]
        for start in tqdm(range(0, len(todo), BATCH), desc="products", unit="batch",
                          disable=len(todo) < 2 * BATCH):
            with transaction.atomic():
                self.create_batch(todo[start:start + BATCH], brands, seasons, leaves)
        return len(todo)

    @staticmethod
    def style_code(i, leaves):
        leaf, dept, _ = leaves[i % len(leaves)]
        return f"{dept[0]}{leaf.slug[:1].upper()}-{25 + i % 2}-{i:05d}"

    def create_batch(self, batch, brands, seasons, leaves):
        rows = CatalogRows(brands, seasons, leaves)
        products = bulk_create_with_history(rows.products(batch), Product, batch_size=BATCH)
        colours, charts, lines = rows.children(products)
        Colour.objects.bulk_create(colours)
        SizeChartRow.objects.bulk_create(charts)
        CompositionLine.objects.bulk_create(lines)
        Variant.objects.bulk_create(rows.variants(colours))

    def reset_admin(self):
        """A fresh password, printed, for the admin and the demo's role users."""
        password = secrets.token_urlsafe(9)
        users = get_user_model().objects
        user, _ = users.get_or_create(username="admin", defaults={"email": "admin@example.com"})
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        roles = list(users.filter(username__in=DEMO_ROLE_USERS).order_by("username"))
        for role_user in roles:
            role_user.set_password(password)
        users.bulk_update(roles, ["password"])
        self.stdout.write(self.style.SUCCESS(
            f"Admin login: http://127.0.0.1:8000/admin/  user: admin  password: {password}"
        ))
        if roles:
            self.stdout.write(
                f"Same password for the role users: {', '.join(u.username for u in roles)}."
            )


class CatalogRows:
    """The demo catalog's rows for products numbered i, as unsaved instances: products, then
    the colours, size charts and composition lines of saved products, then the variants of
    saved colours. Product i is the same whoever writes the rows (bulk_create here, COPY in
    the scale benchmark)."""

    def __init__(self, brands, seasons, leaves):
        self.brands, self.seasons, self.leaves = brands, seasons, leaves
        self.plans = {}  # style code -> what the product's children are made from

    def products(self, batch):
        brands, seasons, leaves = self.brands, self.seasons, self.leaves
        products = []
        for i, style_code in batch:
            rng = random.Random(i)
            leaf, dept, size_set = leaves[i % len(leaves)]
            fibre = rng.choice(demo.LEAF_PRODUCT[leaf.name_en][1])
            material = next(m for m in demo.MATERIALS if m[0] == fibre)
            fit = rng.choice(list(demo.FIT_COPY)) if size_set not in ("one",) else ""
            season = seasons[i % len(seasons)]
            product = Product(
                style_code=style_code, brand=brands[i % len(brands)], season=season,
                category=leaf, fit_type=fit,
                model_height_cm=rng.choice((172, 175, 178, 183, 186)) if fit else None,
                model_size=SIZE_MODEL.get(size_set, "") if fit else "",
                rating_average=Decimal(rng.randint(30, 50)) / 10 if i % 3 else None,
                rating_count=rng.randint(3, 240) if i % 3 else 0,
                **dict(zip(demo.CARE_FIELDS, demo.CARE_BY_FIBRE[material[0]])),
            )
            translated = {loc for loc, share in TRANSLATED_SHARE.items() if rng.random() < share}
            for n, loc in enumerate(LOCALES):
                if loc != "en" and loc not in translated:
                    continue
                name = demo.product_name(leaf.name_en, fibre, n)
                setattr(product, f"name_{loc}", name)
                setattr(product, f"description_{loc}", demo.DESCRIPTION[n].format(
                    name=name, season=season.code,
                    fit=demo.FIT_COPY[fit][n] if fit else demo.MATERIAL_COPY[n]))
                setattr(product, f"care_text_{loc}", demo.CARE_COPY[n])
                setattr(product, f"material_text_{loc}", demo.MATERIAL_COPY[n])
                if fit:
                    setattr(product, f"fit_description_{loc}", demo.FIT_COPY[fit][n])
                    setattr(product, f"size_advice_{loc}", demo.ADVICE_COPY[n])
            products.append(product)
            self.plans[style_code] = (i, rng, material, size_set, translated)
        return products

    def children(self, products):
        """Colours, size chart rows and composition lines of `products` (saved)."""
        colours, charts, lines = [], [], []
        for product in products:
            i, rng, material, size_set, translated = self.plans[product.style_code]
            for position, c in enumerate(rng.sample(demo.COLOURS, rng.randint(1, 3))):
                colour = Colour(product=product, code=c[0], position=position, name_en=c[1])
                for n, loc in enumerate(LOCALES[1:], start=2):
                    if loc in translated:
                        setattr(colour, f"name_{loc}", c[n])
                colours.append(colour)
            for position, (label, eu, it, fr, uk, us, jp, measures) in enumerate(
                demo.SIZE_SETS[size_set]
            ):
                charts.append(SizeChartRow(product=product, position=position, size_label=label,
                                           eu=eu, it=it, fr=fr, uk=uk, us=us, jp=jp, **measures))
            lines += composition(product, material[0], rng)
        return colours, charts, lines

    def variants(self, colours):
        """The variants of `colours` (saved): one per size of the product's size set."""
        variants = []
        for colour in colours:
            i, _, _, size_set, _ = self.plans[colour.product.style_code]
            for size_index, size in enumerate(demo.SIZE_SETS[size_set]):
                label = size[0]
                variants.append(Variant(
                    colour=colour, size_label=label,
                    sku=f"{colour.product.style_code}-{colour.code}-{label.replace(' ', '')}",
                    gtin=demo_gtin(i * 100 + colour.position * 10 + size_index),
                ))
        return variants


def load_demo_completeness(command) -> None:
    """Translations in place count as found (not outdated), then every product's completeness."""
    from django.core.management import call_command

    from catalog.services.translations import translation_stamps_bootstrap

    translation_stamps_bootstrap()
    call_command("recompute_completeness", "--no-progress", stdout=command.stdout._out)


SIZE_MODEL = {"women": "S", "men": "M", "kids": "116"}


def composition(product, fibre, rng):
    if fibre in ("leather", "silk", "cashmere", "flax"):
        lines = [CompositionLine(product=product, part="shell", fibre=fibre, percentage=100)]
    else:
        stretch = rng.choice((0, 2, 5))
        lines = [CompositionLine(product=product, part="shell", fibre=fibre,
                                 percentage=100 - stretch, position=0)]
        if stretch:
            lines.append(CompositionLine(product=product, part="shell", fibre="elastane",
                                         percentage=stretch, position=1))
    lining = demo.LINING_BY_FIBRE.get(fibre)
    if lining:
        lines.append(CompositionLine(product=product, part="lining", fibre=lining,
                                     percentage=100, position=0))
    return lines
