"""Accord settings, read from the environment.

Strict parsing (the environment in `config.environment`, the sign-in settings in
`config.signin`). With nothing set, Accord runs on a single machine with embedded
defaults: SQLite under var/, a filesystem Celery broker under var/, e-mail written to
var/mail/. Production sets DEBUG=False, which makes SECRET_KEY mandatory.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .environment import BASE_DIR, DEBUG, TESTING, VAR_DIR, env
from .environment import setting as _setting
from .signin import *  # noqa: F403 (the sign-in settings, kept in their own module)

if DEBUG or TESTING:
    SECRET_KEY = _setting("SECRET_KEY", "insecure-development-key-do-not-use-in-production")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")  # no default: production must set it
    if not SECRET_KEY:
        raise ImproperlyConfigured("Set the SECRET_KEY environment variable (DEBUG is off).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Reverse proxies in front of the app (the client IP is read from X-Forwarded-For this deep);
# used for audit trails and rate limits. 0 means REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The same depth drives allauth's rate limits and axes' lockouts (core.client.client_ip).
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
AXES_CLIENT_IP_CALLABLE = "core.client.axes_client_ip"
SITE_URL = _setting("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "core",
    "accounts",
    "notifications",
    "partnerships",
    "fitcards",
    "evidence",
    "charters",
    "reviews",
    "demo",
    "programs",
    "ninja",  # django-ninja's templates and static files (Swagger UI, served by us)
    "api",
    "webhooks",
    "guide",
    "partnerroom",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "accounts.middleware.OrganizationMiddleware",
    "core.zone.ViewerTimeZoneMiddleware",
    "core.i18n.PersonLanguageMiddleware",
    "accounts.middleware.TwoFactorPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    "config.middleware.StaffOnlyAdminMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
]

# The Django admin, for staff only, at a path set in the environment: ``admin/`` in
# development, none in production unless ADMIN_URL is set (``check --deploy`` warns).
ADMIN_URL = _setting("ADMIN_URL", "admin/" if DEBUG or TESTING else "").strip("/")
ADMIN_URL = f"{ADMIN_URL}/" if ADMIN_URL else ""

# Browser features Accord never uses are switched off for every page (Permissions-Policy).
PERMISSIONS_POLICY = {
    name: []
    for name in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
} | {
    # Passkeys (WebAuthn) may be used by our own pages only.
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "accounts.context_processors.organization",
            ],
            # One date format everywhere (issue 18.3): |when, |due, |short_date, |iso, …
            "builtins": ["core.templatetags.dates", "core.templatetags.agents"],
        },
    }
]

DATABASES = {
    "default": env.db_url_config(
        _setting("DATABASE_URL", f"sqlite:///{VAR_DIR / 'accord.sqlite3'}")
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# Two PostgreSQL roles: DATABASE_URL is the runtime role the app runs as, which owns nothing
# (it may read and write rows and append evidence, never alter a table or its triggers);
# MIGRATION_DATABASE_URL is the owner role, used only by ``manage.py migrate``
# (``accounts/management/commands/migrate.py``) and the owner's own commands.
MIGRATION_DATABASE_URL = _setting("MIGRATION_DATABASE_URL", "")
if MIGRATION_DATABASE_URL:
    DATABASES["migrate"] = {
        **env.db_url_config(MIGRATION_DATABASE_URL),
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": 0,
        "TEST": {"MIRROR": "default"},  # the same database, under another role
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(_setting("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: files go through permission-checked views

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }

if DEBUG or TESTING:
    STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise serves from the finders; keep it quiet
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# E-mail: files under var/mail/ unless an SMTP server is configured.
EMAIL_BACKEND = _setting("EMAIL_BACKEND", "core.mail.EmlFileBackend")
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = _setting("DEFAULT_FROM_EMAIL", "Accord <accord@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport under var/.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
else:
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("out", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL and not TESTING
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Security: secure defaults in production, relaxed only for local http.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    if TRUSTED_PROXY_COUNT > 0:  # only a proxy we trust may say the request came over https
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
}

# The installation's sealing certificate for executed charters (created on first run).
SEAL_KEY_PASSPHRASE = env.str("SEAL_KEY_PASSPHRASE", default="")
# The seal keyring (core.keyring): root certificate, every seal key issued, the current one.
SEAL_KEYRING_DIR = _setting("SEAL_KEYRING_DIR", str(VAR_DIR / "seal" / "keyring"))
# Signed evidence checkpoints, one append-only file per organization, kept outside the
# database (a volume the database's administrators cannot write).
EVIDENCE_CHECKPOINT_DIR = _setting("EVIDENCE_CHECKPOINT_DIR", str(VAR_DIR / "checkpoints"))

# One console handler, the root's (Django's own, on with DEBUG, would print each request
# warning twice); a 403 or 404 is one line without a traceback (core/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors": {"()": "core.logs.ClientErrorsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}

# --- REST API and webhooks (issue 15; the "api" and "webhooks" apps) ----------------------
# Calls per API token per window, "<requests>/<seconds>" (429 with Retry-After past it).
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="600/60")
# Webhook URLs that resolve to private, loopback or link-local addresses are refused, unless
# this is on (tests, and on-premise receivers inside the same network).
WEBHOOKS_ALLOW_PRIVATE_URLS = env.bool("WEBHOOKS_ALLOW_PRIVATE_URLS", default=False)
# Seconds to wait for a receiver to connect and answer.
WEBHOOKS_TIMEOUT_SECONDS = env.int("WEBHOOKS_TIMEOUT_SECONDS", default=10)
# Services announce changes through core.events.emit; this handler turns them into webhooks.
EVENT_HANDLER = "webhooks.events.emit"
EVENT_MANY_HANDLER = "webhooks.events.emit_many"  # batches (a cycle's reviews), one lookup
# An open program's admitted contact is invited to the partner room (programs cannot import it).
PROGRAM_ROOM_INVITE = "partnerroom.services.access.access_grant"
