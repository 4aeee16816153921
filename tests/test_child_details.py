"""A parent's child and family details, to the GOV.UK standard: the date of birth as a GOV.UK
date input with a message for each way it goes wrong, a specific message for every field, the
council's area, a phone number when the family asks to be phoned, the declaration, and a
parent correcting a child's details (theirs alone to change; everyone else gets a 404)."""

import datetime as dt
import re

import pytest

from shortbreaks.core.models import AuditEvent
from shortbreaks.core.roles import Role
from shortbreaks.families.models import Carer, Child, EligibilityApplication, Family
from shortbreaks.families.services.eligibility import application_decide, application_submit

from .clock import TODAY, born_aged
from .factories import make_child, make_family, make_user, sign_in

NEW = "/family/children/new/"


def child_fields(born: dt.date | None = None, **overrides) -> dict:
    born = born or born_aged(9)
    fields = {
        "first_name": "Ava",
        "last_name": "Khan",
        "date_of_birth_0": str(born.day),
        "date_of_birth_1": str(born.month),
        "date_of_birth_2": str(born.year),
        "needs": ["autism"],
        "sex": "female",
        "ethnicity": "asian",
    }
    fields.update(overrides)
    return fields


def family_fields(**overrides) -> dict:
    fields = {"home_postcode": "DE22 1AB", "preferred_contact": "email"}
    fields.update(overrides)
    return fields


def error_summary(html: str) -> list[tuple[str, str]]:
    """(link target, message) for each entry in the GOV.UK error summary."""
    summary = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)


def boxes_in_error(html: str) -> set[str]:
    """The date input's boxes marked as wrong."""
    return set(re.findall(r'class="govuk-input govuk-date-input__input[^"]*--error" id="id_date_of_birth_(\d)"', html))


@pytest.fixture
def family(authority, parent):
    return make_family(authority, reference="F-OWN", carer_user=parent)


@pytest.fixture
def sam(family):
    return make_child(family, "Sam", born=dt.date(2017, 5, 9), needs=("autism",), school="Oak Primary")


# The date of birth.


def test_the_date_of_birth_is_a_govuk_date_input(client, authority, parent, family):
    sign_in(client, parent)
    html = client.get(NEW).content.decode()
    fieldset = html.split('<fieldset class="govuk-fieldset" role="group"', 1)[1].split("</fieldset>", 1)[0]
    assert "Date of birth</legend>" in fieldset and 'class="govuk-date-input"' in fieldset
    assert re.findall(r'name="(date_of_birth_\d)"', fieldset) == [
        "date_of_birth_0",
        "date_of_birth_1",
        "date_of_birth_2",
    ]
    assert re.findall(r">(Day|Month|Year)</label>", fieldset) == ["Day", "Month", "Year"]


def test_a_future_date_of_birth_is_refused_and_what_was_typed_is_kept(client, authority, parent, family):
    sign_in(client, parent)
    tomorrow = TODAY + dt.timedelta(days=1)
    response = client.post(NEW, child_fields(born=tomorrow, school="Oak Primary"))
    html = response.content.decode()
    assert response.status_code == 400
    assert error_summary(html) == [("id_date_of_birth_0", "Date of birth must be in the past")]
    assert boxes_in_error(html) == {"0", "1", "2"}
    for value in (str(tomorrow.day), str(tomorrow.month), str(tomorrow.year), "Ava", "Khan", "Oak Primary"):
        assert f'value="{value}"' in html
    assert 'value="autism" checked' in html and 'value="female" checked' in html
    assert "<title>Error: Tell us about your child" in html
    assert not Child.objects.exists()


