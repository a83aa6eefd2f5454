from pim.env import BASE_DIR, env

SECRET_KEY = env("DJANGO_SECRET_KEY", default="django-insecure-local-only-key-change-me-in-production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    # The admin's theme (django-admin-interface): its templates and styles come before the
    # admin's own.
    "admin_interface",
    "colorfield",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "nested_admin",
    "adminsortable2",
    "treebeard",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "storages",
    "django_countries",
    "axes",
    "csp",
    "django_prose_editor",
    "corsheaders",
    "pim.apps.PimConfig",
    "catalog",
    "catalog.stores",
    "media",
    "api",
    "api.stores",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before CommonMiddleware, so that preflight requests are answered by it.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user name
# from one address, that pair is locked out for AXES_COOLOFF_TIME hours, right password or not.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

ROOT_URLCONF = "pim.urls"
WSGI_APPLICATION = "pim.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pim" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Django's form templates, with the plain widgets written out in Python (pim.renderers).
FORM_RENDERER = "pim.renderers.FastWidgetRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the server and a worker read while one writes; with WAL, synchronous=NORMAL
    # syncs at checkpoints instead of at every commit (a crash loses no committed data, a
    # power cut at most the last commits); a 64 MiB page cache holds a large catalog's
    # indexes during an import instead of re-reading them.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["init_command"] = ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                               "PRAGMA cache_size=-65536;")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The planner's price of a random page read: 4 assumes spinning disks; on SSDs or a
    # cached catalog, 1.1 lets it pick the index scans the product list and search rely on.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c random_page_cost={env.float('DATABASE_RANDOM_PAGE_COST', default=1.1)}")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Locales: English is the source; adding one is a line here plus the translation-field
# migration (manage.py makemigrations).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("pl", "Polski"),
    ("zh-hans", "简体中文"),
]
SOURCE_LANGUAGE = "en"
MODELTRANSLATION_DEFAULT_LANGUAGE = SOURCE_LANGUAGE
MODELTRANSLATION_FALLBACK_LANGUAGES = ()
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "pim" / "static"]
# jQuery UI for the admin's translation tabs, served locally rather than from a CDN.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "pim.staticfiles.JQueryUIFinder",
]
# The setting django-modeltranslation reads (its tabbed admin uses the admin's own jQuery).
JQUERY_UI_URL = "jquery-ui/jquery-ui.min.js"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = env("DJANGO_MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media-files")
# Originals (with the camera's GPS and titles) are stored apart from what MEDIA_URL serves:
# staff download them through the admin; channels only ever get renditions.
ORIGINALS_ROOT = env.path("DJANGO_ORIGINALS_ROOT", default=BASE_DIR / "originals-files")
# The address channels reach this server at. Media URLs in published content are made
# absolute against it when the storage gives relative ones (local files); S3 and CDN URLs
# are absolute already.
PIM_PUBLIC_URL = env("PIM_PUBLIC_URL", default="")

# Storage: the local filesystem unless an S3 bucket is named.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN", default=None)
    AWS_QUERYSTRING_AUTH = env.bool("AWS_QUERYSTRING_AUTH", default=False)
    AWS_S3_FILE_OVERWRITE = False
    AWS_DEFAULT_ACL = None
    default_storage = {"BACKEND": "storages.backends.s3.S3Storage"}
    # The same bucket, under a prefix the bucket policy does not make public: private
    # objects, reached through short-lived signed URLs, never through the custom domain.
    originals_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "location": env("AWS_ORIGINALS_LOCATION", default="private"),
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 300,
        "custom_domain": None,
    }}
else:
    default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    originals_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage",
                         "OPTIONS": {"location": ORIGINALS_ROOT, "base_url": "/originals/"}}
STORAGES = {
    "default": default_storage,
    "originals": originals_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Content-Security-Policy (django-csp): scripts, styles, fonts and frames from this server
# only. Images and video may also come from where media are stored (an absolute MEDIA_URL, a
# CDN domain, the S3 endpoint). Style attributes stay allowed: the admin's templates use them.
def _origin(url: str | None) -> list[str]:
    from urllib.parse import urlsplit

    parts = urlsplit(url or "")
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


MEDIA_ORIGINS = _origin(MEDIA_URL)
if AWS_STORAGE_BUCKET_NAME:
    MEDIA_ORIGINS += (
        [f"https://{AWS_S3_CUSTOM_DOMAIN}"] if AWS_S3_CUSTOM_DOMAIN
        else _origin(AWS_S3_ENDPOINT_URL) or ["https://*.amazonaws.com"]
    )
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *MEDIA_ORIGINS],
        "media-src": ["'self'", "blob:", *MEDIA_ORIGINS],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

