"""What the accounts app writes to the audit log: every action it records, by name. The values are
what the log stores, so they never change once used."""

from shortbreaks.core.audit import AuditAction


class Audit(AuditAction):
    ACCOUNT_CLOSED = "account.closed"
    ACCOUNT_CONFIRMED = "account.confirmed"
    ACCOUNT_OPENED = "account.opened"
    INVITATION_ACCEPTED = "invitation.accepted"
    INVITATION_SENT = "invitation.sent"
    INVITATION_WITHDRAWN = "invitation.withdrawn"
    STAFF_ROLES = "staff.roles"
    STAFF_SECOND_FACTOR_RESET = "staff.second_factor_reset"
    STAFF_SWITCHED_ON = "staff.switched_on"
    STAFF_SWITCHED_OFF = "staff.switched_off"
