"""What the insight app writes to the audit log: every action it records, by name. The values are
what the log stores, so they never change once used."""

from shortbreaks.core.audit import AuditAction


class Audit(AuditAction):
    INSIGHT_STATEMENT_PUBLISHED = "insight.statement_published"
    INSIGHT_STATEMENT_SECTION_ADDED = "insight.statement_section_added"
    INSIGHT_STATEMENT_SECTION_CHANGED = "insight.statement_section_changed"
    INSIGHT_STATEMENT_SECTION_REMOVED = "insight.statement_section_removed"
