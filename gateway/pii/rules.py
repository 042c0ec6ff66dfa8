"""The PII part of a tenant policy (embedded by the policy schema as field ``pii``).

Strict by default: every detected entity is replaced before anything reaches the engine, and anything
the model writes that looks like PII is redacted on the way back. A tenant loosens this per entity type.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

import regex
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gateway.pii import entity_types as et
from gateway.pii.entity_types import BUILTIN_ENTITY_TYPES, DENY_LIST

Direction = Literal["request", "response"]
ENTITY_TYPE_PATTERN = r"^[A-Z][A-Z0-9_]{1,39}$"
# Bounds a tenant-supplied regex: a policy file must not be able to stall the analyzer.
MAX_CUSTOM_PATTERN_LENGTH = 300


class PiiAction(StrEnum):
    ALLOW = "allow"  # leave the text as it is
    REDACT = "redact"  # "<PERSON>"
    MASK = "mask"  # keep the last 4 characters: "*******6789"
    PSEUDONYMIZE = "pseudonymize"  # "<PERSON_3f9a2c>", stable per tenant, restorable for the same key
    BLOCK = "block"  # refuse the request (400) naming the entity types, never the values
    # Detect and count (audit ``pii_counts`` as "TYPE" and "TYPE:shadow") but forward the text unchanged:
    # a site measures what a rule would do before it enforces it.
    SHADOW = "shadow"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EntityRule(_Strict):
    request: PiiAction = PiiAction.PSEUDONYMIZE
    response: PiiAction = PiiAction.REDACT
    # Findings scoring below this are ignored for this type (None: the policy-wide min_score).
    min_score: float | None = Field(default=None, ge=0.0, le=1.0)

    def action(self, direction: Direction) -> PiiAction:
        return self.request if direction == "request" else self.response


class DenyTerm(_Strict):
    term: str = Field(min_length=2, max_length=200)
    entity_type: str = Field(default=DENY_LIST, pattern=ENTITY_TYPE_PATTERN)


class CustomRecognizer(_Strict):
    """A tenant's own identifier, e.g. an internal case number: ``CASE-\\d{6}`` near "case"."""

    entity_type: str = Field(pattern=ENTITY_TYPE_PATTERN)
    patterns: list[str] = Field(min_length=1, max_length=20)
    score: float = Field(default=0.6, ge=0.0, le=1.0)
    # A context word within ``context_window`` characters before a match raises its score to 0.95.
    context: list[str] = Field(default_factory=list, max_length=50)
    context_window: int = Field(default=40, ge=1, le=200)

    @field_validator("patterns")
    @classmethod
    def _compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            if len(pattern) > MAX_CUSTOM_PATTERN_LENGTH:
                raise ValueError(f"pattern longer than {MAX_CUSTOM_PATTERN_LENGTH} characters")
            try:
                regex.compile(pattern)  # the engine tenant_terms runs them on
            except regex.error as error:
                raise ValueError(f"invalid regular expression: {error}") from None
        return patterns


# Bank identifiers name an institution, not a person (a routing number or BIC is printed on every
# cheque of a branch): detectable, but only acted on when a policy names the type under ``entities``.
OFF_UNLESS_NAMED = frozenset({et.ABA_ROUTING_NUMBER, et.SWIFT_CODE})
_OFF = EntityRule(request=PiiAction.ALLOW, response=PiiAction.ALLOW)


class PiiRules(_Strict):
    # "shadow": every rule that would change or refuse text only detects and counts (a tenant-wide
    # monitor-only roll-out); "enforce": the actions apply as written.
    mode: Literal["enforce", "shadow"] = "enforce"
    # Applies to every entity type the ``entities`` map does not name.
    default_rule: EntityRule = EntityRule()
    entities: dict[str, EntityRule] = Field(default_factory=dict)
    min_score: float = Field(default=0.4, ge=0.0, le=1.0)
    # Exact terms (case-insensitive) that are never treated as PII, e.g. the hospital's own name.
    allow_terms: list[str] = Field(default_factory=list, max_length=1000)
    # Terms that are always PII wherever they appear, e.g. a VIP patient's nickname.
    deny_terms: list[DenyTerm] = Field(default_factory=list, max_length=1000)
    custom_recognizers: list[CustomRecognizer] = Field(default_factory=list, max_length=50)
    # Most characters one request may send through analysis (all its texts together); more is refused
    # (413) before any work, so analysis time per request stays bounded.
    max_input_chars: int = Field(default=500_000, gt=0, le=10_000_000)

    @model_validator(mode="after")
    def _known_entity_types(self) -> PiiRules:
        known = BUILTIN_ENTITY_TYPES | self.custom_types()
        unknown = sorted(set(self.entities) - known)
        if unknown:
            raise ValueError(f"unknown PII entity types: {', '.join(unknown)}")
        return self

    @classmethod
    def default(cls) -> PiiRules:
        """The strict default used when a tenant's policy says nothing about PII."""
        return cls()

    def custom_types(self) -> set[str]:
        return {r.entity_type for r in self.custom_recognizers} | {t.entity_type for t in self.deny_terms}

    def rule_for(self, entity_type: str) -> EntityRule:
        if entity_type in self.entities:
            return self.entities[entity_type]
        return _OFF if entity_type in OFF_UNLESS_NAMED else self.default_rule

    def action_for(self, entity_type: str, direction: Direction) -> PiiAction:
        action = self.rule_for(entity_type).action(direction)
        if self.mode == "shadow" and action is not PiiAction.ALLOW:
            return PiiAction.SHADOW
        return action

    def wanted_types(self, known: list[str], direction: Direction) -> list[str]:
        """The types analysis must look for: an ``allow`` rule costs no detection work at all."""
        types = sorted({*known, *self.custom_types()})
        return [t for t in types if self.action_for(t, direction) is not PiiAction.ALLOW]

    def min_score_for(self, entity_type: str) -> float:
        rule_score = self.rule_for(entity_type).min_score
        return self.min_score if rule_score is None else rule_score

    def is_allowed_term(self, text: str) -> bool:
        folded = text.strip().casefold()
        return any(folded == term.strip().casefold() for term in self.allow_terms)
