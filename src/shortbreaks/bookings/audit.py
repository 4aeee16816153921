"""What the bookings app writes to the audit log: every action it records, by name. The values are
what the log stores, so they never change once used."""

from shortbreaks.core.audit import AuditAction


class Audit(AuditAction):
    BOOKING_ATTENDANCE = "booking.attendance"
    BOOKING_ATTENDANCE_UNDONE = "booking.attendance_undone"
    BOOKING_CANCELLED = "booking.cancelled"
    BOOKING_CREATED = "booking.created"
    ROUND_ALLOCATED = "round.allocated"
    ROUND_ALLOCATING = "round.allocating"
    ROUND_CONFIRMED = "round.confirmed"
    ROUND_OPENED = "round.opened"
    ROUND_REQUESTED = "round.requested"
    SCHEME_CREATED = "scheme.created"
    SCHEME_SESSIONS = "scheme.sessions"
    SESSIONS_GENERATED = "sessions.generated"
    WAITING_DECLINED = "waiting.declined"
    WAITING_JOINED = "waiting.joined"
    WAITING_LEFT = "waiting.left"
    WAITING_OFFERED = "waiting.offered"
