"""Demo personal assistants: Alex Moore (pa@dovebridge.example) vetted and in date, a few more
across Dovebridge with different skills, one whose training runs out soon and one waiting for
vetting, so every page has something to show. The demo parent has a timesheet from Alex to
approve (Jay, last Saturday) and has asked Alex for Anaya next week, for Alex to answer."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from shortbreaks.accounts.models import RoleAssignment, User
from shortbreaks.assistants.models import (
    Assistant,
    AssistantBooking,
    AssistantSkill,
    Availability,
    Reference,
    Skill,
    Timesheet,
    Training,
)
from shortbreaks.core.models import Authority
from shortbreaks.core.postcodes import locate
from shortbreaks.core.roles import Role
from shortbreaks.demo.directory import DEMO_PASSWORD
from shortbreaks.families.models import LedgerEntry
from shortbreaks.families.services.budget import account_for, post_entry

from .fitting import DEMO_PARENT, demo_children

REFEREES = [  # (name, relationship) for each PA's two references
    ("Ruth Okafor", "Manager at a special school"),
    ("Tom Bailey", "Parent of a child they supported"),
    ("Sana Mirza", "Manager at a children's respite home"),
    ("Gareth Price", "Youth club leader"),
    ("Lucy Chen", "Nurse on a children's ward"),
    ("Mark Evans", "Parent of a child they supported"),
    ("Joy Adeyemi", "Deputy head at a primary school"),
    ("Ian Walsh", "Previous employer, a care agency"),
    ("Nadia Rahman", "Speech and language therapist"),
    ("Owen Hart", "Parent of a child they supported"),
]

PEOPLE = [  # email, name, postcode, skills, rate, training runs out in (days), vetted
    ("pa@dovebridge.example", "Alex Moore", "DE22 3", ["autism", "makaton", "epilepsy"], "16.50", 400, True),
    ("pa2@dovebridge.example", "Bea Lewis", "DE1 3", ["moving", "personal_care", "peg"], "18.00", 250, True),
    ("pa3@dovebridge.example", "Chris Patel", "DE23 6", ["autism", "behaviour"], "15.00", 20, True),
    ("pa4@dovebridge.example", "Dana Hughes", "DE21 4", ["bsl", "makaton"], "17.25", 500, True),
    ("pa5@dovebridge.example", "Eli Turner", "DE24 8", ["autism", "medication"], "14.50", 300, False),
]


def load_assistants(*, authority: Authority, seed: int, progress=lambda _: None) -> int:
    rng = random.Random(seed + 3)
    today = timezone.localdate()
    officer = User.objects.filter(username="officer@dovebridge.example").first()
    for email, name, postcode, skills, rate, runs_out, vetted in PEOPLE:
        user = User.objects.filter(username=email).first()
        if user is None:
            user = User.objects.create_user(username=email, email=email, password=DEMO_PASSWORD, full_name=name)
            RoleAssignment.objects.create(user=user, authority=authority, role=Role.PERSONAL_ASSISTANT)
        place = locate(postcode)
        issued = today - dt.timedelta(days=rng.randint(60, 700))
        assistant = Assistant.objects.create(
            authority=authority,
            user=user,
            display_name=name,
            postcode=place.postcode,
            latitude=place.latitude,
            longitude=place.longitude,
            travel_km=rng.choice([8, 10, 15]),
            hourly_rate=Decimal(rate),
            about=f"I have supported disabled children for {rng.randint(2, 12)} years, at home, in the community "
            "and on days out. I enjoy swimming, parks and cooking together.",
            dbs_certificate=f"{rng.randint(10**11, 10**12 - 1)}",
            dbs_issued_on=issued,
            dbs_renew_by=issued + dt.timedelta(days=3 * 365),
            status=Assistant.Status.VETTED if vetted else Assistant.Status.SUBMITTED,
            vetted_by=officer if vetted else None,
            vetted_at=timezone.now() if vetted else None,
        )
        AssistantSkill.objects.bulk_create([AssistantSkill(assistant=assistant, skill=s) for s in skills])
        Availability.objects.bulk_create(
            [
                Availability(assistant=assistant, day=d, part=p)
                for d in range(7)
                for p in ("morning", "afternoon", "evening")
                if rng.random() < 0.4
            ]
        )
        for skill in skills:  # every skill a PA offers is backed by their training in it
            Training.objects.create(
                authority=authority,
                assistant=assistant,
                course=f"{Skill(skill).label} training",
                skill=skill,
                completed_on=today - dt.timedelta(days=200),
                expires_on=today + dt.timedelta(days=runs_out),
            )
        n = Reference.objects.filter(authority=authority).count()
        for referee, relationship in REFEREES[n % len(REFEREES) :][:2]:
            Reference.objects.create(
                authority=authority,
                assistant=assistant,
                referee=referee,
                relationship=relationship,
                email=f"{referee.split()[0].lower()}.{referee.split()[1].lower()}@example.org",
                received_on=today - dt.timedelta(days=90) if vetted else None,
            )
    _demo_parent_asked(authority, today)
    progress(f"assistants: {len(PEOPLE)} personal assistants")
    return len(PEOPLE)


def _demo_parent_asked(authority, today: dt.date) -> None:
    """Alex worked with Jay last Saturday and sent a timesheet for the parent to approve; the
    parent has asked Alex for Anaya next Tuesday after school. Each holds its cost on the
    child's budget, as a request does."""
    children = demo_children(authority)
    if len(children) < 2:
        return
    jay, anaya = children[0], children[1]
    parent = User.objects.get(username=DEMO_PARENT)
    alex = Assistant.objects.get(authority=authority, user__username="pa@dovebridge.example")
    last_saturday = today - dt.timedelta(days=(today.weekday() - 5) % 7 or 7)
    next_tuesday = today + dt.timedelta(days=(1 - today.weekday()) % 7 or 7)
    asked = [
        (jay, last_saturday, dt.time(10), dt.time(13), "Swimming at the leisure centre, then lunch.", True),
        (anaya, next_tuesday, dt.time(16), dt.time(18), "Tea and the park after school. She uses Makaton.", False),
    ]
    for child, day, starts, ends, message, worked in asked:
        hours = ends.hour - starts.hour
        booking = AssistantBooking.objects.create(
            authority=authority,
            assistant=alex,
            child=child,
            requested_by=parent,
            date=day,
            starts_at=starts,
            ends_at=ends,
            hourly_rate=alex.hourly_rate,
            amount=alex.hourly_rate * hours,
            message=message,
            meet_at=f"At home, {child.family.home_postcode}",
            contact_email=parent.email,
            status=AssistantBooking.Status.ACCEPTED if worked else AssistantBooking.Status.REQUESTED,
            answered_at=timezone.now() if worked else None,
            idempotency_key=f"demo-pa-{child.pk}",
        )
        post_entry(
            account=account_for(child),
            kind=LedgerEntry.Kind.BOOKING_COMMITTED,
            amount=booking.amount,
            actor=parent,
            description=f"Personal assistant {alex}, {day:%-d %B %Y}",
            reference=f"pa:{booking.pk}",
        )
        if worked:
            Timesheet.objects.create(
                authority=authority, booking=booking, hours=hours, note="Jay swam two lengths on his own!"
            )
