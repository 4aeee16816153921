from .allocation import Allocation, AllocationRule, Assessment
from .budget import BudgetAccount, LedgerEntry
from .families import Carer, Child, Family

__all__ = ["Allocation", "AllocationRule", "Assessment", "BudgetAccount", "Carer", "Child", "Family", "LedgerEntry"]
