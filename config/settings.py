"""Django settings for Microreach, read from the environment (CONTRACT section 2)."""

import sys
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from config.mailbox import mailbox

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Real environment variables win over .env (django-environ never overwrites them).
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-true"
    else:
        sys.exit(
            "Microreach: SECRET_KEY is required when DEBUG is false. Set SECRET_KEY in the "
            "environment or in .env (make install writes a development .env with DEBUG=true)."
        )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django.contrib.humanize",
    "django_celery_beat",
    "django_countries",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "audit",
    "creators",
    "campaigns",
    "platforms",
    "workspace",
    "portal",
    "outreach",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # HTML and CSV compressed for clients that accept it (Django's BREACH mitigation pads each response).
    "django.middleware.gzip.GZipMiddleware",
    "config.requestlog.RequestLogMiddleware",
    "config.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "config.middleware.LoginRequiredMiddleware",  # Django's, with a form sent after sign-out sent back to its page
    "config.twofactor.TwoFactorMiddleware",
    "audit.context.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "campaigns.middleware.BrandWritesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    "config.middleware.MethodNotAllowedPageMiddleware",  # innermost: its page gets the headers of those above
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "campaigns.context_processors.brand",
                "workspace.context_processors.unread",
            ],
        },
    },
]

# Widgets render with the project's templates (templates/…/widgets/) as well as Django's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs ~1 s on the recalculation's statements and gains nothing on short page queries.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default is shared by the web server, a worker and beat: wait for locks (make run also turns on
    # write-ahead logging, see config/devstack.py).
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Authentication: throttled (django-axes), Argon2 hashes, expiring sessions, TOTP for staff (django-otp).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Argon2 first: a password stored with an older hasher is rehashed with Argon2 at its next successful login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# How many reverse proxies in front append to X-Forwarded-For; 0 (the default) believes only the socket's peer.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "config.clientip.client_ip"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted on its own
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "token"]
AXES_VERBOSE = False  # its log lines carry usernames; attempts and lockouts are in the admin instead
SESSION_COOKIE_AGE = env.int("SESSION_AGE_DAYS", default=14) * 24 * 3600
# Staff sessions also end when the browser closes (config.twofactor sets that at login).
STAFF_SESSION_AT_BROWSER_CLOSE = env.bool("STAFF_SESSION_AT_BROWSER_CLOSE", default=True)
# Two-factor: superusers must set it up when DEBUG is false; TWO_FACTOR_FOR_STAFF extends that to all staff.
TWO_FACTOR_FOR_SUPERUSERS = env.bool("TWO_FACTOR_FOR_SUPERUSERS", default=not DEBUG)
TWO_FACTOR_FOR_STAFF = env.bool("TWO_FACTOR_FOR_STAFF", default=False)
OTP_TOTP_ISSUER = "Microreach"
PASSWORD_RESET_TIMEOUT = 3600
# The address of the app as users reach it, for links in e-mails sent by scheduled jobs (no request to ask).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The largest draft file a creator may upload in the portal (images, videos, PDF; checked by content).
DRAFT_MAX_BYTES = env.int("DRAFT_MAX_MB", default=50) * 1024 * 1024
# Outreach: replies come to reply+<token>@OUTREACH_REPLY_DOMAIN (route that domain's mail to /outreach/inbound/
# with the header "X-Inbound-Secret: INBOUND_SECRET"; no secret set: the endpoint refuses everything).
OUTREACH_REPLY_DOMAIN = env.str("OUTREACH_REPLY_DOMAIN", default="reply.microreach.localhost")
INBOUND_SECRET = env.str("INBOUND_SECRET", default="")
# Or poll a mailbox for replies every five minutes: imaps://user:password@host/INBOX (unset: no polling).
INBOUND_IMAP_URL = env.str("INBOUND_IMAP_URL", default="")
if INBOUND_IMAP_URL:
    try:
        mailbox(INBOUND_IMAP_URL)
    except ValueError as error:
        sys.exit(f"Microreach: {error}.")
# A creator's portal sign-in link works this many minutes (once).
PORTAL_LINK_MINUTES = env.int("PORTAL_LINK_MINUTES", default=30)
PORTAL_OUTREACH_LINK_DAYS = env.int("PORTAL_OUTREACH_LINK_DAYS", default=7)
# A brand manager's invitation link works this many days (once).
INVITATION_DAYS = env.int("INVITATION_DAYS", default=7)


# --- Abuse of the expensive paths: (requests, per seconds) per user (or address, when signed out).
def _rate(name: str, default: str) -> tuple[int, int]:
    count, _, seconds = env.str(name, default=default).partition("/")
    return int(count), int(seconds)


