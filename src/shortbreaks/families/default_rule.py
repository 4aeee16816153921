"""A starting resource allocation rule, of the kind councils publish: under 170 points the
child is offered targeted (open-access and code-booked) breaks; above, five bands from 500 to
4,500 a year. Councils copy it into a draft and make it their own."""


def _q(code, text, *answers):
    return {"code": code, "text": text, "answers": [{"code": c, "text": t, "points": p} for c, t, p in answers]}


DEFAULT_SPEC = {
    "questions": [
        _q(
            "personal_care",
            "How much help does the child need with personal care (washing, dressing, toileting, eating)?",
            ("same_as_peers", "About the same as other children their age", 0),
            ("some", "Some help, more than other children their age", 40),
            ("a_lot", "A lot of help with most tasks", 80),
            ("all", "Full help with all personal care", 120),
        ),
        _q(
            "health",
            "Does the child have health needs that need care during the day or night?",
            ("none", "No", 0),
            ("managed", "Yes, managed with routine medication", 30),
            ("regular", "Yes, needing regular interventions (for example tube feeding)", 80),
            ("complex", "Yes, complex needs such as epilepsy with rescue medication or oxygen", 140),
        ),
        _q(
            "behaviour",
            "Does the child's behaviour put them or others at risk?",
            ("no", "No", 0),
            ("sometimes", "Sometimes, managed with support", 40),
            ("often", "Often, needing one-to-one support", 90),
            ("constant", "Constantly, needing two-to-one support at times", 140),
        ),
        _q(
            "communication",
            "How does the child communicate?",
            ("speech", "With speech, like other children their age", 0),
            ("some_support", "With some support (signs, symbols or simple words)", 20),
            ("non_verbal", "Non-verbally, needing people who know them well", 50),
        ),
        _q(
            "nights",
            "How are the family's nights?",
            ("settled", "Usually settled", 0),
            ("disturbed", "Disturbed several nights a week", 40),
            ("every_night", "Disturbed every night", 80),
        ),
        _q(
            "supervision",
            "How much supervision does the child need to be safe?",
            ("usual", "As other children their age", 0),
            ("close", "Close supervision most of the time", 40),
            ("constant", "Constant supervision, day and night", 80),
        ),
        _q(
            "carer_health",
            "Is a parent or carer's own health affecting their ability to care?",
            ("no", "No", 0),
            ("some", "Somewhat", 30),
            ("significant", "Significantly", 60),
        ),
        _q(
            "other_caring",
            "Does the family care for anyone else with additional needs?",
            ("no", "No", 0),
            ("one", "Yes, one other person", 30),
            ("more", "Yes, more than one other person", 60),
        ),
    ],
    "bands": [
        {
            "code": "targeted",
            "name": "Targeted short breaks",
            "min_points": 0,
            "annual_amount": "0.00",
            "annual_hours": 0,
            "tier": "targeted",
        },
        {
            "code": "band_1",
            "name": "Band 1",
            "min_points": 170,
            "annual_amount": "500.00",
            "annual_hours": 25,
            "tier": "specialist",
        },
        {
            "code": "band_2",
            "name": "Band 2",
            "min_points": 250,
            "annual_amount": "1200.00",
            "annual_hours": 60,
            "tier": "specialist",
        },
        {
            "code": "band_3",
            "name": "Band 3",
            "min_points": 340,
            "annual_amount": "2200.00",
            "annual_hours": 110,
            "tier": "specialist",
        },
        {
            "code": "band_4",
            "name": "Band 4",
            "min_points": 430,
            "annual_amount": "3300.00",
            "annual_hours": 165,
            "tier": "specialist",
        },
        {
            "code": "band_5",
            "name": "Band 5",
            "min_points": 520,
            "annual_amount": "4500.00",
            "annual_hours": 225,
            "tier": "specialist",
        },
    ],
}
