"""The city and town names ``KnownPlaceRecognizer`` looks for, derived from libphonenumber's geocoder.

libphonenumber (already installed with Presidio) describes every area code with the place it serves:
"Coeur d'Alene, ID", "Muzaffarpur, Bihar", "Dourados - MS", "Kalasin/Khon Kaen". Those are some 36,000
real cities and towns across every numbering plan, without downloading anything. Importing the geocoder
costs ~100 MB per process, so the names are extracted once into ``data/place_names.txt``:

    python -m gateway.pii.place_names
"""

from __future__ import annotations

import re
from pathlib import Path

PLACE_NAMES_FILE = Path(__file__).resolve().parent / "data" / "place_names.txt"
_REGION_SUFFIX = re.compile(r", | - ")
_HEADER = "# Cities and towns named by libphonenumber's geocoder (python -m gateway.pii.place_names)."
MIN_LETTERS = 3


def geocoder_place_names() -> list[str]:
    from phonenumbers.geodata import GEOCODE_DATA

    names: set[str] = set()
    for descriptions in GEOCODE_DATA.values():
        english = descriptions.get("en")
        if not english:
            continue
        for name in _REGION_SUFFIX.split(english)[0].split("/"):
            name = name.strip()
            if sum(ch.isalpha() for ch in name) >= MIN_LETTERS:
                names.add(name)
    return sorted(names)


def load_place_names(path: Path = PLACE_NAMES_FILE) -> frozenset[str]:
    """Casefolded place names, one per line in ``path``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.casefold() for line in lines if line and not line.startswith("#"))


def main() -> None:
    PLACE_NAMES_FILE.write_text("\n".join([_HEADER, *geocoder_place_names()]) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
