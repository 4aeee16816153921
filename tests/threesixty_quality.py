"""The checks 360Giving's own data quality tool (CoVE, with lib360dataquality) runs over a grants
package beyond its schema, written again here so the suite runs them offline, on a fixed clock:

- identifiers: every grant id starts "360G-"; funder and recipient ids start with a prefix from
  the org-id.guide lists (or "360G", which the tool accepts too), and GB-CHC / GB-COH ids look
  like charity and company numbers; one funder; ids unique;
- personal data: no grant to an individual names or locates them (no recipientIndividual here at
  all: the council's grants go to organisations), and no text anywhere looks like an email
  address, a phone number or a full postcode;
- dates: every date exists; award dates are not in the future nor over 25 years ago, nor after
  the grant's last modification; planned dates start no later than they end, and none is over
  12 years ahead;
- the required fields (the standard's ten), amounts that are not £0, and the tool's usefulness
  notes: titles of at most 140 characters, a description that is not the title again.

`problems(package, now=...)` lists what fails, each as "<check>: <grant id or path>"; the tool's
"now" is the day it runs, here a parameter (the suite's NOW)."""

import datetime as dt
import re

from dateutil.relativedelta import relativedelta

# org-id.guide's UK lists an identifier here can come from: the charity registers, Companies
# House, Find a Tender's PPON, and those for public bodies, councils, schools and the NHS. The
# tool downloads the whole list; these are the ones a short breaks council meets. Our own
# fallback, GB-SB, is not on it (it is unregistered), so the tool flags it.
ORG_ID_PREFIXES = (
    "GB-CHC",
    "GB-SC",
    "GB-NIC",
    "GB-COH",
    "GB-PPON",
    "GB-GOR",
    "GB-LAE",
    "GB-LAS",
    "GB-LANI",
    "GB-PLA",
    "GB-EDU",
    "GB-NHS",
    "GB-UKPRN",
    "GB-MPR",
    "GB-SHPE",
    "GB-REV",
    "360G",
)

REQUIRED = ("id", "title", "description", "currency", "amountAwarded", "awardDate", "fundingOrganization")
EMAIL = re.compile(r"[\w.-]+@[\w.-]+\.[\w.-]+")
# A UK phone number: +44 or a leading 0, then 9 or 10 more digits, spaced or not.
PHONE = re.compile(r"(?:\+44\s?\(?0?\)?\s?|(?<![\w-])0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)")
# A full UK postcode, outward and inward parts with a space, as people write them.
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b")
# Keys whose values are registered numbers, not text people wrote.
NUMBERS = ("/id", "/charityNumber", "/companyNumber")


