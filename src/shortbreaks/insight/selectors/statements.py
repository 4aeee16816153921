"""What the statements say, computed from live data as plain values (frozen into a Statement's
content when published, so a published version never changes)."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum

from shortbreaks.contracts.models import Contract, Feedback
from shortbreaks.contracts.selectors import budget_figures, outcomes_for
from shortbreaks.core.years import year_of
from shortbreaks.directory.models import CommissioningIntention, Organisation, Service
from shortbreaks.directory.selectors.taxonomy import break_kind_terms, needs_terms
from shortbreaks.families.models import AllocationRule, Child, EligibilityPolicy
from shortbreaks.procurement.models import Evaluator, Opportunity

from .gaps import AGE_BANDS, Filters, born_within, gap_analysis
from .narrative import narrative


def _money(value) -> float:
    return float(Decimal(value).quantize(Decimal("0.01")))


def market_position(*, authority, today: dt.date) -> dict:
    year = year_of(today)
    analysis = gap_analysis(authority=authority, filters=Filters(year=year))
    by_need = {}
    for cell in analysis.cells.values():
        row = by_need.setdefault(cell.need, {"children": 0, "places": 0, "booked": 0, "unmet": 0, "shortfall": 0})
        row["children"] += cell.children
        row["places"] += cell.places
        row["booked"] += cell.booked
        row["unmet"] += cell.unmet_demand
        row["shortfall"] += cell.shortfall
    # What the public can see: an organisation waiting for approval is not in a statement.
    services = Service.objects.filter(
        authority=authority, is_published=True, organisation__is_published=True, status=Service.Status.ACTIVE
    )
    kinds = {k.code: k.name for k in break_kind_terms()}
    by_kind = dict(services.values_list("break_kinds__code").annotate(n=Count("pk", distinct=True)))
    contracts = Contract.objects.filter(authority=authority, status=Contract.Status.ACTIVE)
    return {
        "year": year,
        "as_of": today.isoformat(),
        "authority": authority.name,
        "needs": [
            {"need": analysis.needs.get(code, code), **row}
            for code, row in sorted(by_need.items(), key=lambda item: -item[1]["children"])
        ],
        "children": Child.objects.filter(authority=authority).count(),
        "ages": [{"band": band, "children": n} for band, n in _age_counts(authority, today).items()],
        "kinds": [{"kind": name, "services": by_kind.get(code, 0)} for code, name in kinds.items()],
        "providers": Organisation.objects.filter(authority=authority, is_published=True).count(),
        "services": services.count(),
        "contracts": {"count": contracts.count(), "value": _money(contracts.aggregate(v=Sum("value"))["v"] or 0)},
        "gaps": [
            {
                "need": analysis.needs.get(c.need, c.need),
                "area": c.area,
                "shortfall": c.shortfall,
                "children": c.children,
                "places": c.places,
            }
            for c in analysis.rows
            if c.shortfall
        ][:10],
        "budget": [
            {
                "line": f.label,
                "budget": _money(f.budget),
                "committed": _money(f.committed),
                "spent": _money(f.spent),
                "forecast": _money(f.forecast),
            }
            for f in budget_figures(authority=authority, year=year)
        ],
        "intentions": [
            {
                "title": i.title,
                "summary": i.summary,
                "value": _money(i.estimated_value or 0),
                "start": i.expected_start.isoformat() if i.expected_start else "",
            }
            for i in CommissioningIntention.objects.filter(authority=authority, status="published").order_by(
                "expected_start"
            )
        ],
        "opportunities": [
            {
                "reference": o.reference,
                "title": o.title,
                "closes": o.submission_deadline.date().isoformat() if o.submission_deadline else "",
            }
            for o in Opportunity.objects.filter(authority=authority, status=Opportunity.Status.OPEN)
        ],
        # The council's own sections, as they stand when the statement is published.
        "narrative": narrative(authority=authority),
    }


def _age_counts(authority, today: dt.date) -> dict:
    return Child.objects.filter(authority=authority).aggregate(
        **{band: Count("pk", filter=Q(date_of_birth__range=born_within(band, today))) for band in AGE_BANDS}
    )


SERVICE_RANGE = {  # the Regulations' range, and the break kinds that provide it
    "Day-time care in the children's own homes or elsewhere": ["day", "at-home", "community"],
    "Overnight care in the children's own homes or elsewhere": ["overnight"],
    "Educational or leisure activities outside their homes": ["community", "day"],
    "Services in the evenings": ["evening"],
    "Services at weekends": ["weekend"],
    "Services during the school holidays": ["school-holiday"],
}


def services_statement(*, authority, today: dt.date) -> dict:
    # What the public can see: an organisation waiting for approval is not in a statement.
    services = Service.objects.filter(
        authority=authority, is_published=True, organisation__is_published=True, status=Service.Status.ACTIVE
    )
    by_kind = dict(services.values_list("break_kinds__code").annotate(n=Count("pk", distinct=True)))
    examples = {}
    for code, name in services.values_list("break_kinds__code", "name").order_by("name"):
        examples.setdefault(code, [])
        if len(examples[code]) < 3:
            examples[code].append(name)
    by_need = dict(services.values_list("needs__code").annotate(n=Count("pk", distinct=True)))
    eligibility = EligibilityPolicy.objects.filter(authority=authority, status="published").first()
    rule = AllocationRule.objects.filter(authority=authority, status=AllocationRule.Status.PUBLISHED).first()
    feedback = Feedback.objects.filter(authority=authority, created_at__date__gte=today - dt.timedelta(days=365))
    panels = Evaluator.objects.filter(authority=authority).exclude(panel="officers")
    return {
        "as_of": today.isoformat(),
        "authority": authority.name,
        "range": [
            {
                "kind": heading,
                "services": sum(by_kind.get(code, 0) for code in codes),
                "examples": sorted({name for code in codes for name in examples.get(code, [])})[:4],
            }
            for heading, codes in SERVICE_RANGE.items()
        ],
        "universal": services.filter(is_free=True).count(),
        "total": services.count(),
        "eligibility": {
            "summary": eligibility.summary if eligibility else "",
            "version": eligibility.version if eligibility else None,
            "criteria": [c.get("text", "") for c in (eligibility.criteria or [])] if eligibility else [],
        },
        "allocation": {
            "name": rule.name if rule else "",
            "version": rule.version if rule else None,
            "budget": _money(rule.annual_budget) if rule and rule.annual_budget else None,
            "bands": [
                {
                    "name": b.get("name", ""),
                    "amount": b.get("annual_amount"),
                    "hours": b.get("annual_hours"),
                    "points": b.get("min_points"),
                }
                for b in (rule.spec.get("bands", []) if rule else [])
            ],
        },
        "needs": [{"need": t.name, "services": by_need.get(t.code, 0)} for t in needs_terms()],
        "views": {
            "feedback": feedback.count(),
            "great": feedback.filter(enjoyed="great").count(),
            "outcomes": [
                {"outcome": label, "yes": yes, "answered": answered} for label, yes, answered in outcomes_for(feedback)
            ],
            "panel_members": panels.values("user").distinct().count(),
            "tenders_with_panels": panels.values("opportunity").distinct().count(),
        },
        "contact": authority.contact_email,
    }
