"""One form per action on procurement's pages, a module per page group: opportunities.py
(building a tender and inviting its panel); shared fields are in core/form_fields.py."""

from .opportunities import LotForm, OpportunityForm, PanelInviteForm, PanelWithdrawForm, QuestionForm

__all__ = ["LotForm", "OpportunityForm", "PanelInviteForm", "PanelWithdrawForm", "QuestionForm"]