def test_a_child_born_today_can_be_added(client, authority, parent, family):
    sign_in(client, parent)
    assert client.post(NEW, child_fields(born=TODAY)).status_code == 302
    assert Child.objects.get().date_of_birth == TODAY


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "boxes"),
    [
        ("", "", "", "Enter your child's date of birth", {"0", "1", "2"}),
        ("", "5", "2017", "Date of birth must include a day", {"0"}),
        ("9", "", "2017", "Date of birth must include a month", {"1"}),
        ("9", "5", "", "Date of birth must include a year", {"2"}),
        ("", "", "2017", "Date of birth must include a day and a month", {"0", "1"}),
        ("31", "2", "2017", "Date of birth must be a real date", {"0"}),
        ("9", "13", "2017", "Date of birth must be a real date", {"1"}),
        ("9", "Mayo", "2017", "Date of birth must be a real date", {"1"}),
        ("9", "５", "2017", "Date of birth must be a real date", {"1"}),
        ("9", "5", "17", "Year must include 4 numbers", {"2"}),
    ],
)
def test_each_way_a_date_of_birth_goes_wrong_is_named(
    client, authority, parent, family, day, month, year, message, boxes
):
    sign_in(client, parent)
    fields = child_fields(date_of_birth_0=day, date_of_birth_1=month, date_of_birth_2=year)
    html = client.post(NEW, fields).content.decode()
    first = f"id_date_of_birth_{min(boxes)}"
    assert error_summary(html) == [(first, message.replace("'", "&#x27;"))]
    assert boxes_in_error(html) == boxes
    assert "govuk-form-group--error" in html.split("Date of birth</legend>")[0].rsplit("<fieldset", 1)[0][-200:]
    assert not Child.objects.exists()


def test_a_month_may_be_typed_as_its_name(client, authority, parent, family):
    sign_in(client, parent)
    assert (
        client.post(
            NEW, child_fields(date_of_birth_0=" 09 ", date_of_birth_1="Sept", date_of_birth_2="2017")
        ).status_code
        == 302
    )
    assert Child.objects.get().date_of_birth == dt.date(2017, 9, 9)


def test_someone_older_than_a_young_person_is_refused(client, authority, parent, family):
    sign_in(client, parent)
    html = client.post(NEW, child_fields(born=born_aged(26, months=1))).content.decode()
    assert "Date of birth must be after" in html and "aged 25 or under" in html
    assert client.post(NEW, child_fields(born=born_aged(25, months=11))).status_code == 302


def test_every_field_has_its_own_message(client, authority, parent):
    sign_in(client, parent)
    html = client.post(NEW, {}).content.decode()
    messages = [message for _, message in error_summary(html)]
    assert messages == [
        "Enter your home postcode",
        "Select how we should contact you",
        "Enter your child&#x27;s first name",
        "Enter your child&#x27;s last name",
        "Enter your child&#x27;s date of birth",
        "Select at least one need",
        "Select your child&#x27;s sex, or &#x27;Prefer not to say&#x27;",
        "Select your child&#x27;s ethnic group, or &#x27;Prefer not to say&#x27;",
    ]
    assert "This field is required" not in html


# The family: the council's area and a phone number.


def test_a_postcode_outside_the_council_area_is_explained(client, authority, parent, policy):
    sign_in(client, parent)
    response = client.post(NEW, {**child_fields(), **family_fields(home_postcode="ng1 1aa")})
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        "Dovebridge Borough Council provides short breaks only for families who live in its area "
        "(postcodes starting DE1 or DE22), and NG1 1AA is outside it" in html
    )
    assert 'value="ng1 1aa"' in html and not Family.objects.exists()


def test_a_council_that_sets_no_area_takes_any_postcode(client, authority, parent):
    sign_in(client, parent)
    assert client.post(NEW, {**child_fields(), **family_fields(home_postcode="NG1 1AA")}).status_code == 302
    assert Family.objects.get().home_postcode == "NG1 1AA"


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ("phone", "Enter a phone number so we can call you"),
        ("text", "Enter a mobile phone number so we can send you text messages"),
    ],
)
def test_phoning_or_texting_needs_a_number(client, authority, parent, policy, contact, message):
    sign_in(client, parent)
    html = client.post(NEW, {**child_fields(), **family_fields(preferred_contact=contact)}).content.decode()
    assert ("id_phone", message) in error_summary(html)
    html = client.post(NEW, {**child_fields(), **family_fields(preferred_contact=contact, phone="call me")}).content
    assert "Enter a UK phone number, like 07700 900 982" in html.decode()
    response = client.post(NEW, {**child_fields(), **family_fields(preferred_contact=contact, phone="07700 900 982")})
    assert response.status_code == 302
    assert Carer.objects.get(user=parent).phone == "07700 900 982"
    assert Family.objects.get().preferred_contact == contact


