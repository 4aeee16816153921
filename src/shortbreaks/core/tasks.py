"""Background work shared by every app. Tasks take plain values, never model instances, and
run in `shortbreaks db_worker`."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django_tasks import task


@task()
def send_email(*, to: list[str], subject: str, body: str, attachments: list | None = None) -> int:
    """attachments: [filename, text content, MIME type] triples (task arguments are JSON)."""
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message.send(fail_silently=False)


def email_after_commit(*, to: list[str], subject: str, body: str, attachments: list | None = None) -> None:
    """Queue an email once the surrounding transaction commits (never for a rolled-back one)."""
    recipients = sorted({address for address in to if address})
    if recipients:
        transaction.on_commit(
            lambda: send_email.enqueue(to=recipients, subject=subject, body=body, attachments=attachments or [])
        )
