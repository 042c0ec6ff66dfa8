"""Seeded fake identifiers for the labelled PII corpus. Check digits are real, people are not."""

from __future__ import annotations

import random
import string

FIRST_NAMES = """
Maria James Priya Thanh Olumide Aisha Wei Sofia Liam Fatima Diego Mei Jamal Ingrid Kwame Yuki
Hannah Mateo Noor Dmitri Grace Rahul Chloe Tomasz Amara Luis Siobhan Hiroshi Zainab Carlos Leah
Ahmed Rosa Elijah Anika Tyrone Svetlana Jorge Imani Connor Lakshmi Bao Esperanza Omar Katarzyna
Darnell Ayesha Finn Mariana Kofi Yasmin Arjun Beatriz Samuel Nadia Jin Guadalupe Ethan Chidi
""".split()
LAST_NAMES = """
Garcia Nguyen Okafor Raman Chen Patel Kowalski Abernathy Haddad Oyelaran Fitzgerald Yamamoto
Hernandez Johansson Mensah Delgado Kim Rahman Novak Washington Castellanos Mbeki Sorensen Ivanova
Alvarez Gupta Osei O'Brien McAllister Tanaka Lindqvist Adeyemi Moreno Schwartz Bianchi Kapoor
Thompson Nakamura Achebe Rossi Dubois Walsh Ferreira Petrov Quinn Zhang Morales Banerjee Whitfield
Brennan Vasquez Okonkwo Hashemi Larsen Graves Bell Wilson Jackson Lopez-Rivera Vandenberg
""".split()
STREETS = """
Main Oak Maple Cedar Elm Washington Lincoln Park Lake Hill Sunset Highland Jefferson Madison
Willow Pine Chestnut Walnut Franklin Riverside Magnolia Dogwood Spring Meadow Orchard Harbor
""".split()
SUFFIXES = [
    "Street",
    "St",
    "Avenue",
    "Ave",
    "Road",
    "Rd",
    "Drive",
    "Dr",
    "Lane",
    "Ln",
    "Court",
    "Boulevard",
    "Blvd",
    "Way",
    "Place",
    "Terrace",
    "Circle",
    "Parkway",
]
CITIES = [
    ("Springfield", "IL"),
    ("Columbus", "OH"),
    ("Austin", "TX"),
    ("Portland", "OR"),
    ("Madison", "WI"),
    ("Raleigh", "NC"),
    ("Tucson", "AZ"),
    ("Albany", "NY"),
    ("Denver", "CO"),
    ("Fresno", "CA"),
    ("Omaha", "NE"),
    ("Savannah", "GA"),
    ("Burlington", "VT"),
    ("Boise", "ID"),
    ("Trenton", "NJ"),
    ("Baton Rouge", "LA"),
    ("Ann Arbor", "MI"),
    ("Salt Lake City", "UT"),
]
DOMAINS = [
    "example.com",
    "mailbox.org",
    "fastmail.net",
    "patientmail.com",
    "corp-bank.example",
    "outlook.example",
    "yahoo.example",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def luhn_check_digit(payload: str) -> str:
    total = 0
    for position, char in enumerate(reversed(payload)):
        digit = int(char)
        if position % 2 == 0:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return str((10 - total % 10) % 10)


class Fakes:
    def __init__(
        self,
        rng: random.Random,
        first_names: list[str] = FIRST_NAMES,
        last_names: list[str] = LAST_NAMES,
    ) -> None:
        self.r = rng
        self.first_names, self.last_names = first_names, last_names

    def digits(self, n: int) -> str:
        return "".join(self.r.choice(string.digits) for _ in range(n))

    def person(self, style: str = "") -> str:
        first, last = self.r.choice(self.first_names), self.r.choice(self.last_names)
        style = style or self.r.choice(
            ["first_last", "first_last", "last_first", "LAST_first", "initial_last", "first_mi_last"]
        )
        mi = self.r.choice(string.ascii_uppercase)
        return {
            "first_last": f"{first} {last}",
            "last_first": f"{last}, {first}",
            "LAST_first": f"{last.upper()}, {first}",
            "initial_last": f"{first[0]}. {last}",
            "first_mi_last": f"{first} {mi}. {last}",
            "first": first,
            "last": last,
        }[style]

    def mrn(self) -> str:
        return self.r.choice(
            [
                self.digits(8),
                self.digits(7),
                "MR" + self.digits(7),
                "H" + self.digits(7),
                self.digits(3) + "-" + self.digits(5),
            ]
        )

    def ssn(self) -> str:
        area = self.r.choice([n for n in range(1, 900) if n != 666])
        group, serial = self.r.randint(1, 99), self.r.randint(1, 9999)
        sep = self.r.choice(["-", "-", "-", " "])
        return f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"

    def phone(self) -> str:
        a, b, c = f"{self.r.randint(201, 989)}", f"{self.r.randint(200, 999)}", self.digits(4)
        return self.r.choice(
            [
                f"({a}) {b}-{c}",
                f"{a}-{b}-{c}",
                f"{a}.{b}.{c}",
                f"+1 {a} {b} {c}",
                f"+44 20 {self.digits(4)} {self.digits(4)}",
                f"{a}-{b}-{c}",
            ]
        )

    def email(self) -> str:
        first, last = self.r.choice(FIRST_NAMES).lower(), self.r.choice(LAST_NAMES).lower()
        last = last.replace("'", "").replace(" ", "")
        local = self.r.choice([f"{first}.{last}", f"{first[0]}{last}", f"{first}{self.r.randint(1, 99)}"])
        return f"{local}@{self.r.choice(DOMAINS)}"

    def card(self) -> str:
        prefix, length = self.r.choice(
            [
                ("4", 16),
                ("51", 16),
                ("55", 16),
                ("2221", 16),
                ("2720", 16),
                ("2305", 16),
                ("34", 15),
                ("37", 15),
                ("6011", 16),
            ]
        )
        body = prefix + self.digits(length - len(prefix) - 1)
        number = body + luhn_check_digit(body)
        sep = self.r.choice([" ", "-", ""])
        groups = (
            [number[:4], number[4:10], number[10:]]
            if length == 15
            else [number[i : i + 4] for i in range(0, 16, 4)]
        )
        return sep.join(groups)

    def iban(self) -> str:
        country, bban = self.r.choice(
            [
                ("DE", self.digits(18)),
                ("GB", "NWBK" + self.digits(14)),
                ("FR", self.digits(23)),
                ("ES", self.digits(20)),
                ("NL", "ABNA" + self.digits(10)),
                ("CH", self.digits(17)),
                ("IT", "X" + self.digits(22)),
            ]
        )
        numeric = "".join(str(int(ch, 36)) for ch in bban + country + "00")
        iban = f"{country}{98 - int(numeric) % 97:02d}{bban}"
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)) if self.r.random() < 0.6 else iban

    def swift(self) -> str:
        bank = "".join(self.r.choice(string.ascii_uppercase) for _ in range(4))
        country = self.r.choice(["US", "GB", "DE", "FR", "CH", "SG", "JP", "NL"])
        loc = self.r.choice(["33", "2L", "FF", "3N", "22", "PP", "XX"])
        return bank + country + loc + self.r.choice(["", "", "XXX", "500"])

    def aba(self) -> str:
        body = f"{self.r.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 21, 26, 31]):02d}" + self.digits(6)
        weights = (3, 7, 1, 3, 7, 1, 3, 7)
        check = (10 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 10) % 10
        return body + str(check)

    def account(self) -> str:
        return self.digits(self.r.choice([8, 10, 12]))

    def npi(self) -> str:
        body = self.r.choice("12") + self.digits(8)
        return body + luhn_check_digit("80840" + body)

    def plan_id(self) -> str:
        letters = "".join(self.r.choice(string.ascii_uppercase) for _ in range(3))
        return self.r.choice([letters + self.digits(9), "W" + self.digits(9), letters + "-" + self.digits(8)])

    def dea(self) -> str:
        d = [int(c) for c in self.digits(6)]
        check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
        return (
            self.r.choice("ABFM") + self.r.choice(string.ascii_uppercase) + "".join(map(str, d)) + str(check)
        )

    def driver_license(self) -> str:
        return self.r.choice(
            [
                "D" + self.digits(7),
                self.digits(9),
                "S" + self.digits(3) + "-" + self.digits(4) + "-" + self.digits(4),
                "B" + self.digits(7),
                "K" + self.digits(8),
            ]
        )

    def street(self) -> str:
        unit = self.r.choice(["", "", "", f", Apt {self.r.randint(1, 40)}", f" Unit {self.r.randint(1, 9)}B"])
        return f"{self.r.randint(2, 9899)} {self.r.choice(STREETS)} {self.r.choice(SUFFIXES)}{unit}"

    def city_line(self) -> str:
        city, state = self.r.choice(CITIES)
        return f"{city}, {state} {self.digits(5)}"

    def date(self) -> str:
        year, month, day = self.r.randint(1940, 2025), self.r.randint(1, 12), self.r.randint(1, 28)
        return self.r.choice(
            [
                f"{month:02d}/{day:02d}/{year}",
                f"{month}/{day}/{year}",
                f"{year}-{month:02d}-{day:02d}",
                f"{MONTHS[month - 1]} {day}, {year}",
                f"{day} {MONTHS[month - 1][:3]} {year}",
            ]
        )

    def ip(self) -> str:
        return (
            f"{self.r.choice([23, 45, 66, 81, 98, 172, 185, 203])}.{self.r.randint(0, 255)}."
            f"{self.r.randint(0, 255)}.{self.r.randint(1, 254)}"
        )
