"""A neighbouring council on the same installation, so regional commissioning can be tried: the
Dovebridge commissioner adds Ashworth to a framework's joint arrangement, and Ashworth's
commissioner calls off from it on Ashworth's own site (http://ashworth.localhost:8000/, which
browsers send to this machine). Only its staff: no families, providers or services of its own."""

from shortbreaks.accounts.models import RoleAssignment, User
from shortbreaks.core.models import Authority
from shortbreaks.core.roles import Role

from .directory import DEMO_PASSWORD

NEIGHBOUR_HOST = "ashworth.localhost"


def load_neighbour() -> Authority:
    authority = Authority.objects.create(
        slug="ashworth",
        name="Ashworth County Council",
        hostnames=NEIGHBOUR_HOST,
        website="https://www.ashworth.example",
        contact_email="shortbreaks@ashworth.example",
        centre_postcode="DE4 3AG",
    )
    for email, name, role in (
        ("commissioner@ashworth.example", "Hana Ito", Role.COMMISSIONER),
        ("staff.admin@ashworth.example", "Tom Reyes", Role.ADMINISTRATOR),
    ):
        user = User.objects.create_user(username=email, email=email, password=DEMO_PASSWORD, full_name=name)
        RoleAssignment.objects.create(user=user, authority=authority, role=role)
    return authority
