"""Background work shared by every app. Tasks take plain values, never model instances, and
run in `shortbreaks db_worker`.

Emails go one message per recipient, always: nobody outside the council ever learns from a
`To:` header who else was written to (bidders, families, subscribers). Once a message is sent,
its task's arguments (the body, which may hold a child's name or a live reset link) are wiped
from the task results table, which superusers can read in the admin."""

from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.dispatch import receiver
from django_tasks import TaskResultStatus, task
from django_tasks.signals import task_finished

SENT = {"args": [], "kwargs": {"removed": "sent; the message is not kept"}}


@task()
def send_email(*, to: str, subject: str, body: str, attachments: list | None = None, from_email: str = "") -> int:
    """One message to one address. attachments: [filename, text content, MIME type] triples
    (task arguments are JSON)."""
    message = EmailMessage(subject, body, from_email or settings.DEFAULT_FROM_EMAIL, [to])
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message.send(fail_silently=False)


def email_after_commit(
    *,
    to: list[str],
    subject: str,
    body: str,
    why: str,
    stop: str = "",
    authority=None,
    attachments: list | None = None,
) -> None:
    """Queue the email to each address, separately, once the surrounding transaction commits
    (never for a rolled-back one). Every email ends by saying why the person got it (`why`),
    how to stop such emails where they may (`stop`), and whose site it came from."""
    recipients = sorted({address.strip().lower() for address in to if address and address.strip()})
    body = body.rstrip("\n") + "\n" + footer(why=why, stop=stop, authority=authority)
    sender = from_address(authority)
    for address in recipients:
        transaction.on_commit(
            lambda address=address: send_email.enqueue(
                to=address, subject=subject, body=body, attachments=attachments or [], from_email=sender
            )
        )


def from_address(authority=None) -> str:
    """Whom an email comes from: the council whose site sent it, by its name and contact address
    ("Dovebridge Borough Council short breaks <shortbreaks@dovebridge.example>"); the
    installation's DEFAULT_FROM_EMAIL for a council with no contact address, or none."""
    if authority is not None and authority.contact_email:
        return formataddr((f"{authority.name} short breaks", authority.contact_email))
    return settings.DEFAULT_FROM_EMAIL


def footer(*, why: str, stop: str = "", authority=None) -> str:
    from .sites import site_url

    lines = ["", "--"]
    if why:
        lines.append(f"Why you got this email: {why.rstrip('.')}.")
    if stop:
        lines.append(stop)
    if authority is not None:
        lines.append(f"{authority.name}, short breaks: {site_url(authority)}/")
    return "\n".join(lines) + "\n" if len(lines) > 2 else ""


@receiver(task_finished)
def forget_sent_email(sender, task_result, **kwargs) -> None:
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    # The worker sends the backend itself on success and its class on failure; others store nothing.
    kept = issubclass(sender if isinstance(sender, type) else type(sender), DatabaseBackend)
    if not kept or task_result.status != TaskResultStatus.SUCCESSFUL:
        return
    if task_result.task.module_path != send_email.module_path:
        return

    DBTaskResult.objects.filter(id=task_result.id).update(args_kwargs=SENT)
