"""Phone numbers, e-mail addresses (plain and obfuscated), IP addresses and dates in many written forms."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

from tests.data.pii.independent.identifiers import digits
from tests.data.pii.independent.names import Name

_US_AREAS = ["312", "415", "617", "206", "404", "713", "503", "919", "614", "732", "208", "505", "813"]


def phone(rng: random.Random) -> str:
    area, ex, line = rng.choice(_US_AREAS), rng.choice("23456789") + digits(rng, 2), digits(rng, 4)
    forms = [
        f"({area}) {ex}-{line}",
        f"{area}-{ex}-{line}",
        f"{area}.{ex}.{line}",
        f"+1 {area} {ex} {line}",
        f"1-{area}-{ex}-{line}",
        f"+1 ({area}) {ex}-{line}",
        f"{area}{ex}{line}",
        f"+44 20 7946 {digits(rng, 4)}",
        f"07700 9{digits(rng, 5)}",
        f"0113 496 {digits(rng, 4)}",
        f"+91 98{digits(rng, 3)} {digits(rng, 5)}",
        f"+234 803 {digits(rng, 3)} {digits(rng, 4)}",
        f"0803 {digits(rng, 3)} {digits(rng, 4)}",
        f"+49 30 {digits(rng, 8)}",
        f"+33 6 {digits(rng, 2)} {digits(rng, 2)} {digits(rng, 2)} {digits(rng, 2)}",
        f"+55 11 9{digits(rng, 4)}-{digits(rng, 4)}",
        f"+86 138 {digits(rng, 4)} {digits(rng, 4)}",
        f"+84 912 {digits(rng, 3)} {digits(rng, 3)}",
        f"+48 601 {digits(rng, 3)} {digits(rng, 3)}",
        f"+353 87 {digits(rng, 3)} {digits(rng, 4)}",
    ]
    number = rng.choices(forms, weights=[4, 4, 2, 2, 1, 1, 1] + [1] * 13)[0]
    if rng.random() < 0.12:
        number += rng.choice([" ext. ", " x", " ext ", ", ext. ", " extension "]) + digits(
            rng, rng.choice([3, 4])
        )
    return number


_DOMAINS = [
    "gmail.com",
    "outlook.com",
    "yahoo.co.uk",
    "proton.me",
    "web.de",
    "hotmail.fr",
    "rediffmail.com",
    "icloud.com",
    "mail.ru",
    "comcast.net",
    "btinternet.com",
    "uol.com.br",
    "wp.pl",
]


def _ascii(word: str) -> str:
    folded = unicodedata.normalize(
        "NFKD", word.replace("ł", "l").replace("Ł", "L").replace("đ", "d").replace("Đ", "D")
    )
    return "".join(c for c in folded if c.isalnum() and c.isascii()).lower()


def email(rng: random.Random, name: Name, obfuscate: bool = False) -> str:
    given, family = _ascii(name.given), _ascii(name.family)
    local = rng.choice(
        [
            f"{given}.{family}",
            f"{given[0]}{family}{rng.randint(1, 99)}",
            f"{given}_{family}",
            f"{family}.{given}",
            f"{given}{rng.randint(1960, 2005)}",
        ]
    )
    domain = rng.choice(_DOMAINS)
    if not obfuscate:
        return f"{local}@{domain}"
    style = rng.choice(["words", "brackets", "parens", "caps"])
    if style == "words":
        return f"{local.replace('.', ' dot ')} at {domain.replace('.', ' dot ')}"
    if style == "brackets":
        return f"{local} [at] {domain.replace('.', ' [dot] ')}"
    if style == "parens":
        return f"{local}(at){domain}"
    return f"{local} AT {domain.replace('.', ' DOT ')}"


def ipv4(rng: random.Random) -> str:
    first = rng.choice([10, 172, 192, rng.randint(23, 223)])
    if first == 192:
        return f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def ipv6(rng: random.Random) -> str:
    groups = [f"{rng.randint(0, 0xFFFF):x}" for _ in range(8)]
    style = rng.choice(["full", "compressed", "link", "doc"])
    if style == "full":
        return ":".join(g.zfill(4) for g in ["2001", *groups[1:]])
    if style == "compressed":
        return f"2a02:{groups[1]}:{groups[2]}::{groups[3]}"
    if style == "link":
        return f"fe80::{groups[4]}:{groups[5]}ff:fe{groups[6][:2]}:{groups[7]}"
    return f"2001:db8:{groups[1]}:{groups[2]}::{groups[3]}:{groups[4]}"


def ip_address(rng: random.Random) -> str:
    return ipv4(rng) if rng.random() < 0.6 else ipv6(rng)


def random_date(rng: random.Random, start_year: int, end_year: int) -> dt.date:
    start = dt.date(start_year, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(start, dt.date(end_year, 12, 28).toordinal()))


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def render_date(rng: random.Random, date: dt.date, european: bool | None = None) -> str:
    """US, day-first European, ISO and spelled-out forms; ``european`` forces the day-first family."""
    d, m, y, month, mon = date.day, date.month, date.year, date.strftime("%B"), date.strftime("%b")
    day_first = [
        f"{d:02d}/{m:02d}/{y}",
        f"{d}.{m}.{y}",
        f"{d:02d}.{m:02d}.{y % 100:02d}",
        f"{d} {month} {y}",
        f"{_ordinal(d)} {month} {y}",
        f"{d:02d}-{mon}-{y}",
        f"{d}/{m}/{y % 100:02d}",
        f"{_ordinal(d)} of {month} {y}",
        f"{d} {mon} {y}",
        f"{d:02d}-{m:02d}-{y}",
    ]
    month_first = [
        f"{m:02d}/{d:02d}/{y}",
        f"{m}/{d}/{y}",
        f"{month} {d}, {y}",
        f"{mon} {d}, {y}",
        f"{m}/{d}/{y % 100:02d}",
        f"{mon}. {d} {y}",
        f"{month} {_ordinal(d)}, {y}",
    ]
    neutral = [f"{y}-{m:02d}-{d:02d}", f"{y}{m:02d}{d:02d}", f"{y}/{m:02d}/{d:02d}"]
    if european is True:
        return rng.choice(day_first)
    if european is False:
        return rng.choice(month_first + neutral)
    return rng.choice(day_first + month_first + neutral)


def render_datetime(rng: random.Random, date: dt.date) -> str:
    hour, minute = rng.randint(0, 23), rng.randint(0, 59)
    forms = [
        f"{date.isoformat()} {hour:02d}:{minute:02d}",
        f"{date.isoformat()}T{hour:02d}:{minute:02d}:{rng.randint(0, 59):02d}Z",
        f"{render_date(rng, date)} at {(hour % 12) or 12}:{minute:02d} {'pm' if hour >= 12 else 'am'}",
        f"{hour:02d}:{minute:02d} on {render_date(rng, date, european=True)}",
        f"{date.strftime('%d %b %Y')} {hour:02d}{minute:02d}h",
    ]
    return rng.choice(forms)


def event_compact(rng: random.Random, date: dt.date) -> str:
    """YYMMDD or YYYYMMDD, as wire and HL7 messages carry dates."""
    return date.strftime(rng.choice(["%y%m%d", "%Y%m%d"]))
