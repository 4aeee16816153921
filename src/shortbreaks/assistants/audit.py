"""What the assistants app writes to the audit log: every action it records, by name. The values are
what the log stores, so they never change once used."""

from shortbreaks.core.audit import AuditAction


class Audit(AuditAction):
    ASSISTANT_ANSWERED = "assistant.answered"
    ASSISTANT_CANCELLED = "assistant.cancelled"
    ASSISTANT_PAID = "assistant.paid"
    ASSISTANT_REGISTERED = "assistant.registered"
    ASSISTANT_REQUESTED = "assistant.requested"
    ASSISTANT_SUBMITTED = "assistant.submitted"
    ASSISTANT_TRAINING = "assistant.training"
    ASSISTANT_UPDATED = "assistant.updated"
    ASSISTANT_VETTED = "assistant.vetted"