def _flatten(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{path}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _flatten(item, f"{path}/{index}")
    else:
        yield path, value


def _date(text) -> dt.date | None:
    """A date the tool accepts: YYYY-MM-DD, alone or before a time; None if it does not exist."""
    try:
        return dt.date.fromisoformat(str(text).split("T")[0])
    except ValueError:
        return None


def _charity_number(number: str) -> bool:
    number = number[2:] if number[:2].isalpha() else number
    return number.isdigit() and len(number) in (6, 7)


def _company_number(number: str) -> bool:
    return re.fullmatch(r"\w{8}", number) is not None


def _org_problems(kind: str, organisation: dict) -> list[str]:
    org_id = organisation.get("id", "")
    found = []
    if not org_id.upper().startswith(tuple(p.upper() for p in ORG_ID_PREFIXES)):
        found.append(f"{kind} id with an unrecognised prefix: {org_id}")
    if org_id.upper().startswith("GB-CHC-") and not _charity_number(org_id[7:]):
        found.append(f"{kind} id that is not a charity number: {org_id}")
    if org_id.upper().startswith("GB-COH-") and not _company_number(org_id[7:]):
        found.append(f"{kind} id that is not a company number: {org_id}")
    if "charityNumber" in organisation and not _charity_number(str(organisation["charityNumber"])):
        found.append(f"{kind} charity number that does not look like one: {organisation['charityNumber']}")
    if "companyNumber" in organisation and not _company_number(str(organisation["companyNumber"])):
        found.append(f"{kind} company number that does not look like one: {organisation['companyNumber']}")
    return found


def _date_problems(grant: dict, now: dt.datetime) -> list[str]:
    found = []
    today = now.date()
    award = _date(grant.get("awardDate"))
    modified = grant.get("dateModified")
    if grant.get("awardDate") and award is None:
        found.append(f"award date that does not exist: {grant['awardDate']}")
    if award:
        if award > today:
            found.append(f"award date in the future: {award}")
        if award < today - relativedelta(years=25):
            found.append(f"award date over 25 years ago: {award}")
    if modified:
        try:
            when = dt.datetime.fromisoformat(modified)
        except ValueError:
            found.append(f"last modified that is not a date-time: {modified}")
        else:
            if when.tzinfo is None:
                found.append(f"last modified without a time zone: {modified}")
            elif award and award > when.date():
                found.append(f"award date {award} after its last modification {modified}")
            elif when > now:
                found.append(f"last modified in the future: {modified}")
    for index, planned in enumerate(grant.get("plannedDates", [])):
        start, end = _date(planned.get("startDate")), _date(planned.get("endDate"))
        for name, text, value in (("start", planned.get("startDate"), start), ("end", planned.get("endDate"), end)):
            if text and value is None:
                found.append(f"planned {name} date that does not exist: {text}")
            if value and value > today + relativedelta(years=12):
                found.append(f"planned {name} date over 12 years ahead: {value}")
            if value and value < today - relativedelta(years=25):
                found.append(f"planned {name} date over 25 years ago: {value}")
        if start and end and start > end:
            found.append(f"plannedDates/{index} starts {start}, after it ends {end}")
    return found


def _personal_data(grant: dict) -> list[str]:
    found = []
    if "recipientIndividual" in grant:
        found.append("a grant to an individual (their name and whereabouts must not be published)")
    for path, value in _flatten(grant):
        if not isinstance(value, str) or path.endswith(NUMBERS):
            continue
        for name, pattern in (("an email address", EMAIL), ("a phone number", PHONE), ("a postcode", POSTCODE)):
            if pattern.search(value):
                found.append(f"{name} in {path}: {value!r}")
    return found


def problems(package: dict, *, now: dt.datetime) -> list[str]:
    found = []
    grants = package.get("grants", [])
    if not grants:
        found.append("no grants")
    ids = [grant.get("id") for grant in grants]
    found += [f"duplicate grant id: {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    funders = {f.get("id") for grant in grants for f in grant.get("fundingOrganization", [])}
    if len(funders) > 1:
        found.append(f"{len(funders)} different funder ids: {sorted(funders)}")
    for grant in grants:
        name = grant.get("id", "?")
        missing = [field for field in REQUIRED if field not in grant]
        if ("recipientOrganization" in grant) == ("recipientIndividual" in grant):
            missing.append("recipientOrganization or recipientIndividual (one of them)")
        here = [f"missing {field}" for field in missing]
        if not str(grant.get("id", "")).startswith("360G-"):
            here.append("grant id without the 360G- prefix")
        if grant.get("amountAwarded") == 0:
            here.append("a grant of £0")
        if len(grant.get("title", "")) > 140:
            here.append("a title over 140 characters")
        if grant.get("title") and grant.get("title") == grant.get("description"):
            here.append("a description that only repeats the title")
        for kind in ("fundingOrganization", "recipientOrganization"):
            for organisation in grant.get(kind, []):
                for org_name in ("id", "name"):
                    if not organisation.get(org_name):
                        here.append(f"{kind} without its {org_name}")
                here += _org_problems(kind, organisation)
        here += _date_problems(grant, now)
        here += _personal_data(grant)
        found += [f"{problem}: {name}" for problem in here]
    return found
