"""Reference vocabularies every installation needs, with stable ids (uuid5 of their codes) so
the same term has the same id in every council's Open Referral data."""

import uuid

NAMESPACE = uuid.UUID("3d6f0c55-0d0e-4a36-9d59-6b6d0e1f3b77")

TAXONOMIES = {
    "needs": {
        "name": "Needs supported",
        "description": "The needs a short break is set up to support.",
        "terms": [
            ("autism", "Autism", "Autistic children and young people, with or without a learning disability."),
            (
                "learning-disability",
                "Learning disability",
                "Mild, moderate, severe or profound and multiple learning disabilities.",
            ),
            ("physical-disability", "Physical disability", "Wheelchair users and children with limited mobility."),
            (
                "sensory-impairment",
                "Sensory impairment",
                "Deaf, hearing impaired, blind, visually impaired or multi-sensory impaired.",
            ),
            (
                "complex-health",
                "Complex health needs",
                "Needs such as tube feeding, epilepsy with rescue medication, or oxygen.",
            ),
            (
                "behaviour-that-challenges",
                "Behaviour that challenges",
                "Children whose behaviour can put themselves or others at risk.",
            ),
            ("adhd", "ADHD", "Attention deficit hyperactivity disorder."),
            (
                "communication",
                "Speech, language and communication",
                "Children who use signing, symbols or communication aids.",
            ),
            ("mental-health", "Social, emotional and mental health", "Anxiety, low mood and other emotional needs."),
            (
                "life-limiting",
                "Life-limiting conditions",
                "Children with life-limiting or life-threatening conditions.",
            ),
        ],
    },
    "break-kinds": {
        "name": "Kinds of short break",
        "description": "The range of short breaks the Breaks for Carers of Disabled Children Regulations 2011 ask for.",
        "terms": [
            ("day", "Daytime activity", "Clubs and activities during the day."),
            ("evening", "Evening activity", "Clubs and activities in the evening."),
            ("overnight", "Overnight stay", "Nights away from home, in a residential unit or with an approved family."),
            ("weekend", "Weekend", "Activities and schemes at weekends."),
            ("school-holiday", "School holiday scheme", "Schemes and activities in the school holidays."),
            ("at-home", "Support at home", "Sitting, personal assistance and care in the family home."),
            ("community", "In the community", "One-to-one support to go out and take part in community life."),
        ],
    },
}


def term_id(taxonomy_code: str, term_code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{taxonomy_code}/{term_code}")


def taxonomy_id(taxonomy_code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, taxonomy_code)


def install(Taxonomy, TaxonomyTerm) -> None:
    """Create or update the vocabularies (used by the data migration and the tests)."""
    for code, spec in TAXONOMIES.items():
        taxonomy, _ = Taxonomy.objects.update_or_create(
            id=taxonomy_id(code),
            defaults={"code": code, "name": spec["name"], "description": spec["description"], "version": "1"},
        )
        for position, (term_code, name, description) in enumerate(spec["terms"]):
            TaxonomyTerm.objects.update_or_create(
                id=term_id(code, term_code),
                defaults={
                    "taxonomy": taxonomy,
                    "code": term_code,
                    "name": name,
                    "description": description,
                    "position": position,
                },
            )
