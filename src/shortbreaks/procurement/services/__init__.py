"""Writes for procurement, one module per use case: opportunities (building and publishing),
clarifications, submissions (sealed until the deadline, and the opening), documents, lists
(dynamic lists), evaluation (panels, conflicts, scores), awards and frameworks (members,
re-opening, call-offs; a call-off's award is recorded inside contracts' call_off_award, which
offers its contract) and drafting (lots, questions, panels' shares). Each function lives in
one module; the names are importable from here too. The modules import one another at module
level, in this order: frameworks, drafting, opportunities, submissions, the rest. Reads
(members, a mini-competition's ranking) are in selectors/."""

from ..routes import COMPETITIVE, DIRECT
from .awards import assessment_summary, award_decide, standstill_end
from .clarifications import clarification_answer, clarification_ask
from .documents import document_add
from .drafting import (
    award_weights,
    lot_add,
    lot_remove,
    lot_update,
    panel_question_add,
    panel_share_set,
    question_add,
    question_remove,
    question_update,
)
from .evaluation import PANEL_ROLES, conflict_declare, evaluator_add, may_see, score_agree, score_record
from .frameworks import (
    appoint_members,
    call_off_award_record,
    call_off_bid,
    call_off_create,
    framework_ends_on,
    framework_reopen,
    reopening_due,
)
from .lists import application_decide, membership_remove
from .opportunities import (
    opportunity_announce,
    opportunity_create,
    opportunity_publish,
    opportunity_update,
    policy_for,
    publish_problems,
    real_changes,
    threshold_warnings,
)
from .submissions import (
    in_selection_stage,
    shortlist_decide,
    submission_confirm,
    submission_save,
    submission_submit,
    submission_withdraw,
    submissions_open,
)

__all__ = [
    "COMPETITIVE",
    "DIRECT",
    "PANEL_ROLES",
    "application_decide",
    "appoint_members",
    "assessment_summary",
    "award_decide",
    "call_off_award_record",
    "call_off_bid",
    "call_off_create",
    "clarification_answer",
    "clarification_ask",
    "conflict_declare",
    "document_add",
    "evaluator_add",
    "framework_ends_on",
    "framework_reopen",
    "in_selection_stage",
    "award_weights",
    "lot_add",
    "lot_remove",
    "lot_update",
    "may_see",
    "membership_remove",
    "opportunity_announce",
    "opportunity_create",
    "opportunity_publish",
    "opportunity_update",
    "panel_question_add",
    "panel_share_set",
    "policy_for",
    "publish_problems",
    "question_add",
    "question_remove",
    "question_update",
    "real_changes",
    "reopening_due",
    "score_agree",
    "score_record",
    "shortlist_decide",
    "standstill_end",
    "submission_confirm",
    "submission_save",
    "submission_submit",
    "submission_withdraw",
    "submissions_open",
    "threshold_warnings",
]
