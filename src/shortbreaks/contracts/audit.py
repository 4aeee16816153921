"""What the contracts app writes to the audit log: every action it records, by name. The values are
what the log stores, so they never change once used."""

from shortbreaks.core.audit import AuditAction


class Audit(AuditAction):
    CONTRACT_ANSWERED = "contract.answered"
    CONTRACT_OFFERED = "contract.offered"
    CONTRACTS_ACTION_DONE = "contracts.action_done"
    CONTRACTS_ACTION_PLAN = "contracts.action_plan"
    CONTRACTS_BUDGET = "contracts.budget"
    CONTRACTS_FAMILY_CALL_OFF = "contracts.family_call_off"
    CONTRACTS_KPI = "contracts.kpi"
    CONTRACTS_MILESTONE = "contracts.milestone"
    CONTRACTS_PAYMENT = "contracts.payment"
    CONTRACTS_RETURN_DECIDED = "contracts.return_decided"
    CONTRACTS_RETURN_SUBMITTED = "contracts.return_submitted"
    CONTRACTS_SERVICES = "contracts.services"
    CONTRACTS_TERMS = "contracts.terms"
    CONTRACTS_VARIATION_DECIDED = "contracts.variation_decided"
    CONTRACTS_VARIATION_PROPOSED = "contracts.variation_proposed"
    CONTRACTS_VISIT = "contracts.visit"
    CONTRACTS_VISIT_CORRECTED = "contracts.visit_corrected"
    CONTRACTS_VISIT_FINAL = "contracts.visit_final"
    DECOMMISSIONING_ALTERNATIVE = "decommissioning.alternative"
    DECOMMISSIONING_COMPLETED = "decommissioning.completed"
    DECOMMISSIONING_PLANNED = "decommissioning.planned"
    FEEDBACK_MODERATED = "feedback.moderated"
    FEEDBACK_REPLIED = "feedback.replied"
    SAFEGUARDING_ALERT = "safeguarding.alert"
    SAFEGUARDING_CLOSED = "safeguarding.closed"
    # Before steps were kept, an alert was handled once with free text: older rows say so.
    SAFEGUARDING_HANDLED = "safeguarding.handled"
    SAFEGUARDING_STEP = "safeguarding.step"
