"""Person names from many naming traditions, and the ways they get written down.

Pools deliberately leave out names that double as medical eponyms or drug street names (Parkinson,
Crohn, Graves, Down, Molly, Charlie, Tina...) so those words stay unambiguous distractors.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# culture -> (given names, family names, family-name-first?)
_POOLS: dict[str, tuple[list[str], list[str], bool]] = {
    "us": (
        [
            "James",
            "Emily",
            "Michael",
            "Sarah",
            "Robert",
            "Ashley",
            "Darnell",
            "Jennifer",
            "Brandon",
            "Megan",
            "Tyrone",
            "Keisha",
            "Dustin",
            "Brittany",
            "Gregory",
            "Heather",
            "Latoya",
            "Cody",
        ],
        [
            "Miller",
            "Johnson",
            "Thompson",
            "Whitfield",
            "Walker",
            "Henderson",
            "Barnes",
            "Coleman",
            "Hughes",
            "Jefferson",
            "Pruitt",
            "Stanton",
            "Delgado",
            "Yates",
        ],
        False,
    ),
    "irish": (
        ["Siobhán", "Niamh", "Cian", "Pádraig", "Aoife", "Eoin", "Ciarán", "Saoirse", "Oisín"],
        [
            "O'Brien",
            "O'Sullivan",
            "McCarthy",
            "D'Arcy",
            "O'Neill",
            "Ní Bhriain",
            "MacGowan",
            "O'Driscoll",
            "Ó Súilleabháin",
        ],
        False,
    ),
    "indian": (
        [
            "Priya",
            "Arjun",
            "Lakshmi",
            "Venkatesh",
            "Ananya",
            "Rohan",
            "Sunita",
            "Harpreet",
            "Sai Krishna",
            "Deepika",
            "Mohammed Irfan",
        ],
        [
            "Raghunathan",
            "Patel",
            "Iyer",
            "Chatterjee",
            "Reddy",
            "Gupta",
            "Nair",
            "Subramanian",
            "Singh",
            "Deshpande",
            "Venkataraman",
        ],
        False,
    ),
    "nigerian": (
        [
            "Chukwuemeka",
            "Ngozi",
            "Oluwaseun",
            "Adebayo",
            "Funmilayo",
            "Ifeoma",
            "Babatunde",
            "Aisha",
            "Chiamaka",
            "Olumide",
        ],
        ["Okonkwo", "Adeyemi", "Balogun", "Eze", "Nwosu", "Ogunleye", "Abubakar", "Okafor", "Adewale", "Obi"],
        False,
    ),
    "chinese": (
        ["Wei", "Xiaoling", "Jianguo", "Mei", "Zhiwei", "Yuxin", "Haoran", "Xinyi", "Jing"],
        ["Zhang", "Wang", "Liu", "Chen", "Huang", "Zhao", "Xu", "Guo", "Zhou"],
        True,
    ),
    "vietnamese": (
        ["Thị Lan", "Văn Tuấn", "Minh Anh", "Thanh Hương", "Đức Quang", "Thu Trang", "Hoài Nam"],
        ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Nguyen", "Tran"],
        True,
    ),
    "arabic": (
        ["Mohammed", "Fatima", "Omar", "Layla", "Youssef", "Khalid", "Noor", "Huda", "Tariq"],
        [
            "Al-Rashid",
            "al-Hashimi",
            "Haddad",
            "Abdullah",
            "Abdel-Rahman",
            "El-Sayed",
            "Mansour",
            "Khoury",
            "bin Saleh",
        ],
        False,
    ),
    "polish": (
        ["Łukasz", "Małgorzata", "Krzysztof", "Agnieszka", "Wojciech", "Zofia", "Grzegorz"],
        [
            "Wiśniewski",
            "Kowalczyk",
            "Wójcik",
            "Nowakowska",
            "Zieliński",
            "Szymańska",
            "Lewandowski",
            "Brzęczyszczykiewicz",
        ],
        False,
    ),
    "brazilian": (
        ["João", "Ana Clara", "Luiz Fernando", "Thiago", "Fernanda", "Gabriela", "Rafaela"],
        [
            "da Silva",
            "dos Santos",
            "Oliveira",
            "Souza",
            "Pereira",
            "Carvalho",
            "Ferreira Lima",
            "Albuquerque",
        ],
        False,
    ),
    "hispanic": (
        ["María José", "Alejandro", "Guadalupe", "Jesús", "Ximena", "Joaquín", "Marisol"],
        ["García-López", "Hernández", "Ruiz", "Castañeda", "Villanueva", "Ortiz Medina"],
        False,
    ),
    "hyphenated": (
        ["Charlotte", "Oliver", "Isabelle", "Hugo", "Anneliese", "Rhys"],
        ["Smith-Jones", "Bowes-Lyon", "Harper-Nakamura", "Lloyd-Webber", "Meyer-Landrut", "Evans-Pritchard"],
        False,
    ),
}
CULTURES = sorted(_POOLS)
TITLES = ["Mr", "Mrs", "Ms", "Dr", "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Miss"]


@dataclass(frozen=True)
class Name:
    given: str
    family: str
    culture: str

    @property
    def full(self) -> str:
        return f"{self.family} {self.given}" if _POOLS[self.culture][2] else f"{self.given} {self.family}"


def random_name(rng: random.Random, culture: str | None = None) -> Name:
    culture = culture or rng.choice(CULTURES)
    given, family, _ = _POOLS[culture]
    return Name(rng.choice(given), rng.choice(family), culture)


def initial(word: str) -> str:
    return word[0].upper() + "."


def render_name(rng: random.Random, name: Name, casing: str = "natural") -> str:
    """One written form of a name (titles stay outside the span; callers add them as plain text)."""
    forms = [
        name.full,
        name.full,
        name.full,
        f"{name.family}, {name.given}",
        f"{initial(name.given)} {name.family}",
        f"{name.given} {initial(name.family)[0]}.",
        "".join(w[0] for w in name.given.split())
        + "".join(w[0] for w in name.family.split() if w[0].isupper()),
    ]
    text = rng.choices(forms, weights=[5, 5, 5, 2, 2, 1, 1])[0]
    if casing == "lower":
        return text.lower()
    if casing == "upper":
        return text.upper()
    return text
