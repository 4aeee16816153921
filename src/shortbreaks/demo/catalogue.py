"""What the demo's services are: for each kind of break, the clubs and schemes a borough has,
each with the days and hours it runs, the ages it is for and the activities that suit those
ages. A service's name, schedule, ages and description all come from one entry here, so they
never contradict each other (no "Mornings" club in the afternoon, no sleepover for babies)."""

from typing import NamedTuple


class Offer(NamedTuple):
    name: str
    days: str  # RFC 5545 BYDAY, e.g. "SA" or "MO,WE"
    opens: str
    closes: str  # earlier than opens for an overnight stay (it ends the next morning)
    ages: list[tuple[int, int]]
    activities: list[str]


# Term-time clubs stop in the school holidays; holiday schemes run only in them.
TERM_TIME = {"day", "evening"}
HOLIDAYS_ONLY = {"school-holiday"}
# Kinds with sessions families book one at a time (an overnight stay or care at home is
# arranged with the family instead).
SESSION_KINDS = ("day", "evening", "weekend", "school-holiday", "community")
OVERNIGHT_MINIMUM_AGE = 8

OFFERS = {
    "day": [
        Offer(
            "Saturday Club",
            "SA",
            "10:00",
            "15:00",
            [(5, 11), (8, 18)],
            ["arts and crafts", "games", "cooking", "sports", "trips out"],
        ),
        Offer(
            "Sensory Play Sessions",
            "TU,TH",
            "09:30",
            "11:30",
            [(0, 5), (2, 8)],
            ["sensory play", "messy play", "singing", "stories"],
        ),
        Offer(
            "Messy Play Mornings",
            "WE",
            "09:30",
            "12:00",
            [(0, 5), (2, 7)],
            ["messy play", "painting", "sand and water play", "songs"],
        ),
        Offer(
            "After-School Club",
            "MO,WE",
            "15:30",
            "18:00",
            [(5, 11), (8, 14)],
            ["arts and crafts", "games", "baking", "gardening", "homework help"],
        ),
        Offer(
            "Inclusive Sports Club",
            "TH",
            "16:00",
            "18:00",
            [(8, 18), (11, 19)],
            ["football", "basketball", "trampolining", "climbing", "boccia"],
        ),
        Offer(
            "Drama and Music Group",
            "TU",
            "16:00",
            "18:00",
            [(5, 11), (8, 18)],
            ["drama", "music", "singing", "dance"],
        ),
        Offer(
            "Riding for the Disabled",
            "SA",
            "10:00",
            "13:00",
            [(5, 18), (8, 18)],
            ["horse riding", "grooming the ponies", "stable care"],
        ),
        Offer(
            "Sunday Swimming Club",
            "SU",
            "09:00",
            "11:00",
            [(5, 11), (5, 18)],
            ["swimming lessons", "water confidence", "pool games"],
        ),
    ],
    "evening": [
        Offer(
            "Youth Club",
            "TU,TH",
            "18:00",
            "21:00",
            [(11, 19), (14, 25)],
            ["pool and table tennis", "music", "cooking", "gaming", "trips out"],
        ),
        Offer(
            "Friday Night Social Club",
            "FR",
            "18:30",
            "21:00",
            [(14, 25), (16, 25)],
            ["discos", "karaoke", "film nights", "bowling trips"],
        ),
        Offer(
            "Teen Hangout",
            "WE",
            "18:00",
            "20:30",
            [(11, 19), (13, 18)],
            ["gaming", "music", "cooking", "art"],
        ),
        Offer(
            "Gaming Club",
            "TH",
            "18:00",
            "20:00",
            [(11, 19), (8, 18)],
            ["video games", "board games", "coding"],
        ),
    ],
    "overnight": [
        Offer(
            "Overnight Short Breaks",
            "FR,SA",
            "17:00",
            "10:00",
            [(8, 18), (11, 19)],
            ["film nights", "cooking supper together", "games", "a settled bedtime routine"],
        ),
        Offer(
            "Residential Weekends",
            "FR,SA",
            "17:00",
            "16:00",
            [(11, 19), (8, 18)],
            ["outdoor activities", "film nights", "trips out", "cooking together"],
        ),
        Offer(
            "Family Link Overnights",
            "FR,SA",
            "17:00",
            "10:00",
            [(8, 18)],
            ["family meals", "trips to the park", "film nights"],
        ),
        Offer(
            "Saturday Sleepover Club",
            "SA",
            "17:00",
            "10:00",
            [(8, 14), (11, 18)],
            ["film nights", "pizza making", "games", "a cooked breakfast"],
        ),
    ],
    "weekend": [
        Offer(
            "Weekend Adventures",
            "SA,SU",
            "10:00",
            "16:00",
            [(8, 18), (11, 19)],
            ["climbing", "canoeing", "trips out", "forest school"],
        ),
        Offer(
            "Sunday Funday",
            "SU",
            "10:00",
            "15:00",
            [(5, 11), (4, 16)],
            ["arts and crafts", "games", "trampolining", "baking"],
        ),
        Offer(
            "Saturday Activity Club",
            "SA",
            "10:00",
            "15:00",
            [(5, 11), (8, 18)],
            ["sports", "arts and crafts", "cooking", "games"],
        ),
        Offer(
            "Outdoor Explorers",
            "SA,SU",
            "10:00",
            "15:00",
            [(8, 18), (5, 11)],
            ["forest school", "den building", "nature walks", "campfire cooking"],
        ),
    ],
    "school-holiday": [
        Offer(
            "Holiday Playscheme",
            "MO,TU,WE,TH,FR",
            "09:30",
            "15:30",
            [(5, 11), (5, 18)],
            ["arts and crafts", "swimming", "trips out", "games", "cooking"],
        ),
        Offer(
            "Holiday Club",
            "MO,TU,WE,TH",
            "10:00",
            "15:00",
            [(5, 11), (8, 14)],
            ["sports", "baking", "arts and crafts", "film afternoons"],
        ),
        Offer(
            "Holiday Activity Days",
            "MO,WE,FR",
            "10:00",
            "15:00",
            [(8, 18), (5, 18)],
            ["climbing", "trips out", "cooking", "music"],
        ),
        Offer(
            "Holiday Sports Camp",
            "MO,TU,WE,TH,FR",
            "09:00",
            "15:00",
            [(8, 18), (11, 19)],
            ["football", "swimming", "athletics", "trampolining"],
        ),
    ],
    "at-home": [
        Offer(
            "Home Sitting Service",
            "MO,TU,WE,TH,FR,SA,SU",
            "08:00",
            "20:00",
            [(0, 18), (5, 18)],
            ["play at home", "help with routines", "time with a familiar sitter"],
        ),
        Offer(
            "Personal Assistant Support",
            "MO,TU,WE,TH,FR,SA,SU",
            "08:00",
            "20:00",
            [(5, 18), (11, 25)],
            ["outings nearby", "help with routines", "activities they choose"],
        ),
        Offer(
            "Care at Home",
            "MO,TU,WE,TH,FR,SA,SU",
            "08:00",
            "20:00",
            [(0, 18)],
            ["personal care", "help with routines", "play at home"],
        ),
        Offer(
            "Evening Sitting Service",
            "MO,TU,WE,TH,FR,SA,SU",
            "17:00",
            "22:00",
            [(0, 18), (5, 18)],
            ["bedtime routines", "quiet play", "stories"],
        ),
    ],
    "community": [
        Offer(
            "Community Befriending",
            "SA",
            "10:00",
            "14:00",
            [(8, 18), (11, 25)],
            ["cafe trips", "shopping trips", "cinema trips", "walks in the park"],
        ),
        Offer(
            "Out and About",
            "SA,SU",
            "10:00",
            "16:00",
            [(11, 19), (14, 25)],
            ["bus trips", "cinema trips", "bowling", "meals out"],
        ),
        Offer(
            "Buddy Scheme",
            "WE",
            "16:00",
            "19:00",
            [(8, 18), (11, 19)],
            ["swimming", "walks in the park", "joining local clubs"],
        ),
        Offer(
            "Community Access Support",
            "SA",
            "10:00",
            "16:00",
            [(14, 25), (11, 25)],
            ["travel training", "shopping trips", "visits to leisure centres"],
        ),
    ],
}
DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}


def clock(text: str) -> str:
    """'15:30' -> '3:30pm', '10:00' -> '10am'."""
    hour, minute = (int(p) for p in text.split(":"))
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour}{suffix}" if minute == 0 else f"{hour}:{minute:02d}{suffix}"


def when(offer: Offer, kind: str) -> str:
    """The days and hours in words, as the description says them."""
    days = offer.days.split(",")
    if len(days) == 7:
        spoken = "every day"
    elif days == ["MO", "TU", "WE", "TH", "FR"]:
        spoken = "Monday to Friday"
    else:
        names = [f"{DAY_NAMES[d]}s" for d in days]
        spoken = "on " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])
    if kind == "overnight":
        return f"{spoken}, from {clock(offer.opens)} until {clock(offer.closes)} the next day"
    hours = f"{spoken}, {clock(offer.opens)} to {clock(offer.closes)}"
    if kind in TERM_TIME:
        return f"{hours}, in term time"
    if kind in HOLIDAYS_ONLY:
        return f"{hours}, in the school holidays"
    return hours
