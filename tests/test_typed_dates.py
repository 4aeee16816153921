"""Dates and times are typed as people write them, in every form: "1 September 2027", "1 Sept
2027", "01/09/2027", "2027-09-01"; "10am", "2:30pm", "14:30"; and a saved value shown in a box
comes back unchanged, to the second."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone

from shortbreaks.assistants.forms import RequestForm
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.form_fields import date_field, time_field
from shortbreaks.core.forms import datetime_field, parse_date
from shortbreaks.core.templatetags.govuk import time_range
from shortbreaks.procurement.forms.opportunities import OpportunityForm

SEPT_1 = dt.date(2027, 9, 1)


@pytest.mark.parametrize(
    "typed",
    ["1 September 2027", "1 Sept 2027", "1 sep 2027", "01/09/2027", "1/9/27", "2027-09-01", "1st September, 2027"],
)
def test_a_date_is_typed_as_people_write_it(typed):
    assert date_field("Date", "the date").clean(typed) == SEPT_1


def test_a_wrong_date_says_how_to_write_one():
    with pytest.raises(Exception, match="Enter the date as a date, like 1 September 2027"):
        date_field("Date", "the date").clean("31 February 2027")
    with pytest.raises(ServiceError, match="like 1 September 2027"):
        parse_date("next week", "the review date")
    assert parse_date("1 Sept 2027", "the review date") == SEPT_1


@pytest.mark.parametrize(
    ("typed", "time"),
    [
        ("10am", dt.time(10)),
        ("2pm", dt.time(14)),
        ("2:30pm", dt.time(14, 30)),
        ("14:30", dt.time(14, 30)),
        ("2.30 pm", dt.time(14, 30)),
        ("12pm", dt.time(12)),
        ("midday", dt.time(12)),
        ("12am", dt.time(0)),
    ],
)
def test_a_time_is_typed_as_people_write_it(typed, time):
    assert time_field("From", "the time").clean(typed) == time


@pytest.mark.parametrize(
    ("typed", "when"),
    [
        ("1 September 2027 2pm", dt.datetime(2027, 9, 1, 14)),
        ("1 Sept 2027 14:30", dt.datetime(2027, 9, 1, 14, 30)),
        ("01/09/2027 2:30pm", dt.datetime(2027, 9, 1, 14, 30)),
        ("2027-09-01T12:00", dt.datetime(2027, 9, 1, 12)),
    ],
)
def test_a_date_and_time_is_typed_as_people_write_it(typed, when):
    assert datetime_field("Deadline").clean(typed) == timezone.make_aware(when)


def test_a_deadline_needs_its_time():
    with pytest.raises(Exception, match="Enter the date and time like 1 September 2027 2pm"):
        datetime_field("Deadline").clean("1 September 2027")


def test_a_saved_deadline_is_shown_as_people_write_it_and_comes_back_to_the_second():
    initial = {
        "submission_deadline": timezone.make_aware(dt.datetime(2027, 9, 1, 14, 30, 15)),
        "clarification_deadline": timezone.make_aware(dt.datetime(2027, 8, 20, 12)),
        "contract_start": dt.date(2027, 11, 1),
    }
    shown = OpportunityForm(initial=initial)
    html = str(shown["submission_deadline"]) + str(shown["clarification_deadline"]) + str(shown["contract_start"])
    assert 'value="1 September 2027 14:30:15"' in html
    assert 'value="20 August 2027 12pm"' in html and 'value="1 November 2027"' in html
    posted = {name: shown[name].value() for name in shown.fields}
    posted = {name: shown[name].field.widget.format_value(value) for name, value in posted.items() if value is not None}
    again = OpportunityForm(
        data={**posted, "reference": "SB-1", "title": "T", "description": "D", "route": "open"}, initial=initial
    )
    again.is_valid()
    for name, value in initial.items():
        assert again.cleaned_data[name] == value
        assert name not in again.changed_data


def test_a_pa_request_takes_10am():
    form = RequestForm(data={"date": "6 April 2027", "starts_at": "10am", "ends_at": "2:30pm"})
    form.is_valid()
    assert form.cleaned_data["date"] == dt.date(2027, 4, 6)
    assert (form.cleaned_data["starts_at"], form.cleaned_data["ends_at"]) == (dt.time(10), dt.time(14, 30))


@pytest.mark.parametrize(
    ("starts", "ends", "said"),
    [
        (dt.time(15, 30), dt.time(18), "3:30pm to 6pm"),
        (dt.time(10), dt.time(15), "10am to 3pm"),
        (dt.time(9, 30), dt.time(12), "9:30am to midday"),
        (dt.time(17), dt.time(10), "5pm to 10am the next day"),
        (dt.time(18), dt.time(0), "6pm to midnight the next day"),
    ],
)
def test_a_sessions_times_are_said_one_way(starts, ends, said):
    assert time_range(starts, ends) == said
    rendered = Template("{% load govuk %}{{ s.starts_at|time_range:s.ends_at }}").render(
        Context({"s": {"starts_at": starts, "ends_at": ends}})
    )
    assert rendered == said
