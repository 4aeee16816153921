"""Every back-office form in procurement, posted with one bad field: the page comes back (never a
redirect) with a GOV.UK error summary linking to the field, and what was typed in the other
fields is shown again. A malformed or foreign id is a form error or a 404, never a 500."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from shortbreaks.procurement.models import Membership, Opportunity, Score, Submission
from shortbreaks.procurement.services import (
    application_decide,
    clarification_ask,
    evaluator_add,
    lot_add,
    opportunity_create,
    opportunity_publish,
    panel_share_set,
    question_add,
    submission_save,
    submission_submit,
)
from shortbreaks.procurement.services.joint import arrangement_record

from .clock import TODAY
from .factories import build, make_bidders, opened_for_evaluation, sign_in, submit


@pytest.fixture
def world(authority, other_authority, commissioner, officer):
    alpha, alpha_user, beta, beta_user = make_bidders(authority)
    bidders = (alpha, alpha_user, beta, beta_user)
    # Opened for evaluation (the commissioner moderates, mum scores the parents' question).
    opened, opened_lot, bid_a, _, _, parent_panel = opened_for_evaluation(authority, commissioner, bidders, officer)
    mum = parent_panel.user

    # A draft with a parents' panel that sets its own criteria.
    draft = build(authority, commissioner, reference="DRAFT-1")
    panel_share_set(opportunity=draft, panel="parents", share=40, set_by=commissioner)
    evaluator_add(opportunity=draft, user=mum, panel="parents", is_moderator=False, added_by=commissioner)

    # Published: a clarification to answer, and Beta's bid submitted on lot 1.
    published = opportunity_publish(
        opportunity=build(authority, commissioner, reference="OPEN-1"), published_by=commissioner
    )
    clarification = clarification_ask(
        opportunity=published, organisation=alpha, question="Is transport included?", asked_by=alpha_user
    )
    submit(published, beta, beta_user)

    # A dynamic list with one application waiting and one provider admitted.
    listing = opportunity_create(
        authority=authority,
        created_by=commissioner,
        reference="DL-1",
        title="Preferred providers",
        description="Join at any time.",
        route="dynamic_list",
        price_formula="none",
    )
    lot_add(opportunity=listing, title="Community", description="", value="200000", added_by=commissioner)
    question_add(
        opportunity=listing,
        kind="selection",
        text="Are you registered with Ofsted?",
        guidance="",
        weight=0,
        panel="officers",
        added_by=commissioner,
    )
    listing = opportunity_publish(opportunity=listing, published_by=commissioner)
    waiting = submit(listing, alpha, alpha_user, price=None)
    admitted = submit(listing, beta, beta_user, price=None)
    application_decide(submission=admitted, decided_by=commissioner, admit=True, reasons="")

    # A two-stage tender after its selection deadline, with one response to shortlist.
    two_stage = build(authority, commissioner, route="two_stage", lots=1, reference="TS-1")
    Opportunity.objects.filter(pk=two_stage.pk).update(selection_deadline=timezone.now() + dt.timedelta(days=2))
    two_stage = opportunity_publish(opportunity=two_stage, published_by=commissioner)
    response = submission_save(
        opportunity=two_stage,
        lot=two_stage.lots.get(),
        organisation=alpha,
        answers={str(q.pk): "Yes" for q in two_stage.questions.filter(kind="selection")},
        price=None,
        saved_by=alpha_user,
    )
    response = submission_submit(submission=response, submitted_by=alpha_user)
    Submission.objects.filter(pk=response.pk).update(submitted_at=timezone.now() - dt.timedelta(hours=2))
    Opportunity.objects.filter(pk=two_stage.pk).update(
        selection_deadline=timezone.now() - dt.timedelta(seconds=1),
        clarification_deadline=timezone.now() - dt.timedelta(hours=1),
    )

    # A framework commissioned jointly.
    framework = build(authority, commissioner, route="framework", reference="FW-1", term_months=36)
    arrangement_record(framework=framework, terms="Shared costs", agreed_on=TODAY, recorded_by=commissioner)

    evaluator_add(opportunity=opened, user=officer, panel="officers", is_moderator=False, added_by=commissioner)

    return {
        "commissioner": commissioner,
        "officer": officer,
        "mum": mum,
        "alpha": alpha_user,
        "beta": beta_user,
        "draft": draft,
        "published": published,
        "clarification": clarification,
        "opened": opened,
        "opened_lot": opened_lot,
        "bid_a": bid_a,
        "listing": listing,
        "waiting": waiting,
        "membership": Membership.objects.get(submission=admitted),
        "two_stage": two_stage,
        "response": response,
        "framework": framework,
        "other_authority": other_authority,
    }


def _url(name, opportunity):
    return lambda w: reverse(f"procurement:{name}", args=[w[opportunity].pk])


def _lot_url(name, opportunity, lot=None):
    return lambda w: reverse(
        f"procurement:{name}", args=[w[opportunity].pk, (w[lot] if lot else w[opportunity].lots.first()).pk]
    )


def _pdf():
    return SimpleUploadedFile("spec.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def _question(w, opportunity, panel):
    return str(w[opportunity].questions.get(kind="award", panel=panel).pk)


def _score(w, panel, score, why):
    return {
        "submission": str(w["bid_a"].pk),
        "question": _question(w, "opened", panel),
        "score": score,
        "justification": why,
    }


# (name, who, url, data, bad field and value, the id the summary links to, what must be shown again)
CASES = [
    (
        "lot",
        "commissioner",
        _url("lot-add", "draft"),
        lambda w: {"lot-title": "Overnights", "lot-value": "90000", "lot-max_providers": "1"},
        ("lot-value", "lots"),
        lambda w: "id_lot-value",
        ['value="Overnights"', 'value="lots"'],
    ),
    (
        "question",
        "commissioner",
        _url("question-add", "draft"),
        lambda w: {
            "question-kind": "award",
            "question-text": "How will children get home?",
            "question-weight": "10",
            "question-panel": "officers",
        },
        ("question-weight", "lots"),
        lambda w: "id_question-weight",
        ["How will children get home?</textarea>", 'value="award" checked'],
    ),
    (
        "panel-share",
        "commissioner",
        _url("panel-share", "draft"),
        lambda w: {"panel": "young_people", "share": "20"},
        ("share", "lots"),
        lambda w: "share-share",
        ['value="young_people" selected', 'value="lots"', "Give the share as a whole number"],
    ),
    (
        "evaluator-add",
        "commissioner",
        _url("evaluator-add", "draft"),
        lambda w: {"email": "mum@example.org", "panel": "young_people", "moderator": "on"},
        ("email", "nobody@example.org"),
        lambda w: "ev-email",
        ['value="nobody@example.org"', 'value="young_people" selected', 'value="on" checked'],
    ),
    (
        "document",
        "commissioner",
        _url("document-new", "draft"),
        lambda w: {"title": "Specification", "file": _pdf()},
        ("file", ""),
        lambda w: "doc-file",
        ['value="Specification"', "Choose a file to upload"],
    ),
    (
        "publish",
        "commissioner",
        _url("publish", "published"),
        lambda w: {},
        ("confirm", "yes"),
        lambda w: "main-content",
        [],
    ),
    (
        "clarification-answer",
        "commissioner",
        _url("clarification-answer", "published"),
        lambda w: {"clarification": str(w["clarification"].pk), "answer": "Yes, both ways"},
        ("answer", ""),
        lambda w: f"answer-{w['clarification'].pk}",
        ["Write the answer to publish"],
    ),
    (
        "application-decide",
        "commissioner",
        _url("application-decide", "listing"),
        lambda w: {"submission": str(w["waiting"].pk), "reasons": "No Ofsted number given", "action": "refuse"},
        ("action", "maybe"),
        lambda w: "main-content",
        ['value="No Ofsted number given"'],
    ),
    (
        "membership-remove",
        "commissioner",
        _url("membership-remove", "listing"),
        lambda w: {"membership": str(w["membership"].pk), "reasons": "Registration lapsed"},
        ("reasons", ""),
        lambda w: f"reasons-{w['membership'].pk}",
        ["Say which published criteria are no longer met", "(to remove Beta Care)"],
    ),
    (
        "shortlist",
        "commissioner",
        _url("shortlist", "two_stage"),
        lambda w: {"submission": str(w["response"].pk), "reasons": "No safeguarding policy", "action": "reject"},
        ("action", "maybe"),
        lambda w: "main-content",
        ['value="No safeguarding policy"'],
    ),
    (
        "open",
        "commissioner",
        _url("open", "published"),
        lambda w: {},
        ("confirm", "yes"),
        lambda w: "main-content",
        ["sealed until"],
    ),
    (
        "award",
        "commissioner",
        _url("award", "opened"),
        lambda w: {"lot": str(w["opened_lot"].pk)},
        ("conditions", ""),
        lambda w: "main-content",
        ["have no agreed score yet"],
    ),
    (
        "joint-record",
        "commissioner",
        _url("joint-record", "framework"),
        lambda w: {"terms": "Costs shared by population", "agreed_on": TODAY.isoformat()},
        ("agreed_on", "last spring"),
        lambda w: "joint-agreed_on",
        ["Costs shared by population</textarea>"],
    ),
    (
        "joint-participant",
        "commissioner",
        _url("joint-participant", "framework"),
        lambda w: {
            "authority": str(w["other_authority"].pk),
            "signed_for_by": "Ms Kestrel",
            "joined_on": TODAY.isoformat(),
        },
        ("joined_on", "soon"),
        lambda w: "jp-joined_on",
        ['value="Ms Kestrel"', "selected>Kestrel County Council"],
    ),
    (
        "criterion",
        "mum",
        _url("evaluate", "draft"),
        lambda w: {"text": "Will staff know my child?", "guidance": "Names, not numbers", "weight": "10"},
        ("weight", "lots"),
        lambda w: "id_weight",
        ["Will staff know my child?</textarea>", "Names, not numbers</textarea>", 'value="lots"'],
    ),
    (
        "declare",
        "officer",
        _lot_url("declare", "opened", "opened_lot"),
        lambda w: {"details": "My sister works at Alpha"},
        ("conflict", ""),
        lambda w: "id_conflict",
        ["Say whether you have a conflict of interest", "My sister works at Alpha</textarea>"],
    ),
    (
        "score",
        "mum",
        _lot_url("score-save", "opened", "opened_lot"),
        lambda w: _score(w, "parents", "7", "Lots of choice"),
        ("score", "eleven"),
        lambda w: f"score-{w['bid_a'].pk}-{_question(w, 'opened', 'parents')}",
        ["Lots of choice</textarea>", "Choose a score from 0 to 10"],
    ),
    (
        "score-agreed",
        "commissioner",
        _lot_url("score-agreed", "opened", "opened_lot"),
        lambda w: _score(w, "officers", "6", "Agreed at the panel"),
        ("score", ""),
        lambda w: f"agreed-score-{w['bid_a'].pk}-{_question(w, 'opened', 'officers')}",
        ["Agreed at the panel</textarea>", "Choose a score from 0 to 10"],
    ),
    (
        "ask",
        "alpha",
        _url("ask", "published"),
        lambda w: {"question": "Is lunch provided?"},
        ("question", ""),
        lambda w: "id_question",
        ["Write your question"],
    ),
    (
        "respond",
        "alpha",
        _lot_url("respond", "published"),
        lambda w: {
            **{f"answer-{q.pk}": f"Alpha's {q.kind} answer {q.number}" for q in w["published"].questions.all()},
            "price": "45000",
            "action": "submit",
        },
        ("price", "lots"),
        lambda w: "id_price",
        ["Alpha&#x27;s selection answer 1</textarea>", "Alpha&#x27;s award answer 2</textarea>", 'value="lots"'],
    ),
    (
        "respond-submitted",
        "beta",
        _lot_url("respond", "published"),
        lambda w: {"action": "confirm"},
        ("action", "maybe"),
        lambda w: "main-content",
        ["Choose to confirm or withdraw your bid"],
    ),
    (
        "bid-document",
        "alpha",
        _lot_url("bid-document-new", "published"),
        lambda w: {"title": "Insurance certificate", "file": _pdf()},
        ("file", ""),
        lambda w: "doc-file",
        ['value="Insurance certificate"', "Choose a file to upload"],
    ),
]


@pytest.mark.parametrize(("name", "who", "url", "data", "bad", "anchor", "shown"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_field_shows_the_form_again_with_what_was_typed(client, world, name, who, url, data, bad, anchor, shown):
    sign_in(client, world[who])
    field, value = bad
    posted = data(world) | {field: value}
    response = client.post(url(world), posted)
    assert response.status_code == 400, response.get("Location")
    page = response.content.decode()
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert f'href="#{anchor(world)}"' in page and f'id="{anchor(world)}"' in page
    assert "This field is required" not in page
    for text in shown:
        assert text in page, text


@pytest.mark.parametrize(
    ("name", "opportunity", "data"),
    [
        ("clarification-answer", "published", {"clarification": "not-a-uuid", "answer": "Yes"}),
        ("application-decide", "listing", {"submission": "1; drop table", "action": "admit"}),
        ("membership-remove", "listing", {"membership": "42", "reasons": "Lapsed"}),
        ("shortlist", "two_stage", {"submission": "not-a-uuid", "action": "shortlist"}),
        ("award", "opened", {"lot": "not-a-uuid"}),
        ("joint-participant", "framework", {"authority": "x", "signed_for_by": "Ms K", "joined_on": "2027-01-01"}),
    ],
)
def test_a_malformed_id_is_a_form_error_and_changes_nothing(client, world, name, opportunity, data):
    from shortbreaks.core.models import AuditEvent

    sign_in(client, world["commissioner"])
    before = AuditEvent.objects.count()
    response = client.post(reverse(f"procurement:{name}", args=[world[opportunity].pk]), data)
    assert response.status_code == 400 and "govuk-error-summary" in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_a_bid_the_evaluator_may_not_see_cannot_be_scored(client, world):
    """Another opportunity's bid, or a malformed id, is a form error: nothing is scored."""
    sign_in(client, world["mum"])
    url = reverse("procurement:score-save", args=[world["opened"].pk, world["opened_lot"].pk])
    foreign = Submission.objects.exclude(opportunity=world["opened"]).first()
    for bid in (str(foreign.pk), "not-a-uuid", "7"):
        response = client.post(
            url,
            {"submission": bid, "question": _question(world, "opened", "parents"), "score": "7", "justification": "x"},
        )
        assert response.status_code == 400 and "Choose a bid you can score" in response.content.decode()
    assert not Score.objects.exists()


def test_each_form_on_the_opportunitys_page_posts_to_its_own_view(client, world):
    import re

    sign_in(client, world["commissioner"])
    for key in ("draft", "published", "listing", "framework"):
        page = client.get(reverse("procurement:manage", args=[world[key].pk])).content.decode()
        tags = re.findall(r'<form method="post"[^>]*>', page)
        assert tags and all(" action=" in tag for tag in tags), key
        assert 'name="action" value="lot"' not in page
        actions = set(re.findall(r'<form method="post" action="([^"]*)"', page))
        assert reverse("procurement:manage", args=[world[key].pk]) not in actions, key
    assert (
        client.post(reverse("procurement:manage", args=[world["draft"].pk]), {"action": "publish"}).status_code == 405
    )
