"""Development profile: the default for `shortbreaks` commands. A secret key is generated once
and kept in the data folder; emails are printed to the console."""

import os
import secrets

from .base import *  # noqa: F403
from .base import DATA_DIR


def _development_secret_key() -> str:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _development_secret_key()
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The demo council's address, for an email sent on no council's behalf.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Dovebridge Short Breaks <shortbreaks@dovebridge.example>")

# The demo serves plain HTTP on scripts/demo's port.
PUBLIC_URL_SCHEME = os.environ.get("PUBLIC_URL_SCHEME", "http")
PUBLIC_URL_PORT = os.environ.get("PUBLIC_URL_PORT", os.environ.get("PORT", "8000"))