def test_the_application_needs_its_declaration(client, authority, parent, policy, sam):
    sign_in(client, parent)
    response = client.post(f"/family/children/{sam.pk}/apply/", {})
    assert response.status_code == 400
    assert "Confirm this is true for your child, by ticking the box, to apply" in response.content.decode()
    assert not EligibilityApplication.objects.exists()
    assert client.post(f"/family/children/{sam.pk}/apply/", {"declare_substantial": "on"}).status_code == 302


# A parent corrects a child's details.


def change_url(child) -> str:
    return f"/family/children/{child.pk}/change/"


def test_the_parent_sees_a_change_link_beside_each_child(client, authority, parent, sam):
    sign_in(client, parent)
    html = client.get("/family/").content.decode()
    assert f'href="{change_url(sam)}">Change Sam\'s details</a>' in html


def test_the_change_page_is_filled_in_with_what_we_hold(client, authority, parent, sam):
    sign_in(client, parent)
    html = client.get(change_url(sam)).content.decode()
    assert "<h1 class=\"govuk-heading-l\">Change Sam's details</h1>" in html
    for value in ("Sam", "Shah", "Oak Primary"):
        assert f'value="{value}"' in html
    for name, value in (("date_of_birth_0", "9"), ("date_of_birth_1", "5"), ("date_of_birth_2", "2017")):
        assert f'name="{name}" type="text" inputmode="numeric" spellcheck="false" value="{value}"' in html
    assert 'value="autism" checked' in html and 'value="adhd" checked' not in html
    assert "home_postcode" not in html  # the family's own details are not on this page


def test_a_change_is_saved_and_audited(client, authority, parent, sam):
    sign_in(client, parent)
    fields = child_fields(born=dt.date(2017, 6, 9), first_name="Samuel", last_name="Shah", school="Oak Primary")
    fields["needs"] = ["autism", "adhd"]
    response = client.post(change_url(sam), fields)
    assert response.status_code == 302 and response.url == "/family/"
    sam.refresh_from_db()
    assert (sam.first_name, sam.date_of_birth, sam.sex) == ("Samuel", dt.date(2017, 6, 9), "female")
    assert set(sam.needs.values_list("code", flat=True)) == {"autism", "adhd"}
    event = AuditEvent.objects.get(action="family.child_updated")
    assert event.actor == parent and event.target_id == str(sam.pk)
    assert event.details == {"changed": ["first_name", "date_of_birth", "sex", "ethnicity", "needs"]}
    assert "Samuel" not in str(event.details)  # which fields changed, never what they hold
    assert "We have saved the changes to Samuel" in client.get("/family/").content.decode()


