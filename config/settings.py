"""Settings from environment variables only (CONTRACTS §2).

Unknown or malformed values fail at start-up (see config/env.py); nothing silently
falls back to a default once a variable is set.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_planner_cost, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    # Layers, bottom up (import-linter enforces them): portal, communities, projects, acceptance,
    # subsidies and supervision (siblings), then dashboards and demo, which nothing imports.
    "portal",
    "communities",
    "projects",
    "residents",
    "acceptance",
    "subsidies",
    "supervision",
    "dashboards",
    "demo",
]

MIDDLEWARE = [
    "portal.api_errors.ApiErrorMiddleware",  # every /api/ error in the JSON shape, 413 for big bodies
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "portal.auth_middleware.AuthenticationMiddleware",  # Django's; request.user the object once read
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.query_guard.QueryGuardMiddleware",  # ?q=%00 and the like: 400 naming the parameter
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.csp.CSPMiddleware",  # django-csp's, the headers built once (portal/csp.py)
    "communities.audit.OperationLogMiddleware",
    "axes.middleware.AxesMiddleware",
]

CSRF_FAILURE_VIEW = "portal.error_views.csrf_failure"  # a Chinese page with the menu

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login lockout after repeated failures
    "communities.backends.OfficeModelBackend",  # the user with its office and region in one query
    # Sessions store the backend that signed them in: ModelBackend stays listed so that sessions
    # from before OfficeModelBackend remain valid; it never checks a password (see that class).
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
_AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 30)
AXES_COOLOFF_TIME = _AXES_COOLOFF_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no start-up banner on stderr (simulate_policy writes only its message there)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_COOLOFF_MESSAGE = (f"登录失败次数过多，账号已临时锁定 {_AXES_COOLOFF_MINUTES} 分钟。"
                        "请稍后再试，或联系系统管理员解锁。")
# The client address (operation log, login log, lock-out) is derived in one place from
# REMOTE_ADDR and the last TRUSTED_PROXY_HOPS entries of X-Forwarded-For (portal.clientip):
# 0 = no proxy in front (the header is ignored), 1 = one nginx in front (docs/OPERATIONS.md).
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0)
if TRUSTED_PROXY_HOPS < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_HOPS must be 0 or more.")
AXES_CLIENT_IP_CALLABLE = "portal.clientip.client_ip"

# Content-Security-Policy without 'unsafe-inline': every script and style is a file in static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Operation and login logs are kept at least six months (网络安全法 第二十一条).
LOG_RETENTION_DAYS = max(env_int("LOG_RETENTION_DAYS", 400), 183)

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
                "portal.context_processors.portal",
            ],
        },
    },
]

_env = environ.Env()
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
try:
    DATABASES = {"default": _env.db_url_config(DATABASE_URL)}
except Exception as exc:  # environ raises several types for a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that sends no statement (portal/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "portal.postgresql"
    # Reconnect transparently after a database restart; keep connections a while.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
    # Checked before each request that reuses a connection: without it the first request on each
    # connection after a database restart fails with a 500 (tests/reliability/
    # test_database_restart.py). The check looks at the connection's socket instead of sending
    # `SELECT 1` (issue #19: that round trip was 3–4 % of a list request's CPU).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The planner's cost of a random page read, set on each connection. PostgreSQL's default (4)
    # prices a disk seek; with the data in RAM or on SSD it picked a hash join over all 6,136
    # regions for a 50-row list page (2.4 ms instead of 0.5 ms; issue #19). "server" leaves the
    # server's own value (behind PgBouncer, which refuses start-up options, set it there).
    random_page_cost = env_planner_cost("PG_RANDOM_PAGE_COST", "1.1")
    if random_page_cost is not None:
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c random_page_cost={random_page_cost}".strip()
    # The small statements every request sends (token, scope, kept count, a page's rows by their
    # keys) prepared once per connection (portal.prepared): planning them was about half of a list
    # request's PostgreSQL time (issue #19). Off behind PgBouncer in transaction pooling.
    PORTAL_PREPARED_STATEMENTS = env_bool("PG_PREPARED_STATEMENTS", True)
else:
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

# Django's cache: computed dashboards (dashboards.cache) and the data generation that
# invalidates them (portal.generation). Several processes need a shared cache — CACHE_URL
# (redis://host:6379/1 in the deployment); without it, local memory (one process).
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("CACHE_URL must be a redis:// URL")
    # portal.redis_cache: Django's backend, without a new client object for every call
    CACHES = {"default": {"BACKEND": "portal.redis_cache.RedisCache", "LOCATION": CACHE_URL,
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal",
                          "OPTIONS": {"MAX_ENTRIES": 2000}}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "communities.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "communities.passwords.ChineseMinimumLengthValidator",
     "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
FORMAT_MODULE_PATH = ["config.formats"]  # dates as YYYY-MM-DD everywhere (config/formats/zh_Hans)
LANGUAGES = [("zh-hans", "简体中文")]  # the portal is Chinese only, whatever the browser asks
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded files are private: they are never served by URL, only through views that
    # pass the scope check (see projects.views.download_attachment).
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "portal.static_storage.ManifestStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# The one upload limit (attachments and the community import), stated here only: the code,
# the pages and the API read it; the proxy's client_max_body_size (config/deploy/nginx.conf,
# docs/OPERATIONS.md) is UPLOAD_MAX_MB + the 2 MB form allowance below (tests check both).
UPLOAD_MAX_MB = 20
UPLOAD_MAX_BYTES = UPLOAD_MAX_MB * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # a form or JSON body without its files
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

CSRF_FAILURE_VIEW = "portal.api_errors.csrf_failure"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Django's database sessions with their user's id: a page reads its session and user in one
# prepared statement on PostgreSQL (communities/sessions.py).
SESSION_ENGINE = "communities.sessions"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    try:
        vars().update(_env.email_url_config(EMAIL_URL))
    except Exception as exc:
        raise ImproperlyConfigured(f"EMAIL_URL is not a valid e-mail URL: {exc}") from exc
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "未来社区管理平台 <noreply@localhost>")

# Celery: without a broker every task runs eagerly in-process (make run, plain make test).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_BACKEND = None
# Each kind of work on its own queue, so a flood of exports never delays alert e-mail
# (docs/OPERATIONS.md §7.3). The compose worker consumes all of them (--queues
# celery,alerts,exports,subsidies; tests/deployment/test_compose.py checks); everything else
# (heartbeat, bulletins, log purge) stays on the default queue "celery". Without a broker
# tasks run in-process and the routes do not matter.
CELERY_TASK_ROUTES = {
    "acceptance.tasks.sweep_deadlines": {"queue": "alerts"},
    "acceptance.tasks.recompute_policy_version_deadlines": {"queue": "alerts"},
    "portal.tasks.deliver_notifications": {"queue": "alerts"},
    "portal.tasks.send_daily_digests": {"queue": "alerts"},
    "portal.tasks.run_export": {"queue": "exports"},
    "portal.tasks.run_queued_exports": {"queue": "exports"},
    "subsidies.tasks.compute_subsidies": {"queue": "subsidies"},
}
# Background exports a user may have queued or running at once (the next one is refused
# with a message, 429 on the API), and how long a running job may go without writing
# before the catch-up task takes it back (its heartbeat, portal.exports).
EXPORT_JOBS_PER_USER = env_int("EXPORT_JOBS_PER_USER", 3)
EXPORT_STALLED_MINUTES = env_int("EXPORT_STALLED_MINUTES", 5)
# PostgreSQL work_mem of the statement of a large export (subsidies.reports.with_sums; the
# nation's ledger sorts ~60 MB in memory rather than on disk), set around that statement only
# (docs/OPERATIONS.md §7.4).
EXPORT_WORK_MEM = env_str("EXPORT_WORK_MEM", "64MB")

# API tokens expire this many days after they were issued (communities.token_auth).
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)
if API_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("API_TOKEN_DAYS must be at least 1.")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "communities.token_auth.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON nested deeper than portal.api_errors.MAX_JSON_DEPTH is a 400, not a RecursionError.
    "DEFAULT_PARSER_CLASSES": ["portal.api_errors.JSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["portal.api_filters.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    # DRF's JSON, byte for byte, written by orjson (portal.renderers); the browsable API as before.
    "DEFAULT_RENDERER_CLASSES": ["portal.renderers.FastJSONRenderer",
                                 "rest_framework.renderers.BrowsableAPIRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "未来社区创建项目全生命周期管理平台 API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "portal.api_schema.add_error_responses"],
    # Several models have a field named "kind": give each choice set its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "PaymentKindEnum": "subsidies.models.Payment.Kind",
        "AcceptanceBatchKindEnum": "acceptance.models.AcceptanceBatch.Kind",
        "DeadlineKindEnum": "acceptance.models.Deadline.Kind",
        "AttachmentKindEnum": "projects.models.Attachment.Kind",
        "SurveyKindEnum": "residents.models.Survey.Kind",
        "NoticeKindEnum": "residents.models.Notice.Kind",
        "OperatorKindEnum": "supervision.models.Operator.Kind",
        "WorkSummaryKindEnum": "supervision.models.WorkSummary.Kind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Periodic work (Celery beat). Times are Asia/Shanghai. Each task is idempotent and
# set-based, so a missed or repeated run converges (see README, "定时任务").
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "portal.tasks.heartbeat", "schedule": 60.0},
    "sweep-deadlines": {"task": "acceptance.tasks.sweep_deadlines",
                        "schedule": crontab(hour=1, minute=0)},
    "compute-subsidies": {"task": "subsidies.tasks.compute_subsidies",
                          "schedule": crontab(hour=2, minute=0)},
    "monthly-bulletin": {"task": "acceptance.tasks.generate_bulletins",
                         "schedule": crontab(day_of_month=1, hour=3, minute=0)},
    "send-digests": {"task": "portal.tasks.send_daily_digests",
                     "schedule": crontab(hour=7, minute=30)},
    "deliver-notifications": {"task": "portal.tasks.deliver_notifications", "schedule": 300.0},
    "export-catch-up": {"task": "portal.tasks.run_queued_exports", "schedule": 60.0},
    "recount-project-counts": {"task": "projects.tasks.recount_project_counts", "schedule": 3600.0},
}
# Integration tests start a real beat with a short sweep interval.
_TEST_SWEEP_SECONDS = env_int("PORTAL_TEST_BEAT_SWEEP_SECONDS", 0)
if _TEST_SWEEP_SECONDS:
    CELERY_BEAT_SCHEDULE["sweep-deadlines"]["schedule"] = float(_TEST_SWEEP_SECONDS)
CELERY_BEAT_SCHEDULE["purge-resident-contacts"] = {"task": "residents.tasks.purge_expired_contacts",
                                                   "schedule": crontab(hour=4, minute=30)}
CELERY_BEAT_SCHEDULE["purge-old-logs"] = {"task": "communities.tasks.purge_old_logs",
                                          "schedule": crontab(day_of_week=0, hour=4, minute=0)}
CELERY_BEAT_SCHEDULE["purge-expired-sessions"] = {"task": "communities.tasks.purge_expired_sessions",
                                                  "schedule": crontab(hour=4, minute=45)}

# Residents (public site, 公示, QR surveys). Contact details residents leave, and the hashed
# addresses kept for the rate limit, are erased after the retention period (个人信息保护法 第十九条:
# kept no longer than the purpose needs); the purge runs daily.
RESIDENTS_CONTACT_RETENTION_DAYS = env_int("RESIDENTS_CONTACT_RETENTION_DAYS", 180)
RESIDENTS_ANSWERS_PER_ADDRESS = env_int("RESIDENTS_ANSWERS_PER_ADDRESS", 30)
RESIDENTS_RATE_WINDOW_SECONDS = env_int("RESIDENTS_RATE_WINDOW_SECONDS", 600)
RESIDENTS_OBJECTION_REPLY_DAYS = env_int("RESIDENTS_OBJECTION_REPLY_DAYS", 10)
RESIDENTS_NOTICE_DEFAULT_DAYS = env_int("RESIDENTS_NOTICE_DEFAULT_DAYS", 7)
