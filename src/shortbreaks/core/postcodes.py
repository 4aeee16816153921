"""UK postcodes to coordinates from the shipped ONS centroids, with no network call: the
sector centroid first ("DE1 3"), the district centroid as fallback ("DE1")."""

import csv
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Outward code (district) then, optionally, the inward code; the space is optional.
_FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9])([A-Z]{2})$")
_SECTOR = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s+([0-9])$")
_DISTRICT = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)$")

KM_PER_DEGREE_LATITUDE = 111.2
KM_PER_MILE = 1.609344


class PostcodeError(ValueError):
    """A postcode we cannot use, with a message a person can act on."""


@dataclass(frozen=True)
class Place:
    postcode: str  # as the person should see it, e.g. "DE1 3AB"
    district: str
    latitude: float
    longitude: float


@lru_cache(maxsize=1)
def _centroids() -> tuple[dict, dict]:
    sectors: dict[str, tuple[float, float]] = {}
    districts: dict[str, tuple[float, float]] = {}
    with open(DATA_DIR / "uk-postcode-sector-centroids.csv", newline="") as f:
        for row in csv.DictReader(f):
            sectors[row["sector"]] = (float(row["latitude"]), float(row["longitude"]))
    with open(DATA_DIR / "uk-postcode-district-centroids.csv", newline="") as f:
        for row in csv.DictReader(f):
            districts[row["district"]] = (float(row["latitude"]), float(row["longitude"]))
    return sectors, districts


def normalise(raw: str) -> str:
    return " ".join(raw.upper().split())


def locate(raw: str) -> Place:
    """Find a postcode, a sector ("DE1 3") or a district ("DE1"). Raises PostcodeError."""
    text = normalise(raw or "")
    if not text:
        raise PostcodeError("Enter a postcode")
    sectors, districts = _centroids()
    if match := _FULL.match(text):
        district, sector_digit, unit = match.groups()
        shown = f"{district} {sector_digit}{unit}"
        point = sectors.get(f"{district} {sector_digit}") or districts.get(district)
    elif match := _SECTOR.match(text):
        district, sector_digit = match.groups()
        shown = f"{district} {sector_digit}"
        point = sectors.get(shown) or districts.get(district)
    elif match := _DISTRICT.match(text):
        district = match.group(1)
        shown = district
        point = districts.get(district)
    else:
        raise PostcodeError("Enter a real postcode, like DE1 3AB")
    if point is None:
        raise PostcodeError(f"We could not find the postcode {shown}. Check it and try again")
    return Place(postcode=shown, district=district, latitude=point[0], longitude=point[1])


def district_of(raw: str) -> str:
    text = normalise(raw or "")
    for pattern in (_FULL, _SECTOR, _DISTRICT):
        if match := pattern.match(text):
            return match.group(1)
    raise PostcodeError("Enter a real postcode, like DE1 3AB")


def longitude_scale(latitude: float) -> float:
    """How much shorter a degree of longitude is than a degree of latitude here."""
    return math.cos(math.radians(latitude))


def distance_km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Equirectangular distance from a to b, scaled at a's latitude: within a fraction of a
    percent of the great circle at the tens of kilometres a family travels, and the same
    formula as the API's SQL ordering (directory.selectors.search.distance_squared)."""
    scale = longitude_scale(a_lat)
    dx = (b_lon - a_lon) * scale
    dy = b_lat - a_lat
    return math.hypot(dx, dy) * KM_PER_DEGREE_LATITUDE
