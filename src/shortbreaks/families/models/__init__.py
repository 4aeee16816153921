from .allocation import Allocation, AllocationRule, Assessment
from .budget import BudgetAccount, DirectPaymentAudit, LedgerEntry
from .eligibility import Eligibility, EligibilityApplication, EligibilityPolicy, EvidenceDocument
from .families import Carer, Child, Family

__all__ = [
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
