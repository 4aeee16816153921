"""Writes for contracts: offering and answering (contracts), awarding a call-off and offering
its contract (calloffs), variations, returns and payments (monitoring), feedback and
safeguarding alerts, decommissioning."""

from .calloffs import call_off_award
from .contracts import (
    award_confirm,
    call_off_contract,
    confirm_due_awards,
    contract_answer,
    contract_terms_set,
    direct_contract_create,
    variation_decide,
    variation_propose,
)

__all__ = [
    "award_confirm",
    "call_off_award",
    "call_off_contract",
    "confirm_due_awards",
    "contract_answer",
    "contract_terms_set",
    "direct_contract_create",
    "variation_decide",
    "variation_propose",
]
