from .changes import ListingChange
from .organisations import Organisation, ProviderSupport
from .policies import ListingPolicy
from .publications import (
    CommissioningIntention,
    EventRegistration,
    OpportunitySubscription,
    ProviderEvent,
    StrategyDocument,
)
from .services import (
    Contact,
    CostOption,
    Location,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from .taxonomy import Taxonomy, TaxonomyTerm

__all__ = [
    "CommissioningIntention",
    "Contact",
    "CostOption",
    "EventRegistration",
    "ListingChange",
    "ListingPolicy",
    "Location",
    "OpportunitySubscription",
    "Organisation",
    "ProviderEvent",
    "ProviderSupport",
    "Schedule",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "StrategyDocument",
    "Taxonomy",
    "TaxonomyTerm",
]