@pytest.mark.usefixtures("storage_backend")  # on both file stores (tests/storage.py)
def test_needs_changed_after_a_decision_are_noted_and_the_decision_stands(client, authority, parent, officer, sam):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shortbreaks.families.eligibility import default_criteria
    from shortbreaks.families.services.eligibility import policy_publish

    policy_publish(
        authority=authority,
        summary="Targeted short breaks.",
        criteria=default_criteria(["DE22"]),
        automatic="never",
        published_by=make_user(authority, Role.COMMISSIONER),
    )
    application = application_submit(
        child=sam,
        declarations={"substantial": True},
        evidence=[SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%%EOF\n")],
        submitted_by=parent,
    )
    application_decide(application=application, decided_by=officer, approve=True, reasons="Meets the criteria.")
    sign_in(client, parent)
    fields = child_fields(born=sam.date_of_birth, first_name="Sam", last_name="Shah", school="Oak Primary")
    fields["needs"] = ["adhd"]
    assert client.post(change_url(sam), fields).status_code == 302
    event = AuditEvent.objects.get(action="family.child_updated")
    assert event.details["needs_changed_after_decision"] == {"application": str(application.pk), "decision": "approved"}
    assert "needs changed after the eligibility decision (approved)" in event.summary
    application.refresh_from_db()
    assert application.status == "approved" and sam.eligibilities.get().status == "active"


def test_a_mistake_on_the_change_page_keeps_what_was_typed(client, authority, parent, sam):
    sign_in(client, parent)
    fields = child_fields(first_name="", last_name="Shah-Jones", school="Elm Academy")
    response = client.post(change_url(sam), fields)
    html = response.content.decode()
    assert response.status_code == 400
    assert error_summary(html) == [("id_first_name", "Enter your child&#x27;s first name")]
    assert 'value="Shah-Jones"' in html and 'value="Elm Academy"' in html
    sam.refresh_from_db()
    assert sam.last_name == "Shah" and not AuditEvent.objects.filter(action="family.child_updated").exists()


def test_another_familys_parent_gets_a_404(client, authority, sam):
    other_parent = make_user(authority, Role.PARENT)
    make_child(make_family(authority, carer_user=other_parent), "Ola")
    sign_in(client, other_parent)
    assert client.get(change_url(sam)).status_code == 404
    assert client.post(change_url(sam), child_fields(first_name="Hacked")).status_code == 404
    sam.refresh_from_db()
    assert sam.first_name == "Sam"


def test_officers_here_and_elsewhere_get_a_404(client, authority, other_authority, officer, sam):
    elsewhere = make_user(other_authority, Role.OFFICER)
    sign_in(client, elsewhere)
    assert client.get(change_url(sam), HTTP_HOST="kestrel.test").status_code == 404
    assert client.post(change_url(sam), child_fields(), HTTP_HOST="kestrel.test").status_code == 404
    assert client.get(change_url(sam)).status_code == 404
    sign_in(client, officer)  # sees the record on the caseload, but it is the family's to correct
    assert client.get(change_url(sam)).status_code == 404
    assert not AuditEvent.objects.filter(action="family.child_updated").exists()


def test_a_young_person_grown_up_with_their_own_account_is_theirs_alone(client, authority, parent, family):
    grown = make_child(family, "Zoe", born=born_aged(19), user=make_user(authority, Role.YOUNG_PERSON))
    sign_in(client, parent)
    assert client.get(change_url(grown)).status_code == 404
    sign_in(client, grown.user)
    assert client.get(change_url(grown)).status_code == 404


def test_the_service_itself_refuses_someone_who_is_not_a_carer(authority, officer, sam):
    from shortbreaks.core.errors import NotAllowed
    from shortbreaks.families.services.families import child_update

    data = {"first_name": "X", "last_name": "Y", "date_of_birth": sam.date_of_birth, "needs": [], "school": ""}
    data.update(communication_needs="", medical_needs="", has_ehc_plan=False, sex="male", ethnicity="white")
    with pytest.raises(NotAllowed):
        child_update(child=sam, parent=officer, child_data=data)
    sam.refresh_from_db()
    assert sam.first_name == "Sam"


def test_a_parent_gives_emergency_contacts_and_chooses_to_share_them(client, authority, parent, family, sam):
    sign_in(client, parent)
    url = f"/family/children/{sam.pk}/change/"
    fields = child_fields(
        born=sam.date_of_birth, first_name="Sam", emergency_contacts="", share_emergency_contacts="on"
    )
    response = client.post(url, fields)
    assert response.status_code == 400
    assert ("id_emergency_contacts", "Enter the emergency contacts to share, or untick sharing them") in error_summary(
        response.content.decode()
    )
    fields["emergency_contacts"] = "Priya Khan (aunt) 07700 900 982"
    assert client.post(url, fields).status_code == 302
    sam.refresh_from_db()
    assert sam.emergency_contacts == "Priya Khan (aunt) 07700 900 982" and sam.share_emergency_contacts
    assert "Priya Khan (aunt)" in client.get(url).content.decode()
