"""What the insight app writes to the audit log: every action it records, by name. The values are
what the log stores, so they never change once used."""

from shortbreaks.core.audit import AuditAction


class Audit(AuditAction):
    INSIGHT_STATEMENT_PUBLISHED = "insight.statement_published"
