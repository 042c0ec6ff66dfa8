"""Postal addresses of several countries, written whole, and stand-alone places smaller than a country."""

from __future__ import annotations

import random

from tests.data.pii.independent.identifiers import digits

_US = [
    ("Springfield", "IL", "627"),
    ("Tulsa", "OK", "741"),
    ("Dayton", "OH", "454"),
    ("Fresno", "CA", "937"),
    ("Boise", "ID", "837"),
    ("Worcester", "MA", "016"),
    ("Chattanooga", "TN", "374"),
    ("Spokane", "WA", "992"),
    ("Albuquerque", "NM", "871"),
    ("Savannah", "GA", "314"),
    ("Madison", "WI", "537"),
    ("Lubbock", "TX", "794"),
    ("Des Moines", "IA", "503"),
    ("Reno", "NV", "895"),
    ("Asheville", "NC", "288"),
    ("Allentown", "PA", "181"),
    ("Flint", "MI", "485"),
    ("Newark", "NJ", "071"),
    ("Baltimore", "MD", "212"),
    ("Gainesville", "FL", "326"),
    ("Cedar Rapids", "IA", "524"),
    ("St. Paul", "MN", "551"),
    ("Coeur d'Alene", "ID", "838"),
]
_US_STREETS = [
    "Maple Ave",
    "Oak Street",
    "Linden Blvd",
    "N 4th St",
    "Martin Luther King Jr Dr",
    "Old Mill Rd",
    "Pine Ridge Ct",
    "Elm Terrace",
    "W Washington Blvd",
    "Sycamore Lane",
    "E 38th Street",
    "County Road 12",
    "Lakeshore Drive",
    "Cherry Hill Rd NE",
    "Magnolia Way",
]
_US_UNITS = ["Apt 4B", "Apt. 12", "Unit 7", "Suite 300", "#207", "Ste 1450", "Apt 3F", "Fl 2", "Lot 19"]
_UK = [
    ("Leeds", "LS6 2QF", "Headingley"),
    ("Manchester", "M14 5RL", "Fallowfield"),
    ("Bristol", "BS3 4HG", "Bedminster"),
    ("Glasgow", "G12 8QQ", "Hillhead"),
    ("Cardiff", "CF24 4HQ", "Roath"),
    ("Norwich", "NR2 3LE", "Golden Triangle"),
    ("Sheffield", "S10 2TN", "Broomhill"),
    ("London", "SW9 8LF", "Brixton"),
    ("Birmingham", "B29 6BD", "Selly Oak"),
]
_UK_STREETS = [
    "Hawthorn Road",
    "Church Lane",
    "Victoria Street",
    "Albert Terrace",
    "Queens Drive",
    "Mill Close",
]
_CA = [
    ("Toronto", "ON", "M5J 2G2"),
    ("Montréal", "QC", "H3G 1R9"),
    ("Vancouver", "BC", "V6B 4N7"),
    ("Halifax", "NS", "B3H 2Y9"),
    ("Winnipeg", "MB", "R3C 0V8"),
    ("Calgary", "AB", "T2P 1J9"),
]
_CA_STREETS = ["Harbour St", "Rue Sainte-Catherine O", "Granville Street", "Spring Garden Rd", "Portage Ave"]
_IE = [("Dublin 8", "D08 XY12"), ("Cork", "T12 K8AF"), ("Galway", "H91 E2W7"), ("Dublin 11", "D11 R6C4")]
_DE = [
    ("Berlin", "10115"),
    ("München", "80331"),
    ("Hamburg", "20095"),
    ("Köln", "50667"),
    ("Leipzig", "04109"),
]
_DE_STREETS = ["Hauptstraße", "Bahnhofstr.", "Schillerweg", "Am Lindenhof", "Kastanienallee"]
_FR = [
    ("Paris", "75011"),
    ("Lyon", "69003"),
    ("Marseille", "13006"),
    ("Toulouse", "31000"),
    ("Nantes", "44000"),
]
_FR_STREETS = ["rue des Lilas", "avenue Jean Jaurès", "boulevard Voltaire", "rue de la République"]
_NL = [("Amsterdam", "1015 CJ"), ("Utrecht", "3511 AB"), ("Rotterdam", "3011 AD")]
_PL = [("Warszawa", "00-514"), ("Kraków", "31-042"), ("Gdańsk", "80-831"), ("Wrocław", "50-077")]
_IN = [
    ("Bengaluru", "560038", "Indiranagar"),
    ("Mumbai", "400050", "Bandra West"),
    ("Chennai", "600020", "Adyar"),
    ("Hyderabad", "500034", "Banjara Hills"),
    ("Pune", "411004", "Deccan Gymkhana"),
    ("Kolkata", "700019", "Ballygunge"),
]
_BR = [
    ("São Paulo", "SP", "01310-100"),
    ("Rio de Janeiro", "RJ", "22071-000"),
    ("Belo Horizonte", "MG", "30130-010"),
]
_NG = [
    ("Lagos", "Victoria Island"),
    ("Abuja", "Wuse II"),
    ("Ibadan", "Bodija"),
    ("Enugu", "Independence Layout"),
]