RATE_LIMITS = {
    "export": _rate("RATE_LIMIT_EXPORT", "20/600"),
    "search": _rate("RATE_LIMIT_SEARCH", "120/60"),
    "password_reset": _rate("RATE_LIMIT_PASSWORD_RESET", "5/3600"),
    "invite": _rate("RATE_LIMIT_INVITE", "30/3600"),
    "invitation": _rate("RATE_LIMIT_INVITATION", "20/3600"),
    "portal_link": _rate("RATE_LIMIT_PORTAL_LINK", "10/3600"),
}
# Request bodies: uploads above FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file, never memory; a body over
# MAX_REQUEST_BYTES is refused (413) before it is read; form fields are capped by Django's DATA_UPLOAD_* settings.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=60 * 1024 * 1024)
# The import page takes files up to this size (a million posts is about 100 MB); its requests alone may be larger
# than MAX_REQUEST_BYTES.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_MB", default=200) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end libraries come from npm (`make install`, package-lock.json), served under vendor/ (never a CDN).
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/sortablejs", BASE_DIR / "node_modules" / "sortablejs")]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Media (profile pictures) on the filesystem by default; MEDIA_STORAGE=s3 keeps them in an S3-compatible bucket
# through django-storages (AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID, … as it documents).
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
if MEDIA_STORAGE == "s3":
    _MEDIA_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "default_acl": None,
            "querystring_auth": True,
        },
    }
else:
    _MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security: production-grade whenever DEBUG is false (behind a TLS-terminating proxy).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# --- Cache: Redis when configured, else local memory. "progress" (how far a background import is) must be seen by
# the web server and the worker alike: without Redis it is a folder beside the embedded broker's.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_DIR = Path(env.str("CELERY_BROKER_DIR", default=str(BASE_DIR / ".celery")))
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "progress": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "progress",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "progress": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(CELERY_BROKER_DIR / "progress"),
        },
    }

# --- Celery: Redis from REDIS_URL; unset, an embedded file-system broker (nothing to install).
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{CELERY_BROKER_DIR / 'results'}"
    for _folder in ("queue", "control", "results"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_IMPORTS = ["config.mail"]
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery's Django fixup closes the database connections around every task unless this is set; it then closes them
# only every this many tasks, and config.celery_app applies Django's CONN_MAX_AGE and health checks between tasks.
CELERY_DB_REUSE_MAX = 1000

# CONTRACT section 9: EMAIL_URL (django-environ's email_url: smtp://user:pass@host:port, smtp+tls://…, consolemail://).
# EMAIL_BACKEND, when set, still names a backend class outright (the tests' locmem, say).
try:
    vars().update(env.email_url_config(env.str("EMAIL_URL", default="") or "consolemail://"))
except ImproperlyConfigured as error:
    sys.exit(f"Microreach: EMAIL_URL is not an e-mail URL ({error}); use smtp://, smtp+tls:// or consolemail://.")
if env.str("EMAIL_BACKEND", default=""):
    EMAIL_BACKEND = env.str("EMAIL_BACKEND")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="microreach@localhost")

# --- Operations: error mails to ADMINS ("Name <address>, …"), error tracking with SENTRY_DSN, request logs.
ADMINS = [(name or address, address) for name, address in getaddresses(env.list("ADMINS", default=[])) if address]
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,  # no user names, e-mail or IP addresses leave the deployment
    )
# REQUEST_LOG: one JSON line per request (config.requestlog) on the console; "off" to leave it to the proxy.
REQUEST_LOG = env.str("REQUEST_LOG", default="on")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "config.requestlog.JsonFormatter"},
    },
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "requests": {"class": "logging.StreamHandler", "formatter": "json"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # httpx logs every request's URL at INFO, and the platforms' URLs carry the API key or the access token.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"handlers": ["console", "mail_admins"], "level": "WARNING", "propagate": False},
        "microreach.requests": {
            "handlers": ["requests"] if REQUEST_LOG == "on" else [],
            "level": "INFO" if REQUEST_LOG == "on" else "CRITICAL",
            "propagate": False,
        },
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        "axes": {"level": "ERROR"},  # its lines carry usernames and addresses; the admin lists the attempts
    },
}

