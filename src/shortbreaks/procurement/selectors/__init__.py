"""Reads for procurement: opportunities (what is advertised), evaluations (an evaluator's list)
and sealing (the only code that reads submissions, answers, documents of bids and call-off
prices)."""

from .evaluations import evaluation_state, evaluations_of
from .opportunities import open_data_opportunities, open_opportunities, public_opportunities, published_clarifications
from .sealing import readable_submissions, selection_stage_responses, without_sealed_events

__all__ = [
    "evaluation_state",
    "evaluations_of",
    "open_data_opportunities",
    "open_opportunities",
    "public_opportunities",
    "published_clarifications",
    "readable_submissions",
    "selection_stage_responses",
    "without_sealed_events",
]
