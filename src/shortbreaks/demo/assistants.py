"""Demo personal assistants: Alex Moore (pa@dovebridge.example) vetted and in date, a few more
across Dovebridge with different skills, one whose training runs out soon and one waiting for
vetting, so every page has something to show."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from shortbreaks.accounts.models import RoleAssignment, User
from shortbreaks.assistants.models import Assistant, AssistantSkill, Availability, Reference, Skill, Training
from shortbreaks.core.models import Authority
from shortbreaks.core.postcodes import locate
from shortbreaks.core.roles import Role
from shortbreaks.demo.directory import DEMO_PASSWORD

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
        for n in (1, 2):
            Reference.objects.create(
                authority=authority,
                assistant=assistant,
                referee=f"Referee {n} for {name}",
                relationship="Previous employer",
                email=f"referee{n}@example.org",
                received_on=today - dt.timedelta(days=90) if vetted else None,
            )
    progress(f"assistants: {len(PEOPLE)} personal assistants")
    return len(PEOPLE)
