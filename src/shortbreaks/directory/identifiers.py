"""An organisation's identifiers in org-id.guide's schemes, as OCDS, 360Giving and ORUK want
them: "GB-COH-01234567", not our own row id. Identifiers come from what the organisation
registered; GB-SB-<uuid> (our own, unregistered prefix) is the fallback where none is known."""

from dataclasses import dataclass

from shortbreaks.core.models import Authority

from .models import Organisation

FALLBACK_SCHEME = "GB-SB"
# The UK's three charity registers: England and Wales, Scotland, Northern Ireland.
CHARITY_SCHEMES = ("GB-CHC", "GB-SC", "GB-NIC")
COMPANY_SCHEME = "GB-COH"


@dataclass(frozen=True)
class Identifier:
    scheme: str  # an org-id.guide list code, like "GB-CHC"
    identifier: str  # the number within that list
    label: str  # what the number is called, for people

    @property
    def org_id(self) -> str:
        return f"{self.scheme}-{self.identifier}"


def _charity_scheme(number: str) -> str:
    # The three UK charity registers: Scotland's numbers start SC, Northern Ireland's NIC.
    if number.startswith("SC"):
        return "GB-SC"
    if number.startswith("NIC"):
        return "GB-NIC"
    return "GB-CHC"


def registered_identifiers(organisation: Organisation) -> list[Identifier]:
    """Best first: a PPON names a supplier across all UK procurement, then the charity and
    company registers."""
    found = []
    if organisation.ppon:
        found.append(Identifier("GB-PPON", organisation.ppon, "Public Procurement Organisation Number"))
    if organisation.charity_number:
        number = organisation.charity_number
        found.append(Identifier(_charity_scheme(number), number.removeprefix("NIC"), "Charity number"))
    if organisation.company_number:
        found.append(Identifier(COMPANY_SCHEME, organisation.company_number, "Company number"))
    return found


def org_id(organisation: Organisation) -> str:
    found = registered_identifiers(organisation)
    return found[0].org_id if found else f"{FALLBACK_SCHEME}-{organisation.pk}"


def authority_org_id(authority: Authority) -> str:
    """The council's identifier as it set it; until then one of our own, marked as such."""
    return authority.org_identifier or f"{FALLBACK_SCHEME}-authority-{authority.slug}"
