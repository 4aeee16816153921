"""What a statement's templates get: its frozen content, its charts, and which body to show."""

import re

from .charts import bar_chart
from .models import Statement

BODIES = {
    Statement.Kind.MARKET_POSITION: "insight/statement_market_position.html",
    Statement.Kind.SERVICES: "insight/statement_services.html",
}


def charts_for(kind: str, content: dict) -> dict:
    if kind == Statement.Kind.MARKET_POSITION:
        needs = content["needs"][:12]
        return {
            "needs": bar_chart(
                [n["need"] for n in needs],
                {"Children": [n["children"] for n in needs], "Places this year": [n["places"] for n in needs]},
            ),
            "ages": bar_chart(
                [a["band"] for a in content["ages"]], {"Children": [a["children"] for a in content["ages"]]}
            ),
            "budget": bar_chart(
                [b["line"] for b in content["budget"]],
                {
                    "Budget": [b["budget"] for b in content["budget"]],
                    "Forecast": [b["forecast"] for b in content["budget"]],
                },
                money=True,
            ),
        }
    return {
        "range": bar_chart(
            [r["kind"] for r in content["range"]], {"Services": [r["services"] for r in content["range"]]}
        ),
        "needs": bar_chart(
            [n["need"] for n in content["needs"]], {"Services": [n["services"] for n in content["needs"]]}
        ),
    }


def narrative_by_place(content: dict) -> dict[str, list[dict]]:
    """The council's own sections of a market position statement, by where each goes, the text
    in paragraphs (a blank line between them). An older version without any has none."""
    places: dict[str, list[dict]] = {}
    for section in content.get("narrative", []):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", section["body"]) if p.strip()]
        places.setdefault(section["place"], []).append({"heading": section["heading"], "paragraphs": paragraphs})
    return places


def context_for(kind: str, content: dict, *, statement: Statement | None = None, easy_read: bool = False) -> dict:
    """A published statement brings its own charts; a preview draws them from today's figures."""
    charts = {} if easy_read else statement.charts if statement else charts_for(kind, content)
    return {
        "c": content,
        "statement": statement,
        "kind": kind,
        "easy_read": easy_read,
        "title": Statement.Kind(kind).label + (" (easy read)" if easy_read else ""),
        "body": "insight/statement_easy_read.html" if easy_read else BODIES[kind],
        "charts": charts,
        "narrative": narrative_by_place(content) if kind == Statement.Kind.MARKET_POSITION else {},
    }
