"""Writing the audit log. Call inside the transaction that makes the change, so the record
and the change stand or fall together."""

from typing import Any

from django.db import models

from .models import AuditEvent, Authority


def audit_record(
    *,
    authority: Authority,
    actor: Any,
    action: str,
    target: models.Model,
    summary: str,
    details: dict | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        authority=authority,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        summary=summary[:300],
        details=details or {},
    )


def audit_trail(*, authority: Authority, target: models.Model):
    return AuditEvent.objects.filter(
        authority=authority, target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor")