# Celery: eager in-process execution unless a broker is configured.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"

# Caches: per process unless CACHE_URL names a shared one (redis://...), which the API's
# per-token rate limit needs when several server processes run.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# The admin's active theme, read once and kept (django-admin-interface drops it when a theme is
# saved). A shared cache keeps it until then; a per-process one for a minute, so that the
# other processes see an edited theme soon after.
CACHES["admin_interface"] = (
    {**CACHES["default"], "TIMEOUT": None} if env("CACHE_URL", default="") else
    {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "admin-interface",
     "TIMEOUT": 60})

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.ORJSONRenderer"],
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "channel_token": env("API_RATE_LIMIT", default="1200/minute"),
        "bad_token": env("API_BAD_TOKEN_LIMIT", default="20/minute"),
    },
    "UNAUTHENTICATED_USER": None,
}
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=1000)
# Browser clients on other origins (a storefront calling the API itself): none by default.
CORS_ALLOWED_ORIGINS = env.list("API_CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/v1/channels/"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = [
    "Content-Language", "ETag", "Last-Modified", "Link", "X-PIM-Watermark", "Retry-After",
    "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy",
]
CORS_PREFLIGHT_MAX_AGE = 3600
API_THROTTLE_CACHE = "default"
SPECTACULAR_SETTINGS = {
    "TITLE": "PIM syndication API",
    "DESCRIPTION": (
        "Approved product content per channel and locale: full and delta feeds, one product "
        "by style code or barcode, and the category tree. Every request carries a channel "
        "token (`Authorization: Bearer <token>`); errors are JSON with `detail` and `code`."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "WEBHOOKS": ["api.webhooks.schema.product_changed"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.channel_locales_hook",
        "api.webhooks.schema.webhook_headers_hook",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CareWashingEnum": "catalog.models.choices.CareWashing",
        "CareBleachingEnum": "catalog.models.choices.CareBleaching",
        "CareDryingEnum": "catalog.models.choices.CareDrying",
        "CareIroningEnum": "catalog.models.choices.CareIroning",
        "CareProfessionalEnum": "catalog.models.choices.CareProfessional",
        "FitTypeEnum": "catalog.models.choices.FitType",
    },
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Store screens go back to their idle screen after this many seconds without a touch or scan.
SCREEN_IDLE_SECONDS = env.int("SCREEN_IDLE_SECONDS", default=60)

# Webhooks: a failed delivery is retried after WEBHOOK_RETRY_BACKOFF seconds, doubling each
# time up to WEBHOOK_RETRY_BACKOFF_MAX; undelivered events are swept up every minute.
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10.0)
WEBHOOK_RETRY_BACKOFF = env.float("WEBHOOK_RETRY_BACKOFF", default=10.0)
WEBHOOK_RETRY_BACKOFF_MAX = env.float("WEBHOOK_RETRY_BACKOFF_MAX", default=3600.0)
WEBHOOK_SWEEP_INTERVAL = env.float("WEBHOOK_SWEEP_INTERVAL", default=60.0)
# Webhooks go over https to public addresses (catalog.webhook_urls). For development only:
# http to a receiver on loopback, and private or loopback targets.
WEBHOOK_ALLOW_HTTP_LOOPBACK = env.bool("WEBHOOK_ALLOW_HTTP_LOOPBACK", default=False)
WEBHOOK_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=False)

# Images: refuse decompression bombs outright rather than warn.
MEDIA_MAX_IMAGE_PIXELS = env.int("MEDIA_MAX_IMAGE_PIXELS", default=64_000_000)
# Request bodies. The largest real product page (10 colours of 10 photos in 10 sizes, every
# locale) posts about 1,850 fields and under 2 MB of text at its fields' max lengths;
# more is a forged post, refused before any form is built. Text over a field's max_length
# but under this size reaches the form and is refused on its field.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 4_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}

# Product imports (catalog.services.imports): the largest file taken, and for an XLSX the
# largest total it may unpack to (a zip bomb is refused before anything is read).
PRODUCT_IMPORT_MAX_BYTES = env.int("PRODUCT_IMPORT_MAX_BYTES", default=512 * 1024 * 1024)
PRODUCT_IMPORT_MAX_UNCOMPRESSED = env.int("PRODUCT_IMPORT_MAX_UNCOMPRESSED",
                                          default=4 * 1024 * 1024 * 1024)
