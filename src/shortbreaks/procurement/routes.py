"""What each procurement route allows, as data: one frozen table row per `Opportunity.Route`.
Services, selectors and views ask `rules_for(opportunity.route)` instead of naming routes, so a
route's rules are read in one place (and tested as a table: tests/test_routes.py)."""

from dataclasses import dataclass
from types import MappingProxyType

from .models import Opportunity

Route = Opportunity.Route


@dataclass(frozen=True)
class RouteRules:
    advertised: bool  # published, in the open data, with panels; else a direct award recorded with its reason
    lots: bool  # publishing needs at least one lot
    guaranteed_volume: bool  # each lot states its guaranteed minimum volume (place-hours a year)
    selection_questions: bool  # publishing needs selection questions (admission criteria, or a first stage)
    award_questions: bool  # publishing needs award questions weighted to 100, and deadlines
    selection_stage: bool  # a first, selection stage with its own deadline, then a shortlist
    deadline: bool  # a submission deadline; without one, providers apply at any time
    price: bool  # bidders give a price (when the price formula asks for one)
    sealed: bool  # bids sealed until opened after the deadline; else read as they arrive
    panels: bool  # evaluators and invited panels score it
    decided_one_by_one: bool  # applications admitted or refused one by one
    standstill: bool  # the award waits out a standstill period
    award_conditions: bool  # the award states its conditions (what the money is for)
    members: bool  # the award appoints members, who are called off from
    call_offs: bool  # call-offs (direct or mini-competition) once awarded
    family_call_offs: bool  # families call off from it themselves, with their child's budget
    reopens: bool  # may re-open to new members on a schedule (an open framework)
    joint: bool  # other councils may join it (regional commissioning) and call off
    max_term_months: int | None  # the longest term without re-opening
    ocds_method: str  # the OCDS procurementMethod


COMPETED = dict(
    advertised=True,
    lots=True,
    guaranteed_volume=False,
    selection_questions=False,
    award_questions=True,
    selection_stage=False,
    deadline=True,
    price=True,
    sealed=True,
    panels=True,
    decided_one_by_one=False,
    standstill=True,
    award_conditions=False,
    members=False,
    call_offs=False,
    family_call_offs=False,
    reopens=False,
    joint=False,
    max_term_months=None,
    ocds_method="open",
)
UNADVERTISED = {
    **COMPETED,
    **dict(
        advertised=False,
        lots=False,
        award_questions=False,
        deadline=False,
        price=False,
        sealed=False,
        panels=False,
        standstill=False,
        ocds_method="direct",
    ),
}

ROUTES: MappingProxyType = MappingProxyType(
    {
        Route.OPEN: RouteRules(**COMPETED),
        Route.TWO_STAGE: RouteRules(
            **{**COMPETED, "selection_questions": True, "selection_stage": True, "ocds_method": "selective"}
        ),
        Route.FRAMEWORK: RouteRules(
            **{
                **COMPETED,
                "members": True,
                "call_offs": True,
                "family_call_offs": True,
                "reopens": True,
                "joint": True,
                "max_term_months": 48,
            }
        ),
        Route.DYNAMIC_LIST: RouteRules(
            **{
                **COMPETED,
                "selection_questions": True,
                "award_questions": False,
                "deadline": False,
                "price": False,
                "sealed": False,
                "decided_one_by_one": True,
                "standstill": False,
            }
        ),
        Route.BLOCK: RouteRules(**{**COMPETED, "guaranteed_volume": True, "members": True, "call_offs": True}),
        # A grant is not a public contract: no standstill, the award takes effect at once.
        Route.GRANT: RouteRules(**{**COMPETED, "award_conditions": True, "standstill": False}),
        Route.SPOT: RouteRules(**UNADVERTISED),
        Route.IN_HOUSE: RouteRules(**UNADVERTISED),
    }
)


def rules_for(route: str) -> RouteRules:
    return ROUTES[route]


def priced(opportunity: Opportunity) -> bool:
    """Whether its bidders give a price (so its pages speak of a quality and price split)."""
    return rules_for(opportunity.route).price and opportunity.price_formula != Opportunity.PriceFormula.NONE


def asks_amount(opportunity: Opportunity) -> bool:
    """Whether its bidders ask for an amount (a grant call): the bid's price is the amount
    requested, asked for and required whether or not price is scored."""
    return rules_for(opportunity.route).award_conditions


def routes_where(**wanted) -> frozenset[str]:
    """The routes whose rules match, e.g. routes_where(advertised=False)."""
    return frozenset(route for route, rules in ROUTES.items() if all(getattr(rules, k) == v for k, v in wanted.items()))


COMPETITIVE = routes_where(advertised=True)
DIRECT = routes_where(advertised=False)
