"""Families' parts of earlier apps' pages (see core/panels.py), registered in apps.py: on a
person's account settings, the way to ask for a copy of their family's information (for
parents and carers only); on the search, a word when the postcode searched from is outside
the council's area (the area its eligibility criteria serve)."""

from shortbreaks.core.roles import Role

from .eligibility import area_districts
from .models import EligibilityPolicy


def settings_panel(user, authority):
    return {"is_parent": Role.PARENT in user.roles_in(authority)}


def search_place(place, authority):
    if place is None:
        return {"outside": False}
    # Only the criteria: this runs on every postcode search.
    published = EligibilityPolicy.objects.filter(authority=authority, status=EligibilityPolicy.Status.PUBLISHED)
    districts = area_districts(published.values_list("criteria", flat=True).first())
    return {
        "outside": districts is not None and place.district not in districts,
        "place": place,
        "authority": authority,
    }
