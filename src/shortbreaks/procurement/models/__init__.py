"""Buying short breaks: one `Opportunity` per procurement, whatever the route, with its lots,
questions, clarifications and providers' submissions. A submission is sealed until the
deadline: only `procurement/selectors/sealing.py` decides who may read it.

Split by area; every model is re-exported here, so `from shortbreaks.procurement.models import X`
keeps working (and the migrations' references to `default_price_bands` and `_document_path`)."""

from .documents import ProcurementDocument, _document_path
from .evaluation import Award, ConflictDeclaration, Evaluator, Score
from .frameworks import CallOff, CallOffBid, Membership
from .joint import JointArrangement, JointParticipant
from .opportunities import (
    LIGHT_TOUCH_THRESHOLD,
    Clarification,
    Lot,
    Opportunity,
    ProcurementPolicy,
    Question,
    default_price_bands,
)
from .submissions import Answer, Submission

__all__ = [
    "LIGHT_TOUCH_THRESHOLD",
    "Answer",
    "Award",
    "CallOff",
    "CallOffBid",
    "Clarification",
    "ConflictDeclaration",
    "Evaluator",
    "JointArrangement",
    "JointParticipant",
    "Lot",
    "Membership",
    "Opportunity",
    "ProcurementDocument",
    "ProcurementPolicy",
    "Question",
    "Score",
    "Submission",
    "_document_path",
    "default_price_bands",
]
