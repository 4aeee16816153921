"""Word lists for the fictional borough of Dovebridge. Real-looking, invented."""

PLACES = [
    "Dovebridge",
    "Allestree Vale",
    "Mickleford",
    "Chaddow",
    "Littleover Cross",
    "Spondon Heath",
    "Oakwood",
    "Darley Mills",
    "Normanton Green",
    "Belper Lane",
    "Sinfin Park",
    "Alvaston",
    "Mackworth",
    "Chellaston",
    "Borrowash",
]
ORG_STEMS = [
    "Rainbow",
    "Sunflower",
    "Lighthouse",
    "Kingfisher",
    "Acorn",
    "Willow",
    "Harbour",
    "Compass",
    "Meadow",
    "Starfish",
    "Beacon",
    "Orchard",
    "Skylark",
    "Riverside",
    "Puffin",
    "Hedgehog",
    "Bluebell",
    "Heron",
    "Otter",
    "Maple",
    "Juniper",
    "Swallow",
    "Lantern",
    "Saplings",
    "Pebbles",
    "Wren",
    "Badger",
    "Thistle",
    "Kestrel",
    "Dragonfly",
]
ORG_SUFFIX = {
    "voluntary": ["Trust", "Family Support", "Youth Project", "Parents' Network", "Play Association", "Charity"],
    "private": ["Care Ltd", "Support Services Ltd", "Children's Services Ltd", "Care Partnership Ltd"],
    "in_house": ["Short Breaks Service", "Children's Resource Centre", "Family Link Scheme"],
    "health": ["Children's Hospice", "Community Children's Nursing"],
    "social_enterprise": ["CIC", "Community Interest Company"],
}
STREETS = [
    "High Street",
    "Station Road",
    "Church Lane",
    "Mill Road",
    "Park Avenue",
    "Victoria Road",
    "Queen Street",
    "Meadow Way",
    "Riverside Walk",
    "School Lane",
    "Green Lane",
    "Chapel Street",
]
VENUES = [
    "Community Centre",
    "Leisure Centre",
    "Youth Centre",
    "Scout Hut",
    "Family Hub",
    "Resource Centre",
    "Sports Hall",
    "Adventure Playground",
    "Farm",
    "Arts Centre",
]

TRAINING = [
    "All staff are trained in safeguarding disabled children, Team Teach and paediatric first aid.",
    "Staff are trained in Makaton, PECS and positive behaviour support.",
    "Our team includes qualified nurses trained in epilepsy rescue medication, gastrostomy feeding and suction.",
    "Staff complete autism awareness training (SPELL framework) and moving and handling training.",
    "Every worker has an enhanced DBS check and completes our 5-day induction on communication and personal care.",
]
ACCESS = [
    "Step-free access throughout, a Changing Places toilet with hoist, and a quiet room.",
    "Ground-floor rooms, accessible toilet, sensory room and an enclosed garden.",
    "Fully accessible building with ceiling hoists, wet room and accessible minibus.",
    "Some areas have steps; please ask us about access before your first visit.",
    "We come to you: we will visit to plan how to support your child safely at home.",
]
# Children's first names, by sex, so a child's name and recorded sex agree.
GIRLS_NAMES = (  # noqa: SIM905 (a list of words, kept short)
    "Amira Ava Aisha Anaya Bethany Chloe Daisy Eliza Ella Emily Erin Esme Evie Fatima Freya Grace Hana "
    "Harper Imogen Isla Ivy Jasmine Keira Lily Layla Lucy Maryam Maya Mia Millie Nadia Niamh Olivia "
    "Phoebe Poppy Rosa Ruby Safa Scarlett Sienna Sofia Tilly Zainab Zoe"
).split()
BOYS_NAMES = (  # noqa: SIM905 (a list of words, kept short)
    "Aarav Adam Alfie Archie Arlo Ben Caleb Charlie Dev Dylan Elijah Ethan Femi Finley Freddie George "
    "Hamza Harry Hugo Ibrahim Isaac Jack Jacob Jamal Jay Kai Leo Liam Logan Louis Max Mohammed Noah Oliver "
    "Oscar Reuben Riley Rory Sami Theo Tom Tyler Yusuf Zach"
).split()
# Parents', carers' and staff's first names.
ADULT_NAMES = (  # noqa: SIM905 (a list of words, kept short)
    "Aleksandra Andrew Angela Bilal Carol Chris Claire Daniel Deborah Dimitri Emma Farah Gareth Helen Ian "
    "Jo Joanne Karen Kate Lee Lisa Mark Michelle Nasreen Nicola Paul Rachel Rebecca Sarah Simon Stephen "
    "Steve Tariq Tracey Wendy Yasmin"
).split()
LAST_NAMES = (  # noqa: SIM905 (a list of words, kept short)
    "Ahmed Ali Bailey Begum Bennett Brown Campbell Chen Clarke Cooper Davies Edwards Evans Fraser Green "
    "Hall Harris Hughes Hussain Jackson James Johnson Jones Kaur Kelly Khan King Lewis Martin Mensah "
    "Mistry Murphy Nowak O'Brien Okoro Patel Phillips Price Roberts Robinson Singh Smith Taylor Thomas "
    "Thompson Turner Walker Ward Watson White Williams Wilson Wood Wright Young"
).split()
