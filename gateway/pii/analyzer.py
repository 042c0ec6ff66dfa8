"""The PII analyzer: one Presidio ``AnalyzerEngine`` built at start-up, applied with a tenant's rules.

``PiiAnalyzer.analyze`` is the single detection path: the redact stage, the response scan and
``bulwark pii scan`` all call it, so what the CLI reports is exactly what the gateway redacts.
It is deterministic: the same text and rules always give the same findings in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer

from gateway.pii import entity_types as et
from gateway.pii.false_positives import (
    is_clinical_term,
    is_field_key,
    is_implausible_name,
    is_street_drug_name,
    load_regions,
    trim_label_words,
)
from gateway.pii.identifier_after_name import BRACKETED_ID_SCORE, identifiers_after_names
from gateway.pii.name_propagation import PROPAGATED_SCORE, propagated_names
from gateway.pii.ner_gate import NerGate
from gateway.pii.nlp_engine import DEFAULT_SPACY_MODEL, LeanSpacyNlpEngine
from gateway.pii.place_names import load_place_names
from gateway.pii.recognizers.address import address_recognizers
from gateway.pii.recognizers.contact import contact_recognizers
from gateway.pii.recognizers.csv_columns import CsvColumnRecognizer
from gateway.pii.recognizers.finance import finance_recognizers
from gateway.pii.recognizers.first_names import FirstNameRecognizer, load_first_names
from gateway.pii.recognizers.health import health_recognizers
from gateway.pii.recognizers.identity import identity_recognizers
from gateway.pii.recognizers.introduced_names import introduced_name_recognizer
from gateway.pii.recognizers.known_places import KnownPlaceRecognizer
from gateway.pii.recognizers.names import name_recognizers
from gateway.pii.recognizers.places import PlaceRecognizer
from gateway.pii.recognizers.record_fields import RecordFieldRecognizer
from gateway.pii.recognizers.spoken_names import SpokenNameRecognizer
from gateway.pii.recognizers.unknown_names import UnknownNamePairRecognizer
from gateway.pii.rules import Direction, PiiRules
from gateway.pii.tenant_terms import tenant_findings

_NER_RECOGNIZER = "SpacyNer"
# Below every pattern score, so a labelled name wins the merge; above the default min_score.
NER_SCORE = 0.55
# How much text after a NER span is read to tell "Parkinson's disease" from "Parkinson, Mary".
_FOLLOWING_WINDOW = 24


@dataclass(frozen=True, order=True)
class Finding:
    start: int
    end: int
    entity_type: str
    score: float
    source: str = ""

    def as_json(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "type": self.entity_type, "score": self.score}


class _PatternContextOnly(ContextAwareEnhancer):
    """Our recognizers match their context words inside their own patterns, so Presidio's lemma-based
    enhancer has nothing to add; the stock one still deep-copies every result list (~0.4 ms a call)."""

    def __init__(self) -> None:
        super().__init__(0.0, 0.0, 0, 0)

    def enhance_using_context(
        self, text: str, raw_results: list[RecognizerResult], *args: Any, **kwargs: Any
    ) -> list[RecognizerResult]:
        return raw_results


class PiiAnalyzer:
    """Owns the Presidio engine and the spaCy model; safe to call from several threads."""

    def __init__(self, spacy_model: str = DEFAULT_SPACY_MODEL) -> None:
        self._nlp_engine = LeanSpacyNlpEngine(spacy_model)
        self._nlp_engine.load()
        first_names = load_first_names()
        self._gate = NerGate(self._nlp_engine.lexicon, first_names)
        self._regions = load_regions()
        recognizers = [
            *name_recognizers(),
            introduced_name_recognizer(self._nlp_engine.common_words),
            FirstNameRecognizer(first_names, self._regions | self._nlp_engine.stop_words),
            UnknownNamePairRecognizer(self._nlp_engine.lexicon, self._regions),
            *address_recognizers(),
            *health_recognizers(),
            *finance_recognizers(),
            *identity_recognizers(),
            *contact_recognizers(),
            RecordFieldRecognizer(),
            CsvColumnRecognizer(),
            SpokenNameRecognizer(self._nlp_engine.lexicon, first_names),
            PlaceRecognizer(self._regions),
            KnownPlaceRecognizer(load_place_names(), self._nlp_engine.common_words, self._regions),
        ]
        registry = RecognizerRegistry(recognizers=recognizers, supported_languages=["en"])
        self._engine = AnalyzerEngine(
            registry=registry,
            nlp_engine=self._nlp_engine,
            supported_languages=["en"],
            context_aware_enhancer=_PatternContextOnly(),
        )
        self._entities = sorted({e for r in recognizers for e in r.supported_entities})
        self._types = sorted({*self._entities, et.PERSON, et.LOCATION})
        self.spacy_model = spacy_model

    @property
    def entity_types(self) -> list[str]:
        return list(self._types)

    def analyze(self, text: str, rules: PiiRules, direction: Direction = "request") -> list[Finding]:
        """Findings of the types ``rules`` act on in ``direction``; allowed types are not looked for."""
        wanted = set(rules.wanted_types(self._types, direction))
        if not text.strip() or not wanted:
            return []
        entities = [e for e in self._entities if e in wanted]
        results = (
            self._engine.analyze(text=text, language="en", entities=entities, score_threshold=0.0)
            if entities
            else []
        )
        findings = sorted(_finding(result) for result in results)
        if wanted & {et.PERSON, et.LOCATION}:
            windows = self._gate.windows(text, [(f.start, f.end) for f in findings])
            for start, end, entity_type in self._nlp_engine.entities(text, windows):
                ner = _trimmed(text, Finding(start, end, entity_type, NER_SCORE, _NER_RECOGNIZER))
                if (
                    ner.end > ner.start
                    and not _is_false_positive(text, ner, self._regions)
                    and not self._gate.is_ordinary_opener(text, ner.start, ner.end)
                ):
                    findings.append(ner)
        findings.extend(tenant_findings(text, rules))
        findings = [f for f in findings if f.entity_type in wanted]
        kept = [
            f
            for f in findings
            if f.score >= rules.min_score_for(f.entity_type)
            and not rules.is_allowed_term(text[f.start : f.end])
            and not (f.entity_type == et.PERSON and is_street_drug_name(text[f.start : f.end]))
        ]
        if et.PERSON in wanted:
            spans = [(f.start, f.end, f.entity_type) for f in kept]
            kept += [
                Finding(start, end, et.PERSON, PROPAGATED_SCORE, "NamePropagation")
                for start, end in propagated_names(text, spans, self._nlp_engine.lexicon)
                if not rules.is_allowed_term(text[start:end])
            ]
        if (
            et.MEDICAL_RECORD_NUMBER in wanted
            and rules.min_score_for(et.MEDICAL_RECORD_NUMBER) <= BRACKETED_ID_SCORE
        ):
            spans = [(f.start, f.end, f.entity_type) for f in kept]
            kept += [
                Finding(start, end, et.MEDICAL_RECORD_NUMBER, BRACKETED_ID_SCORE, "IdentifierAfterName")
                for start, end in identifiers_after_names(text, spans)
            ]
        return merge_overlapping(kept)


def _finding(result: RecognizerResult) -> Finding:
    source = str(result.recognition_metadata.get(RecognizerResult.RECOGNIZER_NAME_KEY, ""))
    return Finding(result.start, result.end, result.entity_type, round(result.score, 4), source)


def _trimmed(text: str, finding: Finding) -> Finding:
    """spaCy entities can end in whitespace or swallow a label ("John  MRN"); keep only the value."""
    start, end = trim_label_words(text, finding.start, finding.end)
    return Finding(start, end, finding.entity_type, finding.score, finding.source)


def _is_false_positive(text: str, finding: Finding, regions: frozenset[str]) -> bool:
    value = text[finding.start : finding.end]
    if is_field_key(text, finding.start, finding.end):
        return True  # "| Card | 5168 ..." or "Login IP: ...": the key of a field, not a name
    if finding.entity_type == et.LOCATION and value.casefold().removeprefix("the ") in regions:
        return True  # a country or state identifies nobody; cities and streets stay redacted
    following = text[finding.end : finding.end + _FOLLOWING_WINDOW]
    return is_implausible_name(value) or is_clinical_term(value, following)


def merge_overlapping(findings: list[Finding]) -> list[Finding]:
    """Union overlapping findings: redacting the union never leaks the part one recognizer missed.

    The merged span keeps the type of its strongest member (score, then length, then name) so the
    result does not depend on the order recognizers ran in.
    """
    merged: list[Finding] = []
    group: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.start, -f.end, f.entity_type)):
        if group and finding.start >= max(f.end for f in group):
            merged.append(_merge_group(group))
            group = []
        group.append(finding)
    if group:
        merged.append(_merge_group(group))
    return merged


def _merge_group(group: list[Finding]) -> Finding:
    best = max(group, key=lambda f: (f.score, f.end - f.start, f.entity_type))
    start = min(f.start for f in group)
    end = max(f.end for f in group)
    return Finding(start, end, best.entity_type, best.score, best.source)
