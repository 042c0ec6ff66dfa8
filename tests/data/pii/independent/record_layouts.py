"""Ways of laying labelled fields out as text: key/value lines, pipe tables, CSV."""

from __future__ import annotations

import random

from tests.data.pii.independent.document import DocumentBuilder

Field = tuple[str, str, str | None]  # (label, value, entity type or None for a distractor)


def _value(builder: DocumentBuilder, value: str, entity_type: str | None) -> None:
    if entity_type is None:
        builder.add(value)
    else:
        builder.pii(value, entity_type)


def key_value(builder: DocumentBuilder, fields: list[Field], rng: random.Random) -> None:
    separator = rng.choice([": ", ":\t", " = ", " - ", ":  "])
    for label, value, entity_type in fields:
        builder.add(f"{label}{separator}")
        _value(builder, value.replace("\n", ", "), entity_type)
        builder.add("\n")


def pipe_table(builder: DocumentBuilder, fields: list[Field], rng: random.Random) -> None:
    builder.add("| field | value |\n|---|---|\n")
    for label, value, entity_type in fields:
        builder.add(f"| {label} | ")
        _value(builder, value.replace("\n", ", "), entity_type)
        builder.add(" |\n")


def csv_rows(builder: DocumentBuilder, header: list[str], rows: list[list[Field]]) -> None:
    builder.add(",".join(header) + "\n")
    for row in rows:
        for index, (_, value, entity_type) in enumerate(row):
            builder.add("," if index else "")
            quoted = "," in value
            builder.add('"' if quoted else "")
            _value(builder, value, entity_type)
            builder.add('"' if quoted else "")
        builder.add("\n")