# --- Microreach metric parameters (CONTRACT section 3). The definitions are fixed; the numbers are settable.
CURRENCY = env.str("CURRENCY", default="USD")
ER_POST_COUNT = env.int("ER_POST_COUNT", default=12)
ER_WINDOW_DAYS = env.int("ER_WINDOW_DAYS", default=90)
ER_MIN_POSTS = env.int("ER_MIN_POSTS", default=3)
HIGH_ENGAGEMENT_THRESHOLD = env.float("HIGH_ENGAGEMENT_THRESHOLD", default=3.0)
TIER_MICRO_MIN_FOLLOWERS = env.int("TIER_MICRO_MIN_FOLLOWERS", default=1_000)
TIER_MICRO_MAX_FOLLOWERS = env.int("TIER_MICRO_MAX_FOLLOWERS", default=100_000)
TIER_MEGA_MIN_FOLLOWERS = env.int("TIER_MEGA_MIN_FOLLOWERS", default=1_000_000)
# Follower snapshots older than this many days are deleted daily (whole monthly partitions dropped on PostgreSQL);
# unset: kept for ever. Never fewer than the window the definitions read (ER_WINDOW_DAYS).
SNAPSHOT_RETENTION_DAYS = env.int("SNAPSHOT_RETENTION_DAYS", default=None)
if SNAPSHOT_RETENTION_DAYS is not None and SNAPSHOT_RETENTION_DAYS < ER_WINDOW_DAYS:
    sys.exit(
        f"Microreach: SNAPSHOT_RETENTION_DAYS={SNAPSHOT_RETENTION_DAYS} would delete follower snapshots the "
        f"metrics still read: the spike signal looks back ER_WINDOW_DAYS={ER_WINDOW_DAYS} days. Set it to "
        f"{ER_WINDOW_DAYS} or more, or leave it unset to keep every snapshot."
    )
# Monthly partitions of the follower history created ahead of today (PostgreSQL).
SNAPSHOT_PARTITIONS_AHEAD = env.int("SNAPSHOT_PARTITIONS_AHEAD", default=3)
# Creators per chunk of a full recalculation.
RECALC_CHUNK_SIZE = env.int("RECALC_CHUNK_SIZE", default=10_000)
# Seconds a full-recalculation lock lives without a finished chunk (a crashed run frees it after this).
RECALC_LOCK_TTL = env.int("RECALC_LOCK_TTL", default=900)
# A chunk of a full run not done this many seconds after it was issued is issued again (its worker died); the
# watch runs every minute and when a worker starts. Chunks are counted once whatever the redeliveries.
RECALC_CHUNK_STALE_SECONDS = env.int("RECALC_CHUNK_STALE_SECONDS", default=120)
# A browser import with no progress for this long (its worker was lost) is queued again.
IMPORT_STALE_SECONDS = env.int("IMPORT_STALE_SECONDS", default=120)
# Incremental requests within this many seconds are drained by one task.
RECALC_COALESCE_SECONDS = env.int("RECALC_COALESCE_SECONDS", default=2)
# bench_pages serves a trivial view at /bench/floor to measure Django's own overhead; never in production.
BENCH_FLOOR = env.bool("BENCH_FLOOR", default=False)

# --- Platform sync (CONTRACT section 8): the deployment's own credentials, from the environment.
YOUTUBE_API_KEY = env.str("YOUTUBE_API_KEY", default="")
YOUTUBE_API_URL = env.str("YOUTUBE_API_URL", default="https://www.googleapis.com/youtube/v3")
YOUTUBE_DAILY_QUOTA = env.int("YOUTUBE_DAILY_QUOTA", default=10_000)
INSTAGRAM_USER_ID = env.str("INSTAGRAM_USER_ID", default="")
INSTAGRAM_ACCESS_TOKEN = env.str("INSTAGRAM_ACCESS_TOKEN", default="")
INSTAGRAM_GRAPH_URL = env.str("INSTAGRAM_GRAPH_URL", default="https://graph.facebook.com/v25.0")
# Meta's usage headers: from this percentage the sync slows down (up to INSTAGRAM_MAX_PAUSE seconds between
# accounts), at INSTAGRAM_STOP_AT it defers the rest until access is regained.
INSTAGRAM_SLOW_AT = env.float("INSTAGRAM_SLOW_AT", default=75.0)
INSTAGRAM_STOP_AT = env.float("INSTAGRAM_STOP_AT", default=95.0)
INSTAGRAM_MAX_PAUSE = env.float("INSTAGRAM_MAX_PAUSE", default=10.0)
PLATFORM_CONCURRENCY = env.int("PLATFORM_CONCURRENCY", default=4)  # requests in flight per process (YouTube)
PLATFORM_TIMEOUT = env.float("PLATFORM_TIMEOUT", default=10.0)  # seconds, for every request to a platform
SYNC_BATCH_SIZE = env.int("SYNC_BATCH_SIZE", default=50)  # accounts per task (YouTube asks for 50 at a time)
SYNC_INTERVAL_HOURS = env.int("SYNC_INTERVAL_HOURS", default=24)  # how often each account is synced
AVATAR_REFRESH_DAYS = env.int("AVATAR_REFRESH_DAYS", default=7)
AVATAR_MAX_BYTES = env.int("AVATAR_MAX_BYTES", default=5 * 1024 * 1024)
