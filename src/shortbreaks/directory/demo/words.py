"""Word lists for the fictional borough of Dovebridge. Real-looking, invented."""

PLACES = ["Dovebridge", "Allestree Vale", "Mickleford", "Chaddow", "Littleover Cross",
          "Spondon Heath", "Oakwood", "Darley Mills", "Normanton Green", "Belper Lane", "Sinfin Park",
          "Alvaston", "Mackworth", "Chellaston", "Borrowash"]
ORG_STEMS = ["Rainbow", "Sunflower", "Lighthouse", "Kingfisher", "Acorn", "Willow", "Harbour",
             "Compass", "Meadow", "Starfish", "Beacon", "Orchard", "Skylark", "Riverside", "Puffin",
             "Hedgehog", "Bluebell", "Heron", "Otter", "Maple", "Juniper", "Swallow", "Lantern",
             "Saplings", "Pebbles", "Wren", "Badger", "Thistle", "Kestrel", "Dragonfly"]
ORG_SUFFIX = {
    "voluntary": ["Trust", "Family Support", "Youth Project", "Parents' Network", "Play Association", "Charity"],
    "private": ["Care Ltd", "Support Services Ltd", "Children's Services Ltd", "Care Partnership Ltd"],
    "in_house": ["Short Breaks Service", "Children's Resource Centre", "Family Link Scheme"],
    "health": ["Children's Hospice", "Community Children's Nursing"],
    "social_enterprise": ["CIC", "Community Interest Company"],
}
STREETS = ["High Street", "Station Road", "Church Lane", "Mill Road", "Park Avenue", "Victoria Road",
           "Queen Street", "Meadow Way", "Riverside Walk", "School Lane", "Green Lane", "Chapel Street"]
VENUES = ["Community Centre", "Leisure Centre", "Youth Centre", "Scout Hut", "Family Hub",
          "Resource Centre", "Sports Hall", "Adventure Playground", "Farm", "Arts Centre"]

SERVICES_BY_KIND = {
    "day": ["Saturday Club", "Sensory Play Sessions", "Messy Play Mornings", "Inclusive Sports Club",
            "Drama and Music Group", "Cookery Club", "Riding for the Disabled", "Swimming Club"],
    "evening": ["Youth Club", "Evening Social Club", "Teen Hangout", "Disco Night", "Gaming Club"],
    "overnight": ["Overnight Short Breaks", "Residential Weekends", "Family Link Overnights", "Sleepover Club"],
    "weekend": ["Weekend Adventures", "Sunday Funday", "Weekend Activity Club", "Outdoor Explorers"],
    "school-holiday": ["Holiday Playscheme", "Summer Scheme", "Easter Activity Week", "Half-Term Club",
                       "Holiday Sports Camp"],
    "at-home": ["Home Sitting Service", "Personal Assistant Support", "Care at Home", "Home from Home"],
    "community": ["Community Befriending", "Out and About", "Buddy Scheme", "Community Access Support"],
}
ACTIVITIES = ["arts and crafts", "sensory play", "swimming", "music", "drama", "cooking", "gardening",
              "sports", "trips out", "games", "film nights", "baking", "climbing", "forest school",
              "horse riding", "trampolining"]
TRAINING = ["All staff are trained in safeguarding disabled children, Team Teach and paediatric first aid.",
            "Staff are trained in Makaton, PECS and positive behaviour support.",
            "Our team includes qualified nurses trained in epilepsy rescue medication, gastrostomy feeding and suction.",
            "Staff complete autism awareness training (SPELL framework) and moving and handling training.",
            "Every worker has an enhanced DBS check and completes our 5-day induction on communication and personal care."]
ACCESS = ["Step-free access throughout, a Changing Places toilet with hoist, and a quiet room.",
          "Ground-floor rooms, accessible toilet, sensory room and an enclosed garden.",
          "Fully accessible building with ceiling hoists, wet room and accessible minibus.",
          "Some areas have steps; please ask us about access before your first visit.",
          "We come to you: we will visit to plan how to support your child safely at home."]
FIRST_NAMES = ["Amira", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Harry", "Isla", "Jamal",
               "Kate", "Liam", "Maya", "Noah", "Olivia", "Priya", "Rosa", "Sam", "Tom", "Zara"]
LAST_NAMES = ["Ahmed", "Brown", "Clarke", "Davies", "Evans", "Khan", "Patel", "Smith", "Taylor",
              "Walker", "Wilson", "Wright", "Hughes", "Kaur", "Nowak", "O'Brien"]
