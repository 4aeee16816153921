"""Writing the audit log. Call inside the transaction that makes the change, so the record
and the change stand or fall together."""

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet

from .models import AuditEvent, Authority


class AuditAction(StrEnum):
    """Each app names what it records in its own `audit.py`, `class Audit(AuditAction)`, so an
    action is one name in one place and a typo fails at import, not in the log."""


class Audit(AuditAction):
    """What core itself records."""

    SITE_PAGE_UPDATED = "site_page.updated"


def audit_record(
    *,
    authority: Authority,
    actor: Any,
    action: AuditAction,
    target: models.Model,
    summary: str,
    details: dict | None = None,
) -> AuditEvent:
    if not isinstance(action, AuditAction):
        raise TypeError(f"audit_record({action!r}): name the action from the app's Audit enum (its audit.py).")
    if not in_a_transaction():
        raise RuntimeError(
            f"audit_record({action!r}) was called outside a transaction: write the audit row inside the "
            "transaction of the change it records (a service with @transaction.atomic(durable=True))."
        )
    return AuditEvent.objects.create(
        authority=authority,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        summary=summary[:300],
        details=details or {},
    )


def in_a_transaction() -> bool:
    """Inside an atomic block of our own. The blocks a test case wraps each test in do not count
    (as Django's own durable check ignores them), so the suite catches a change made outside one."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    return not all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def audit_trail(*, authority: Authority, target: models.Model):
    return AuditEvent.objects.filter(
        authority=authority, target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor")


# Audit events that would say something sealed (who has bid, with which bid) before it may be
# read. The app that seals registers a filter in its AppConfig.ready(); anything that lists
# audit events across records (the Django admin) applies them all.
_SEALED_FILTERS: list[Callable[[QuerySet], QuerySet]] = []


def register_sealed_filter(exclude: Callable[[QuerySet], QuerySet]) -> None:
    if exclude not in _SEALED_FILTERS:
        _SEALED_FILTERS.append(exclude)


def unsealed(events: QuerySet) -> QuerySet:
    for exclude in _SEALED_FILTERS:
        events = exclude(events)
    return events
