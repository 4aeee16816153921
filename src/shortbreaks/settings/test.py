"""Test profile: the database comes from DATABASE_URL (SQLite or the throwaway PostgreSQL);
tasks run at once so the tests can see their effects."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key-that-is-long-enough-for-django-checks-0123456789"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "shortbreaks.core.storage.LocalStorage"},  # tests/storage.py adds S3
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_FAILURE_LIMIT = 5
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", ".test"]
# Static files come straight from the app folders in tests (no collectstatic).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
