from .budgets import BudgetLine
from .contracts import Contract, Variation
from .decommissioning import AffectedChild, DecommissioningPlan
from .feedback import Feedback, SafeguardingAlert, SafeguardingStep
from .monitoring import KPI, ContractReturn, Milestone, MonitoringPolicy, Payment
from .quality import ActionPlanItem, QualityVisit

__all__ = [
    "ActionPlanItem",
    "AffectedChild",
    "QualityVisit",
    "BudgetLine",
    "Contract",
    "ContractReturn",
    "DecommissioningPlan",
    "Feedback",
    "KPI",
    "Milestone",
    "MonitoringPolicy",
    "Payment",
    "SafeguardingAlert",
    "SafeguardingStep",
    "Variation",
]
