"""Word lists behind the demo data: countries with their languages, time zones and names, company
name parts per industry, job titles per persona, and the phrases of notes and stories.

Plain data only, kept apart from `references/demo.py` so the generator stays readable. Every list is
ordered (never a set) because the demo must be the same for the same seed.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CountryProfile:
    """How accounts and contacts in one country look."""

    code: str
    weight: int
    currency: str
    legal_forms: tuple[str, ...]
    # (ISO 639-1 language, name pool, weight)
    languages: tuple[tuple[str, str, int], ...]
    time_zones: tuple[str, ...]
    dialing_code: str


def _c(code, weight, currency, legal, languages, zones, dialing) -> CountryProfile:
    return CountryProfile(code, weight, currency, tuple(legal), tuple(languages), tuple(zones), dialing)


# Weighted toward the markets a software vendor sells most in.
COUNTRIES = [
    _c(
        "US",
        300,
        "USD",
        ["Inc.", "LLC", "Corp."],
        [("en", "en", 94), ("es", "es", 6)],
        ["America/New_York", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"],
        "1",
    ),
    _c("GB", 80, "GBP", ["Ltd", "plc"], [("en", "en", 100)], ["Europe/London"], "44"),
    _c("DE", 70, "EUR", ["GmbH", "AG", "SE"], [("de", "de", 100)], ["Europe/Berlin"], "49"),
    _c("FR", 50, "EUR", ["SA", "SAS"], [("fr", "fr", 100)], ["Europe/Paris"], "33"),
    _c("JP", 45, "JPY", ["K.K.", "Co., Ltd."], [("ja", "ja", 100)], ["Asia/Tokyo"], "81"),
    _c(
        "AU",
        40,
        "AUD",
        ["Pty Ltd", "Ltd"],
        [("en", "en", 100)],
        ["Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane", "Australia/Perth"],
        "61",
    ),
    _c(
        "CA",
        40,
        "CAD",
        ["Inc.", "Ltd."],
        [("en", "en", 78), ("fr", "fr", 22)],
        ["America/Toronto", "America/Toronto", "America/Vancouver", "America/Edmonton"],
        "1",
    ),
    _c("IN", 40, "INR", ["Pvt Ltd", "Ltd"], [("en", "hi", 100)], ["Asia/Kolkata"], "91"),
    _c("BR", 30, "BRL", ["Ltda.", "S.A."], [("pt", "pt", 100)], ["America/Sao_Paulo"], "55"),
    _c("NL", 30, "EUR", ["B.V.", "N.V."], [("nl", "nl", 100)], ["Europe/Amsterdam"], "31"),
    _c("SG", 20, "SGD", ["Pte Ltd"], [("en", "zh", 60), ("en", "en", 40)], ["Asia/Singapore"], "65"),
    _c("ES", 20, "EUR", ["S.A.", "S.L."], [("es", "es", 100)], ["Europe/Madrid"], "34"),
    _c("IT", 20, "EUR", ["S.p.A.", "S.r.l."], [("it", "it", 100)], ["Europe/Rome"], "39"),
    _c("SE", 15, "SEK", ["AB"], [("sv", "sv", 100)], ["Europe/Stockholm"], "46"),
    _c(
        "CH",
        15,
        "CHF",
        ["AG", "SA"],
        [("de", "de", 65), ("fr", "fr", 25), ("it", "it", 10)],
        ["Europe/Zurich"],
        "41",
    ),
    _c("MX", 15, "MXN", ["S.A. de C.V."], [("es", "es", 100)], ["America/Mexico_City"], "52"),
    _c("KR", 15, "KRW", ["Co., Ltd."], [("ko", "ko", 100)], ["Asia/Seoul"], "82"),
    _c("IE", 12, "EUR", ["Ltd", "DAC"], [("en", "en", 100)], ["Europe/Dublin"], "353"),
    _c("BE", 10, "EUR", ["NV", "SA"], [("nl", "nl", 60), ("fr", "fr", 40)], ["Europe/Brussels"], "32"),
    _c("PL", 10, "PLN", ["Sp. z o.o.", "S.A."], [("pl", "pl", 100)], ["Europe/Warsaw"], "48"),
    _c("CN", 10, "CNY", ["Co., Ltd."], [("zh", "zh", 100)], ["Asia/Shanghai"], "86"),
    _c("DK", 8, "DKK", ["A/S", "ApS"], [("da", "da", 100)], ["Europe/Copenhagen"], "45"),
    _c("NO", 8, "NOK", ["AS", "ASA"], [("nb", "nb", 100)], ["Europe/Oslo"], "47"),
    _c("AT", 8, "EUR", ["GmbH", "AG"], [("de", "de", 100)], ["Europe/Vienna"], "43"),
    _c("ZA", 8, "ZAR", ["(Pty) Ltd"], [("en", "en", 100)], ["Africa/Johannesburg"], "27"),
    _c("AE", 8, "AED", ["LLC", "FZ-LLC"], [("en", "ar", 70), ("ar", "ar", 30)], ["Asia/Dubai"], "971"),
    _c("IL", 8, "ILS", ["Ltd."], [("he", "he", 55), ("en", "he", 45)], ["Asia/Jerusalem"], "972"),
    _c("HK", 8, "HKD", ["Limited"], [("zh", "zh", 60), ("en", "zh", 40)], ["Asia/Hong_Kong"], "852"),
    _c("FI", 7, "EUR", ["Oy", "Oyj"], [("fi", "fi", 100)], ["Europe/Helsinki"], "358"),
    _c("NZ", 6, "NZD", ["Limited"], [("en", "en", 100)], ["Pacific/Auckland"], "64"),
    _c("PT", 6, "EUR", ["S.A.", "Lda."], [("pt", "pt", 100)], ["Europe/Lisbon"], "351"),
    _c("CL", 5, "CLP", ["S.A.", "SpA"], [("es", "es", 100)], ["America/Santiago"], "56"),
    _c("AR", 5, "ARS", ["S.A.", "S.R.L."], [("es", "es", 100)], ["America/Argentina/Buenos_Aires"], "54"),
    _c("CO", 5, "COP", ["S.A.S."], [("es", "es", 100)], ["America/Bogota"], "57"),
    _c("TW", 5, "TWD", ["Co., Ltd."], [("zh", "zh", 100)], ["Asia/Taipei"], "886"),
    _c("MY", 5, "MYR", ["Sdn. Bhd."], [("en", "zh", 50), ("en", "en", 50)], ["Asia/Kuala_Lumpur"], "60"),
]

# Rough US-dollar exchange rates, so amounts in local currency are of a believable size.
USD_RATES = {
    "USD": 1.0,
    "GBP": 0.79,
    "EUR": 0.92,
    "JPY": 150.0,
    "AUD": 1.52,
    "CAD": 1.36,
    "INR": 83.0,
    "BRL": 5.0,
    "SGD": 1.35,
    "SEK": 10.5,
    "CHF": 0.88,
    "MXN": 17.0,
    "KRW": 1330.0,
    "PLN": 4.0,
    "CNY": 7.2,
    "DKK": 6.9,
    "NOK": 10.6,
    "ZAR": 18.5,
    "AED": 3.67,
    "ILS": 3.7,
    "HKD": 7.8,
    "NZD": 1.65,
    "CLP": 930.0,
    "ARS": 850.0,
    "COP": 3900.0,
    "TWD": 31.5,
    "MYR": 4.7,
}

# Given names and family names, romanized, per name pool.
NAMES = {
    "en": (
        "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard "
        "Susan Joseph Jessica Thomas Sarah Christopher Karen Daniel Lisa Matthew Nancy Anthony Betty "
        "Mark Sandra Steven Ashley Andrew Emily Paul Michelle Joshua Amanda Kevin Melissa Brian Rebecca "
        "Oliver Charlotte Harry Amelia George Olivia Ethan Chloe Liam Grace Noah Hannah",
        "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin "
        "Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Green "
        "Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Parker Collins "
        "Edwards Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Kelly Howard Ward "
        "Hughes Price Bennett Wood Barnes Ross Henderson Coleman Jenkins Perry Powell Sullivan Russell",
    ),
    "es": (
        "Alejandro Lucía Carlos María Javier Carmen Miguel Ana Diego Laura Pablo Sofía Andrés Isabel "
        "Fernando Elena Jorge Paula Luis Valentina Santiago Camila Mateo Daniela Sergio Marta",
        "García Rodríguez Martínez López González Hernández Pérez Sánchez Ramírez Torres Flores Rivera "
        "Gómez Díaz Morales Ortiz Castillo Romero Vargas Jiménez Ruiz Navarro Mendoza Herrera Medina",
    ),
    "de": (
        "Lukas Anna Maximilian Laura Felix Julia Jonas Lea Leon Sophie Paul Marie Tobias Katharina "
        "Stefan Sabine Andreas Claudia Michael Petra Jan Nina Florian Lena Matthias Johanna",
        "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter Klein "
        "Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Werner Krause",
    ),
    "fr": (
        "Louis Camille Hugo Léa Lucas Manon Thomas Chloé Nicolas Julie Antoine Sarah Julien Claire "
        "Mathieu Émilie Pierre Marion Olivier Céline François Isabelle Guillaume Amélie",
        "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre "
        "Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier Blanc",
    ),
    "ja": (
        "Haruto Yui Sota Hina Yuto Sakura Riku Aoi Takumi Mei Kenji Yuki Hiroshi Naomi Daiki Emi "
        "Kazuki Ayaka Shota Misaki Ren Rin Takeshi Keiko",
        "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada "
        "Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Mori Ikeda Hashimoto Ishikawa Ogawa",
    ),
    "pt": (
        "João Ana Pedro Beatriz Lucas Mariana Gabriel Juliana Rafael Fernanda Gustavo Camila Tiago "
        "Larissa Bruno Letícia Felipe Carolina Rodrigo Patrícia Miguel Inês",
        "Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro Martins "
        "Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Rocha Dias Nascimento Moreira",
    ),
    "nl": (
        "Daan Emma Sem Julia Lucas Sophie Bram Anna Thijs Lisa Jeroen Sanne Ruben Eva Pieter Femke "
        "Joris Marieke Wouter Lotte",
        "de_Jong Jansen de_Vries van_den_Berg van_Dijk Bakker Janssen Visser Smit Meijer de_Boer Mulder "
        "de_Groot Bos Vos Peters Hendriks van_Leeuwen Dekker Brouwer",
    ),
    "it": (
        "Francesco Giulia Alessandro Sofia Lorenzo Aurora Matteo Alice Andrea Chiara Marco Federica "
        "Luca Francesca Davide Valentina Simone Elena Paolo Martina",
        "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti "
        "De_Luca Mancini Costa Giordano Rizzo Lombardi Moretti",
    ),
    "sv": (
        "Erik Anna Lars Maria Karl Emma Johan Sara Anders Elin Nils Ingrid Oskar Maja Gustav Linnea",
        "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson "
        "Pettersson Jonsson Lindberg Lindqvist",
    ),
    "da": (
        "Mads Sofie Rasmus Ida Frederik Freja Mikkel Emma Christian Laura Jesper Mette Søren Camilla",
        "Nielsen Jensen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Jørgensen "
        "Petersen Madsen Kristensen",
    ),
    "nb": (
        "Ole Ingrid Jakob Nora Henrik Emma Magnus Sofie Sander Thea Håkon Ingeborg Eirik Kari",
        "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Berg Haugen "
        "Halvorsen",
    ),
    "fi": (
        "Mikko Aino Juha Emilia Antti Helmi Jukka Sanna Ville Laura Timo Riikka Eero Saara",
        "Korhonen Virtanen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen Koskinen Järvinen "
        "Lehtonen Saarinen",
    ),
    "pl": (
        "Jakub Anna Kacper Zofia Piotr Katarzyna Tomasz Magdalena Paweł Agnieszka Michał Joanna "
        "Krzysztof Aleksandra",
        "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak "
        "Dąbrowski Kozłowski",
    ),
    "ko": (
        "Min-jun Seo-yeon Ji-ho Ha-eun Do-yun Ji-woo Seo-jun Su-bin Hyun-woo Ye-jin Jae-won Min-seo",
        "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Shin",
    ),
    "zh": (
        "Wei Fang Jun Li Ming Xiu Hao Ying Jie Mei Lei Hui Tao Yan Chen Jing Kai Lin Bo Xin",
        "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin He Gao Tan Lim Ng Lee",
    ),
    "hi": (
        "Aarav Priya Vivaan Ananya Aditya Diya Arjun Isha Rohan Kavya Rahul Sneha Vikram Pooja Sanjay "
        "Neha Amit Deepa Karthik Lakshmi",
        "Sharma Verma Gupta Patel Reddy Iyer Nair Singh Kumar Rao Joshi Mehta Shah Menon Das Bose "
        "Chatterjee Pillai Agarwal Kapoor",
    ),
    "he": (
        "Noam Noa Yosef Tamar Ariel Maya David Yael Itai Shira Omer Michal Eitan Roni",
        "Cohen Levi Mizrahi Peretz Biton Friedman Katz Azoulay Shapiro Ben-David Avraham Golan",
    ),
    "ar": (
        "Omar Fatima Ahmed Layla Khalid Noor Youssef Mariam Ali Aisha Hassan Sara Karim Huda Tariq Reem",
        "Al-Mansouri Haddad Khoury Nasser Al-Hashimi Saleh Farouk Aziz Hamdan Rahman Al-Farsi Mansour",
    ),
}


def _split(words: str) -> list[str]:
    # Multi-word family names are written with underscores in the lists above.
    return [word.replace("_", " ") for word in words.split()]


FIRST_NAMES = {pool: _split(first) for pool, (first, _last) in NAMES.items()}
LAST_NAMES = {pool: _split(last) for pool, (_first, last) in NAMES.items()}

# Company names: a coined stem ("North" + "wind") or two founders' names, then an industry word.
STEM_STARTS = (
    "North South East West Blue Red Silver Iron Bright Clear Stone Oak Pine Cedar River Lake Summit "
    "Harbor Eagle Falcon Sun Star Nova Apex Prime True Swift Green Golden Crystal Granite Maple Willow "
    "Aspen High Far Black White Grey Cobalt Copper Amber Coral Frost Storm Thunder Sky Cloud Ever Bay "
    "Wolf Fox Hawk Lion Bear Raven Arrow Anchor Beacon Compass Delta Echo Orbit Vertex Zenith"
).split()
STEM_ENDS = (
    "wind field bridge point gate stone wood view crest ridge way line peak vale brook haven light "
    "spring path star works mark shore port ford ledge stream leaf rock water dale hill moor grove "
    "well lane crown side"
).split()
FOUNDER_NAMES = (
    "Hartley Moss Ashford Bradley Carver Dalton Ellison Fairbanks Garrison Holloway Irving Jarvis "
    "Kendall Langley Mercer Norwood Oakley Prescott Quinn Radcliffe Sterling Thornton Underwood "
    "Vance Whitman Yardley Abbott Blake Crane Drake Emerson Fletcher Grant Hale Keller Lambert Monroe "
    "Nash Osborne Porter Ramsey Sawyer Tate Weller Becker Laurent Moreau Rossi Sato Tanaka Lindqvist "
    "Haas Brandt Voss Okafor Mendes Ferreira Kowalski Novak Varga Horvat Keane Byrne Walsh Doyle"
).split()

# Industry words per NAICS sector code.
INDUSTRY_WORDS = {
    "11": ["Farms", "Agriculture", "Growers", "Harvest", "Seeds", "Fisheries", "Timber", "Agri"],
    "21": ["Mining", "Resources", "Minerals", "Drilling", "Petroleum", "Energy", "Metals"],
    "22": ["Energy", "Power", "Utilities", "Water", "Electric", "Gas & Power", "Renewables"],
    "23": ["Construction", "Builders", "Contractors", "Infrastructure", "Homes", "Civil Works"],
    "31": [
        "Manufacturing",
        "Industries",
        "Industrial",
        "Components",
        "Precision",
        "Materials",
        "Motors",
        "Chemicals",
        "Foods",
        "Aerospace",
    ],
    "42": ["Distribution", "Supply", "Trading", "Wholesale", "Imports", "Supply Chain"],
    "44": ["Retail", "Stores", "Outfitters", "Market", "Brands", "Home", "Apparel", "Grocers"],
    "48": ["Logistics", "Freight", "Transport", "Shipping", "Airlines", "Rail", "Couriers"],
    "51": ["Software", "Media", "Networks", "Telecom", "Digital", "Labs", "Systems", "Data", "Publishing"],
    "52": ["Bank", "Financial", "Insurance", "Capital", "Credit Union", "Investments", "Assurance"],
    "53": ["Properties", "Realty", "Estates", "Leasing", "Real Estate", "Land"],
    "54": ["Consulting", "Partners", "Advisory", "Engineering", "Research", "Analytics", "Law"],
    "55": ["Holdings", "Group", "Enterprises", "Ventures", "Capital Group"],
    "56": ["Services", "Facilities", "Staffing", "Environmental", "Security Services", "Waste"],
    "61": ["University", "College", "Academy", "Learning", "Schools", "Institute"],
    "62": ["Health", "Medical", "Clinics", "Hospital Group", "Care", "Health System", "Pharma"],
    "71": ["Entertainment", "Studios", "Sports", "Gaming", "Arts", "Events", "Leisure"],
    "72": ["Hotels", "Hospitality", "Resorts", "Restaurants", "Dining", "Inns"],
    "81": ["Services", "Repair", "Automotive", "Foundation", "Associates", "Cleaning"],
    "92": ["Transit Authority", "Port Authority", "County", "Municipal Services", "Public Agency", "Council"],
}
# Sectors whose names carry no company legal form (universities, public bodies).
NO_LEGAL_FORM = {"61", "92"}

# How common each NAICS sector is among the vendor's customers.
INDUSTRY_WEIGHTS = {
    "11": 1,
    "21": 2,
    "22": 4,
    "23": 3,
    "31": 15,
    "42": 4,
    "44": 8,
    "48": 5,
    "51": 14,
    "52": 14,
    "53": 2,
    "54": 8,
    "55": 2,
    "56": 2,
    "61": 4,
    "62": 8,
    "71": 1,
    "72": 2,
    "81": 1,
    "92": 4,
}

# Job titles per persona code.
TITLES = {
    "executive": [
        "Chief Information Officer",
        "Chief Technology Officer",
        "Chief Data Officer",
        "Chief Information Security Officer",
        "Chief Operating Officer",
        "Chief Financial Officer",
        "VP of Engineering",
        "VP of IT",
        "VP of Data and Analytics",
        "Head of Digital Transformation",
        "SVP Operations",
        "Managing Director",
    ],
    "technical": [
        "Enterprise Architect",
        "Lead Data Engineer",
        "Platform Engineering Manager",
        "Security Architect",
        "DevOps Lead",
        "Principal Software Engineer",
        "Director of Infrastructure",
        "Cloud Architect",
        "Head of Data Platform",
        "Site Reliability Engineer",
        "IT Manager",
        "Solutions Architect",
    ],
    "end_user": [
        "Business Analyst",
        "Operations Manager",
        "Marketing Analyst",
        "Customer Success Lead",
        "Finance Manager",
        "Supply Chain Planner",
        "Product Manager",
        "Compliance Officer",
        "Data Analyst",
        "Sales Operations Manager",
        "HR Systems Lead",
        "Program Manager",
    ],
}

# Names of the vendor's own staff (the generated sales reps).
STAFF_NAMES = [
    ("Jordan", "Reyes"),
    ("Taylor", "Brooks"),
    ("Priya", "Raman"),
    ("Marcus", "Lindgren"),
    ("Elena", "Vogel"),
    ("Daniel", "Okafor"),
    ("Hannah", "Whitfield"),
    ("Kenji", "Mori"),
    ("Sofia", "Marchetti"),
    ("Liam", "O'Connell"),
    ("Chloé", "Lambert"),
    ("Mateo", "Alvarez"),
    ("Grace", "Kim"),
    ("Noah", "Fischer"),
    ("Amara", "Nwosu"),
    ("Oliver", "Grant"),
    ("Isabel", "Costa"),
    ("Ryan", "Mitchell"),
    ("Mei", "Chen"),
    ("Lucas", "Bernard"),
]

REASONS_BOUGHT = [
    "Consolidated {n} legacy tools onto {product} and needed one vendor for support.",
    "Chose {product} after a proof of concept beat {competitor} on {use_case}.",
    "The board mandated {use_case}; {product} was the only platform that met the deadline.",
    "Their previous vendor, {competitor}, raised prices by {pct}% at renewal.",
    "Needed {use_case} across {n} business units; our partner ecosystem tipped the decision.",
    "A peer reference call with another {industry} customer convinced the CIO.",
    "Total cost of ownership was {pct}% lower than {competitor} over three years.",
]
REASONS_LEFT = [
    "Moved to {competitor} after a merger; the acquirer standardized on it.",
    "Budget cut of {pct}% forced consolidation onto their cloud provider's bundled tools.",
    "Three open escalations in one quarter on {product}; the sponsor lost confidence.",
    "Champion left the company and the new CIO brought {competitor} with them.",
    "{competitor} offered {pct}% off to win the renewal.",
    "Never got {use_case} into production; adoption stalled after onboarding.",
]
INTERVIEW_NOTES = [
    "Win/loss interview: they valued the roadmap sessions more than any discount.",
    "Executive sponsor wants to speak at the user conference about {use_case}.",
    "Interviewed the platform team: onboarding took {n} weeks, faster than planned.",
    "Customer advisory board member; strong opinions on {product} reporting.",
    "Asked for peer introductions in {industry}; happy to host a site visit.",
]
GENERAL_NOTES = [
    "Quarterly business review held; renewal conversations start next quarter.",
    "New CIO started this month; reintroduce the program before asking for references.",
    "Prefers to be asked through the account owner, never directly.",
    "Expanding {product} to {n} more regions next year.",
]
STORIES = [
    "{name} consolidated {n} legacy tools onto {product} and cut {use_case} effort by {pct}%.",
    "{name} replaced {competitor} with {product} in {n} months and now runs {use_case} at scale.",
    "With {product}, {name} went from quarterly to daily {use_case} and saved {pct}% in costs.",
    "{name} rolled out {product} to {n} teams for {use_case}, with payback in under a year.",
]
WANTS_IN_RETURN = [
    "Product influence: roadmap previews",
    "Peer networking with other leaders in their industry",
    "Speaking slot at the user conference",
    "Early access to beta features",
    "A seat on the customer advisory board",
    "Visibility for their team's work",
    "Introductions to analysts",
]
ACTIVITY_NOTES = [
    "Prospect asked about migration effort and time to value.",
    "Covered security review and data residency questions.",
    "Strong call; prospect's CTO asked for a follow-up site visit.",
    "Discussed ROI and how the business case was built.",
    "Focused on integration with their existing data warehouse.",
    "Reference was candid about the rough first month; prospect appreciated it.",
    "Compared support experience with the previous vendor.",
]
BLACKOUT_REASONS = [
    "Quarter close",
    "Annual leave",
    "Parental leave",
    "Product launch",
    "Audit season",
    "Board meeting preparation",
    "Company offsite",
]
