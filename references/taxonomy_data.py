"""Seed lists for the admin-editable taxonomies (used by the data migration and the demo).

Kept as plain data so a migration can import it without touching models.
"""

# NAICS 2022 sectors (two-digit codes; ranges collapsed to their first code).
NAICS_SECTORS = [
    ("11", "Agriculture, Forestry, Fishing and Hunting"),
    ("21", "Mining, Quarrying, and Oil and Gas Extraction"),
    ("22", "Utilities"),
    ("23", "Construction"),
    ("31", "Manufacturing"),
    ("42", "Wholesale Trade"),
    ("44", "Retail Trade"),
    ("48", "Transportation and Warehousing"),
    ("51", "Information"),
    ("52", "Finance and Insurance"),
    ("53", "Real Estate and Rental and Leasing"),
    ("54", "Professional, Scientific, and Technical Services"),
    ("55", "Management of Companies and Enterprises"),
    ("56", "Administrative and Support and Waste Management"),
    ("61", "Educational Services"),
    ("62", "Health Care and Social Assistance"),
    ("71", "Arts, Entertainment, and Recreation"),
    ("72", "Accommodation and Food Services"),
    ("81", "Other Services (except Public Administration)"),
    ("92", "Public Administration"),
]

REGIONS = [
    ("NA", "North America"),
    ("LATAM", "Latin America"),
    ("EMEA", "Europe, Middle East and Africa"),
    ("APAC", "Asia Pacific"),
]

NORTH_AMERICA = {"US", "CA", "PM", "BM", "GL", "UM"}
LATIN_AMERICA = {
    "MX",
    "GT",
    "BZ",
    "SV",
    "HN",
    "NI",
    "CR",
    "PA",
    "CU",
    "DO",
    "HT",
    "JM",
    "PR",
    "BS",
    "BB",
    "TT",
    "AG",
    "DM",
    "GD",
    "KN",
    "LC",
    "VC",
    "AW",
    "CW",
    "SX",
    "BQ",
    "KY",
    "TC",
    "VG",
    "VI",
    "AI",
    "MS",
    "GP",
    "MQ",
    "BL",
    "MF",
    "CO",
    "VE",
    "EC",
    "PE",
    "BO",
    "CL",
    "AR",
    "UY",
    "PY",
    "BR",
    "GY",
    "SR",
    "GF",
    "FK",
    "GS",
}
ASIA_PACIFIC = {
    "CN",
    "JP",
    "KR",
    "KP",
    "MN",
    "TW",
    "HK",
    "MO",
    "IN",
    "PK",
    "BD",
    "LK",
    "NP",
    "BT",
    "MV",
    "AF",
    "ID",
    "MY",
    "SG",
    "TH",
    "VN",
    "PH",
    "KH",
    "LA",
    "MM",
    "BN",
    "TL",
    "AU",
    "NZ",
    "PG",
    "FJ",
    "SB",
    "VU",
    "NC",
    "PF",
    "WS",
    "TO",
    "KI",
    "TV",
    "NR",
    "FM",
    "MH",
    "PW",
    "GU",
    "MP",
    "AS",
    "CK",
    "NU",
    "TK",
    "WF",
    "PN",
    "NF",
    "CX",
    "CC",
    "HM",
    "IO",
    "KZ",
    "UZ",
    "TM",
    "KG",
    "TJ",
}


def region_code_for(country_code: str) -> str:
    if country_code in NORTH_AMERICA:
        return "NA"
    if country_code in LATIN_AMERICA:
        return "LATAM"
    if country_code in ASIA_PACIFIC:
        return "APAC"
    return "EMEA"


SIZE_BANDS = [
    ("Small (1–99)", 1, 99),
    ("Mid-market (100–999)", 100, 999),
    ("Large (1,000–9,999)", 1000, 9999),
    ("Enterprise (10,000+)", 10000, None),
]

PERSONAS = [("executive", "Executive"), ("technical", "Technical"), ("end_user", "End user")]

# (code, name, counts toward burnout limits, one-to-many)
ACTIVITY_TYPES = [
    ("reference_call", "Reference call", True, False),
    ("site_visit", "Site visit", True, False),
    ("case_study", "Case study", True, True),
    ("video", "Video testimonial", True, True),
    ("press_interview", "Press interview", True, False),
    ("analyst_briefing", "Analyst briefing", True, False),
    ("speaking_slot", "Speaking slot", True, True),
    ("peer_networking", "Peer-networking event", True, True),
    ("advisory_board", "Advisory board", False, True),
    ("beta_program", "Beta program", False, False),
    ("online_review", "Online review", True, True),
    ("quote_logo", "Quote or logo use", False, True),
    # One-to-many events marketing plans and reps sign deals up to (workflows.planned_events).
    ("group_reference_call", "Group reference call", True, True),
    ("webinar", "Webinar", True, True),
    ("customer_council", "Customer council", True, True),
    ("user_group_session", "User-group session", True, True),
]
# The activity types a planned event may be (`workflows.planned_events`), and those a campaign
# request asks for (marketing and PR, no deal): each has a workflow template (workflows 0007).
EVENT_ACTIVITY_TYPES = (
    "group_reference_call",
    "webinar",
    "customer_council",
    "user_group_session",
    "peer_networking",
)
CAMPAIGN_ACTIVITY_TYPES = (
    "press_interview",
    "analyst_briefing",
    "speaking_slot",
    "case_study",
    "online_review",
    "advisory_board",
)

PRODUCTS = [
    "Analytics Cloud",
    "Data Integration Hub",
    "Identity & Access",
    "Observability Suite",
    "Customer Data Platform",
    "Workflow Automation",
    "Secure Edge",
    "AI Assistant",
]

USE_CASES = [
    "Cloud migration",
    "Regulatory compliance",
    "Customer 360",
    "Real-time analytics",
    "Fraud detection",
    "Supply-chain visibility",
    "Zero-trust security",
    "Self-service BI",
    "Legacy modernization",
    "Cost reduction",
    "Incident response",
    "Personalization",
]

COMPETITORS = [
    "Acmetrics",
    "Bluepeak Systems",
    "Corvid Data",
    "Datastrand",
    "Everlight Software",
    "Fathom Labs",
]
