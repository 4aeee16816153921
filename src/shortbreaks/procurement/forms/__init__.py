"""One form per action on procurement's pages, a module per page group: opportunities.py
(building a tender and inviting its panel), manage.py (every other button on an opportunity's
page), documents.py (adding a document), evaluate.py (criteria, conflicts, scores), public.py
(a provider's question and bid); buttons.py says a hidden field's error at the top. Import them
from their module; shared fields are in core/form_fields.py."""

from .opportunities import LotForm, OpportunityForm, PanelInviteForm, PanelWithdrawForm, QuestionForm

__all__ = ["LotForm", "OpportunityForm", "PanelInviteForm", "PanelWithdrawForm", "QuestionForm"]
