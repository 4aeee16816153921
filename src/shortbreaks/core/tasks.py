"""Background work shared by every app. Tasks take plain values, never model instances, and
run in `shortbreaks db_worker`."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django_tasks import task


@task()
def send_email(*, to: list[str], subject: str, body: str) -> int:
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=False)


def email_after_commit(*, to: list[str], subject: str, body: str) -> None:
    """Queue an email once the surrounding transaction commits (never for a rolled-back one)."""
    recipients = sorted({address for address in to if address})
    if recipients:
        transaction.on_commit(lambda: send_email.enqueue(to=recipients, subject=subject, body=body))
