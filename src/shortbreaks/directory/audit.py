"""What the directory app writes to the audit log: every action it records, by name. The values are
what the log stores, so they never change once used."""

from shortbreaks.core.audit import AuditAction


class Audit(AuditAction):
    DOCUMENT_PUBLISHED = "document.published"
    EVENT_CANCELLED = "event.cancelled"
    EVENT_CREATED = "event.created"
    EVENT_REGISTERED = "event.registered"
    EVENT_REGISTRATION_CANCELLED = "event.registration_cancelled"
    EVENT_UPDATED = "event.updated"
    INTENTION_PUBLISHED = "intention.published"
    INTENTION_SAVED = "intention.saved"
    LISTING_APPROVED = "listing.approved"
    LISTING_CONFIRMED = "listing.confirmed"
    LISTING_RESTORED = "listing.restored"
    LISTING_RETURNED = "listing.returned"
    LISTING_SUBMITTED = "listing.submitted"
    LISTING_WITHDRAWN = "listing.withdrawn"
    ORGANISATION_ADMINISTRATOR_ADDED = "organisation.administrator_added"
    ORGANISATION_ADMINISTRATOR_HANDED_OVER = "organisation.administrator_handed_over"
    ORGANISATION_APPROVED = "organisation.approved"
    ORGANISATION_COLLEAGUE_INVITED = "organisation.colleague_invited"
    ORGANISATION_MEMBER_LEFT = "organisation.member_left"
    ORGANISATION_REFUSED = "organisation.refused"
    ORGANISATION_REGISTERED = "organisation.registered"
    SUBSCRIPTION_DELETED = "subscription.deleted"
    SUBSCRIPTION_SAVED = "subscription.saved"
    SUPPORT_RECORDED = "support.recorded"
    ORGANISATION_MEMBER_REMOVED = "organisation.member_removed"
    ORGANISATION_ADMINISTRATOR_REMOVED = "organisation.administrator_removed"
