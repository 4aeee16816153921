"""Writes for contracts: offering and answering (contracts), variations, returns and payments
(monitoring), feedback and safeguarding alerts, decommissioning."""

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
    "call_off_contract",
    "confirm_due_awards",
    "contract_answer",
    "contract_terms_set",
    "direct_contract_create",
    "variation_decide",
    "variation_propose",
]