COUNTIES = [
    "Cuyahoga County",
    "Maricopa County",
    "Cook County",
    "Wake County",
    "Travis County",
    "Dane County",
    "Orange County",
    "County Kerry",
    "West Yorkshire",
    "Lancashire",
]
NEIGHBOURHOODS = [
    "Hyde Park",
    "Mission District",
    "Germantown",
    "Five Points",
    "Little Saigon",
    "Pilsen",
    "Fishtown",
    "Koramangala",
    "Yaba",
    "Ikoyi",
    "Mitte",
    "Le Marais",
    "Bandra",
    "Roxbury",
]


def us_address(rng: random.Random, sep: str = ", ") -> str:
    city, state, zip3 = rng.choice(_US)
    street = f"{rng.randint(2, 9899)} {rng.choice(_US_STREETS)}"
    if rng.random() < 0.4:
        street += rng.choice([" ", ", "]) + rng.choice(_US_UNITS)
    zip_code = zip3 + digits(rng, 2) + (f"-{digits(rng, 4)}" if rng.random() < 0.2 else "")
    return f"{street}{sep}{city}, {state} {zip_code}"


def po_box(rng: random.Random) -> str:
    box = rng.choice(["PO Box", "P.O. Box", "Post Office Box", "P O Box"]) + f" {rng.randint(10, 9999)}"
    if rng.random() < 0.3:
        city, prov, post = rng.choice(_CA)
        return f"{box}, {city}, {prov} {post}"
    city, state, zip3 = rng.choice(_US)
    return f"{box}, {city}, {state} {zip3}{digits(rng, 2)}"


def _foreign(rng: random.Random, sep: str) -> str:
    n = rng.randint(1, 220)
    kind = rng.choice(["uk", "ca", "ie", "de", "fr", "nl", "pl", "in", "br", "ng"])
    if kind == "uk":
        city, post, area = rng.choice(_UK)
        flat = rng.choice(["", f"Flat {rng.randint(1, 12)}, "])
        return f"{flat}{n} {rng.choice(_UK_STREETS)}{sep}{area}{sep}{city} {post}"
    if kind == "ca":
        city, prov, post = rng.choice(_CA)
        unit = rng.choice(["", f"{rng.randint(101, 2405)}-"])
        return f"{unit}{n} {rng.choice(_CA_STREETS)}{sep}{city}, {prov} {post}"
    if kind == "ie":
        city, post = rng.choice(_IE)
        return f"{n} {rng.choice(['Glasnevin Avenue', 'Main Street', 'Oakpark Road'])}{sep}{city}, {post}"
    if kind == "de":
        city, post = rng.choice(_DE)
        return f"{rng.choice(_DE_STREETS)} {n}{sep}{post} {city}"
    if kind == "fr":
        city, post = rng.choice(_FR)
        return f"{n} {rng.choice(_FR_STREETS)}{sep}{post} {city}"
    if kind == "nl":
        city, post = rng.choice(_NL)
        return f"{rng.choice(['Keizersgracht', 'Oudegracht', 'Witte de Withstraat'])} {n}{sep}{post} {city}"
    if kind == "pl":
        city, post = rng.choice(_PL)
        return f"ul. {rng.choice(['Marszałkowska', 'Długa', 'Piotrkowska'])} {n} m. {rng.randint(1, 40)}{sep}{post} {city}"
    if kind == "in":
        city, pin, area = rng.choice(_IN)
        pin_text = rng.choice([pin, f"{pin[:3]} {pin[3:]}", f"- {pin}"])
        return f"Flat {rng.randint(101, 904)}, {rng.choice(['Sai Residency', 'Prestige Lakeview', 'Shanti Apartments'])}{sep}{rng.randint(1, 18)}th Cross, {area}{sep}{city} {pin_text}"
    if kind == "br":
        city, uf, cep = rng.choice(_BR)
        return f"Rua {rng.choice(['das Flores', 'Augusta', 'Voluntários da Pátria'])}, {n}, apto {rng.randint(11, 184)}{sep}{city} - {uf}, {cep}"
    city, area = rng.choice(_NG)
    return f"{n} {rng.choice(['Adeola Odeku Street', 'Aminu Kano Crescent', 'Awolowo Avenue'])}{sep}{area}, {city}"


def street_address(rng: random.Random, multiline: bool = False) -> str:
    sep = "\n" if multiline else ", "
    roll = rng.random()
    if roll < 0.45:
        return us_address(rng, sep)
    if roll < 0.58:
        return po_box(rng)
    return _foreign(rng, sep)


def location(rng: random.Random) -> str:
    """A stand-alone place: a city (maybe with its state), a county, or a neighbourhood."""
    roll = rng.random()
    if roll < 0.35:
        city, state, _ = rng.choice(_US)
        return f"{city}, {state}" if rng.random() < 0.5 else city
    if roll < 0.6:
        return rng.choice(
            [c[0] for c in _UK]
            + [c[0] for c in _CA]
            + [c[0] for c in _DE]
            + [c[0] for c in _IN]
            + [c[0] for c in _NG]
            + [c[0] for c in _PL]
            + [c[0] for c in _BR]
        )
    if roll < 0.8:
        return rng.choice(COUNTIES)
    return rng.choice(NEIGHBOURHOODS)
