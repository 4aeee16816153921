from .budgets import BudgetLine
from .contracts import Contract, Variation
from .decommissioning import AffectedChild, DecommissioningPlan
from .feedback import Feedback, SafeguardingAlert
from .monitoring import KPI, ContractReturn, MonitoringPolicy, Payment

__all__ = ["AffectedChild", "BudgetLine", "Contract", "ContractReturn", "DecommissioningPlan", "Feedback", "KPI",
           "MonitoringPolicy", "Payment", "SafeguardingAlert", "Variation"]
