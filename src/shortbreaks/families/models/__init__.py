from .allocation import Allocation, AllocationRule, Assessment
from .budget import BudgetAccount, DirectPaymentAudit, LedgerEntry
from .eligibility import Eligibility, EligibilityApplication, EligibilityPolicy, EvidenceDocument
from .families import Carer, Child, Family
from .requests import AccessRequest

__all__ = [
    "AccessRequest",
    "Allocation",
    "AllocationRule",
    "Assessment",
    "BudgetAccount",
    "Carer",
    "DirectPaymentAudit",
    "Child",
    "Eligibility",
    "EligibilityApplication",
    "EligibilityPolicy",
    "EvidenceDocument",
    "Family",
    "LedgerEntry",
]
