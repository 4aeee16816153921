"""Settings shared by every profile. Only how the server runs lives here: policy (eligibility,
thresholds, weights) is per-authority data in the database."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# Local data folder: SQLite database, uploads, generated secret key, collected static files.
DATA_DIR = Path(os.environ.get("SHORTBREAKS_DATA_DIR", "var")).resolve()


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DEBUG")
# .localhost: the demo's neighbouring council (ashworth.localhost), which browsers send here.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "shortbreaks.core",
    "shortbreaks.accounts",
    "shortbreaks.directory",
    "shortbreaks.families",
    "shortbreaks.bookings",
    "shortbreaks.assistants",
    "shortbreaks.procurement",
    "shortbreaks.contracts",
    "shortbreaks.insight",
    "shortbreaks.demo",
]

MIDDLEWARE = [
    # First: a load balancer's /healthz is answered before the host is checked (core/health.py).
    "shortbreaks.core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "shortbreaks.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The rush's short path: "full" from memory for the booking API (bookings/rush.py).
    "shortbreaks.bookings.rush.FullSessionGate",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shortbreaks.core.middleware.AuthorityMiddleware",
    "shortbreaks.accounts.middleware.StaffTwoFactorMiddleware",
    "shortbreaks.core.middleware.OpenCorsMiddleware",
    # The file store being down is a clear page (503), not a 500 (core/storage.py).
    "shortbreaks.core.middleware.StoreUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into our own page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shortbreaks.urls"
WSGI_APPLICATION = "shortbreaks.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shortbreaks.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'shortbreaks.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while a writer holds the lock; IMMEDIATE makes a writing
    # transaction take the write lock at BEGIN, so two writers queue instead of deadlocking.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # A lock that cannot be had quickly becomes a clear "busy, try again", never a hang.
    DATABASES["default"].setdefault("OPTIONS", {})
    # JIT compilation costs more than it saves on short OLTP queries (it added ~200 ms to
    # distance searches whose estimated cost crossed jit_above_cost). A random page read costs
    # little more than a sequential one on SSDs and cached data (PostgreSQL's default of 4 is
    # for spinning disks, and made it read every service rather than the search's trigram
    # index); DB_RANDOM_PAGE_COST overrides it where the database says otherwise.
    DATABASES["default"]["OPTIONS"].setdefault(
        "options",
        f"-c lock_timeout={os.environ.get('DB_LOCK_TIMEOUT_MS', '3000')} -c jit=off"
        f" -c random_page_cost={os.environ.get('DB_RANDOM_PAGE_COST', '1.1')}",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "email", "full_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "directory:home"

# Failed sign-in throttling: five failures for one account from one address locks it out
# for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "shortbreaks.accounts.views.locked_out"
# Behind a reverse proxy: the proxies' own addresses (comma-separated). Only requests from these
# have their X-Forwarded-For believed; empty, the header is ignored. See docs/privacy.md.
TRUSTED_PROXIES = [a.strip() for a in os.environ.get("TRUSTED_PROXIES", "").split(",") if a.strip()]
CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
AXES_CLIENT_IP_CALLABLE = "shortbreaks.core.clients.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Council staff and administrators confirm each sign-in with a one-time code (TOTP).
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Short breaks")
OTP_TOTP_THROTTLE_FACTOR = 1

# Staff sessions end after 8 hours, or when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# The dates and times forms accept ("1 September 2027 2pm"): core/formats/en_GB/formats.py.
FORMAT_MODULE_PATH = ["shortbreaks.core.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("SHORTBREAKS_STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]

# Stored files (uploads and the worker's PDFs) go only through Django's storage API
# (core/storage.py). SHORTBREAKS_STORAGE=local (the default): files under MEDIA_ROOT on this
# server. SHORTBREAKS_STORAGE=s3: an S3-compatible object store, for more than one server.
SHORTBREAKS_STORAGE = os.environ.get("SHORTBREAKS_STORAGE", "local").strip().lower()


def file_storage(kind: str) -> dict:
    if kind == "local":
        return {"BACKEND": "shortbreaks.core.storage.LocalStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"SHORTBREAKS_STORAGE must be local or s3, not {kind!r}")
    from botocore.config import Config

    if not os.environ.get("SHORTBREAKS_S3_BUCKET"):
        raise ImproperlyConfigured("SHORTBREAKS_STORAGE=s3 needs SHORTBREAKS_S3_BUCKET")
    return {
        "BACKEND": "shortbreaks.core.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["SHORTBREAKS_S3_BUCKET"],
            "endpoint_url": os.environ.get("SHORTBREAKS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("SHORTBREAKS_S3_REGION") or None,
            # None: boto3's own chain (instance role, AWS_* variables, ~/.aws).
            "access_key": os.environ.get("SHORTBREAKS_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("SHORTBREAKS_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("SHORTBREAKS_S3_PREFIX", ""),
            "default_acl": None,  # private: the bucket's default, never public-read
            "file_overwrite": False,
            "querystring_auth": True,
            # A store that is down fails in seconds (a clear page), not a hung request.
            "client_config": Config(
                s3={"addressing_style": os.environ.get("SHORTBREAKS_S3_ADDRESSING_STYLE", "auto")},
                connect_timeout=float(os.environ.get("SHORTBREAKS_S3_TIMEOUT", "5")),
                read_timeout=float(os.environ.get("SHORTBREAKS_S3_TIMEOUT", "5")) * 4,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        },
    }


STORAGES = {
    "default": file_storage(SHORTBREAKS_STORAGE),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("SHORTBREAKS_MEDIA_ROOT", str(DATA_DIR / "media")))
# Nothing serves MEDIA_URL: uploads are served by a view that forces a download with the
# sniffed content type, never straight from the folder as a page of ours.
MEDIA_URL = "/media/"

# Strategy documents and evidence: these types only, and at most 10 MB each.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
# Emails come from their council's own contact address (core/tasks.py from_address); this is
# for a council with none, e.g. "Short breaks <shortbreaks@council.example.gov.uk>".
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Short breaks <shortbreaks@localhost>")

# Background work (emails, reminders) runs in `shortbreaks db_worker`, never in a request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Which authority a request belongs to when its host names none (single-council installs).
DEFAULT_AUTHORITY = os.environ.get("DEFAULT_AUTHORITY", "")

# Public site address, for links in emails and the ORUK API's absolute URLs.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Links in emails are built from the authority's own first host name (core/sites.py) on this
# scheme and, where the site is not on the scheme's usual port, this port.
PUBLIC_URL_SCHEME = os.environ.get("PUBLIC_URL_SCHEME", "https")
PUBLIC_URL_PORT = os.environ.get("PUBLIC_URL_PORT", "")
# The OCDS ocid prefix: register one with the Open Contracting Data Support Team before
# publishing for real; until then this unregistered one marks the data as a trial.
OCDS_PREFIX = os.environ.get("OCDS_PREFIX", "ocds-shortbreaks")
# The licence every open data file names (OCDS, 360Giving) and the publication policy quotes.
OPEN_DATA_LICENSE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
