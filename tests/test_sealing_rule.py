"""One sealing rule: `procurement/selectors/sealing.py` alone decides whether anyone can read a
submission, its answers, its price or documents, a mini-competition's prices, or how many there
are. The scan fails on any other module that reads those rows (naming file:line); the tests
after it try the rule through the pages and the selectors."""

import datetime as dt
import pathlib
import re

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from shortbreaks.procurement.models import CallOff
from shortbreaks.procurement.selectors import sealing
from shortbreaks.procurement.services import conflict_declare, evaluator_add, opportunity_publish, submissions_open

from .factories import build, pass_deadline, sign_in, submit

SRC = pathlib.Path(__file__).resolve().parent.parent / "src" / "shortbreaks"

# Reading Submission, Answer or CallOffBid rows: their managers, or the reverse relations
# (lot.submissions, opportunity.submissions, submission.answers, call_off.bids) and lookups
# through them from another model.
PY_READS = re.compile(
    r"\b(Submission|Answer|CallOffBid)\.objects\b|\.submissions\.|\.answers\.|\.bids\.|[\"']\w*(submissions|bids)__"
)
# A template may show the answers of a submission it was given (read through sealing.py), but
# never reach bids from an opportunity, a lot or a call-off itself.
HTML_READS = re.compile(r"\.submissions\b|\.bids\b")

ALLOWED = {
    "procurement/selectors/sealing.py": "the rule itself",
    "procurement/services/submissions.py": "writes submissions and answers (and opens them)",
    "procurement/services/lists.py": "writes dynamic list decisions on submissions",
    "procurement/services/documents.py": "writes a bid's documents",
    "procurement/services/frameworks.py": "writes mini-competition prices",
    "demo/contracts.py": "builds the demo's awarded bids",
}


def _exempt(relative: str) -> bool:
    return relative in ALLOWED or relative.startswith(("procurement/models/", "procurement/migrations/"))


def test_only_sealing_reads_bids():
    found = []
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in (".py", ".html"):
            continue
        relative = path.relative_to(SRC).as_posix()
        if _exempt(relative):
            continue
        pattern = PY_READS if path.suffix == ".py" else HTML_READS
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if pattern.search(line) and not line.lstrip().startswith(("#", "from ", "import ")):
                found.append(f"src/shortbreaks/{relative}:{number}: {line.strip()}")
    assert not found, "Read bids through procurement/selectors/sealing.py:\n" + "\n".join(found)


def test_the_scan_would_catch_a_read():
    assert PY_READS.search("bids = list(lot.submissions.filter(status='submitted'))")
    assert PY_READS.search("Answer.objects.filter(submission=s)")
    assert PY_READS.search('count = call_off.bids.count()')
    assert PY_READS.search('Lot.objects.annotate(n=Count("submissions__pk"))')
    assert not PY_READS.search("from .submissions import _open_for_submissions")


@pytest.fixture
def bid_on(authority, commissioner, bidders, officer):
    """A published one-lot tender with two bids, an officer on its panel who has declared no
    conflict, before the deadline."""
    alpha, alpha_user, beta, beta_user = bidders
    opportunity = opportunity_publish(opportunity=build(authority, commissioner, lots=1), published_by=commissioner)
    submit(opportunity, alpha, alpha_user, price="50000")
    submit(opportunity, beta, beta_user, price="40000")
    # (The moderator is never the only officer evaluating.)
    evaluator_add(
        opportunity=opportunity, user=commissioner, panel="officers", is_moderator=False, added_by=commissioner
    )
    evaluator = evaluator_add(
        opportunity=opportunity, user=officer, panel="officers", is_moderator=True, added_by=commissioner
    )
    lot = opportunity.lots.get()
    conflict_declare(evaluator=evaluator, lot=lot, has_conflict=False, details="")  # declared early
    return opportunity, lot, evaluator


def test_before_the_opening_nobody_counts_or_reads_bids(client, authority, commissioner, officer, bid_on):
    opportunity, lot, evaluator = bid_on
    assert sealing.opened_bids(lot) == []
    assert sealing.bids_for_evaluator(evaluator, lot) == []
    with pytest.raises(Http404):
        sealing.bid_for_evaluator(evaluator, lot, lot.pk)
    assert not sealing.readable_submissions(user=commissioner, authority=authority, opportunity=opportunity).exists()

    sign_in(client, commissioner)
    page = client.get(reverse("procurement:manage", args=[opportunity.pk])).content.decode()
    assert "Our answer" not in page and "50000" not in page and "50,000" not in page
    assert not re.search(r"\b2\s+(submission|bid|response)", page, re.IGNORECASE)  # not even how many
    sign_in(client, officer)
    page = client.get(reverse("procurement:score", args=[opportunity.pk, lot.pk])).content.decode()
    assert "Bid A" not in page and "Our answer" not in page and "Alpha Trust" not in page

    # Even past the deadline, until the council opens them (an audited event).
    pass_deadline(opportunity)
    opportunity.refresh_from_db()
    assert sealing.opened_bids(lot) == [] and sealing.bids_for_evaluator(evaluator, lot) == []
    sign_in(client, commissioner)
    assert "Our answer" not in client.get(reverse("procurement:manage", args=[opportunity.pk])).content.decode()


def test_after_the_opening_evaluators_see_bids_without_names(client, authority, commissioner, officer, bid_on):
    opportunity, lot, evaluator = bid_on
    pass_deadline(opportunity)
    opportunity = submissions_open(opportunity=opportunity, opened_by=commissioner)
    lot.refresh_from_db()
    evaluator.opportunity = lot.opportunity
    assert sealing.may_see(evaluator, lot)
    assert len(sealing.opened_bids(lot)) == 2
    bids = sealing.bids_for_evaluator(evaluator, lot)
    assert len(bids) == 2 and all(answers for _, answers in bids)
    assert sealing.bid_for_evaluator(evaluator, lot, bids[0][0].pk) == bids[0][0]
    sign_in(client, officer)
    page = client.get(reverse("procurement:score", args=[opportunity.pk, lot.pk])).content.decode()
    assert "Bid A" in page and "Bid B" in page and "Our answer" in page
    assert "Alpha Trust" not in page and "Beta Care" not in page


def test_a_mini_competition_is_sealed_until_its_deadline():
    call_off = CallOff(deadline=timezone.now() + dt.timedelta(hours=1))
    assert sealing.call_off_sealed(call_off)
    assert sealing.call_off_bid_count(call_off) is None  # not even how many
    assert sealing.call_off_prices(call_off) == []
