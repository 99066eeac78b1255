"""A learned sentence classifier for writing-machine meta-text, beside the pattern families.

The patterns catch the phrasings someone wrote down; this catches the ones nobody did ("The
precise figure is not spelled out in the material I was given", "I kept strictly to the supplied
notes, so treat the numbers with care"). It works in two steps:

1. a logistic regression over hashed word 1-3-grams and character 3-5-grams of the sentence
   (pure numpy, well under a millisecond a sentence) lets through the few sentences that may be
   meta-text, about one news sentence in a hundred;
2. a small network (one hidden layer) over those sentences' embeddings by the shipped sentence
   encoder, plus the first step's score, decides. The encoder's semantics carries to new
   phrasings; the first step keeps its cost to a sentence or two per story.

Both live in one small file (``models/machine_text_classifier.npz``), trained by
``python -m training.train_machine_text``. Quoted passages are masked before scoring, as the
patterns skip them: a story may quote a chatbot.
"""

from __future__ import annotations

import functools
import itertools
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from copydesk.errors import ModelMissingError
from copydesk.models import MODEL_DIR
from copydesk.patterns.prefilter import APOSTROPHES

if TYPE_CHECKING:
    from copydesk.protocols import Encoder

__all__ = [
    "MODEL_FILE",
    "SentenceClassifier",
    "features",
    "load_classifier",
    "mask_quotes",
    "newsroom_hedge",
    "prepare",
    "shape",
]

MODEL_FILE = "machine_text_classifier.npz"
DIMENSION = 1 << 17
_CHAR_GRAMS = (3, 4, 5)
LOGIT_SCALE = 10.0  # the n-gram logit enters the head on the scale of an embedding's components

# The quotations the pattern matcher skips (see checkers/machine_text.py), masked to one token.
_QUOTED = re.compile(
    r'"[^"\n]*(?:"|(?=\n)|\Z)'
    r"|“[^“”]{0,3000}?(?:”|(?=\n)|\Z)"
    r"|‘(?:[^‘’\n]|’(?=[A-Za-z]))*’(?![A-Za-z])"
    r"|(?<![\w'])'(?:[^'\n.!?]|'(?=\w)){1,200}'(?!\w)"
)
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+|[^\w\s]")
_DIGITS = re.compile(r"\d+")
# The shape of an unfilled template slot, whatever its words: "[Name]", "{{city}}", "<DATE>", "XX".
_SLOT = re.compile(
    r"\[[^\]\n]{1,40}\]|\{\{?\s*\w[\w ]{0,30}\}?\}|<[A-Za-z][\w ]{0,30}>|\b(?:XX+|TBD|TBC|TK)\b"
)


def prepare(sentence: str) -> str:
    """The sentence as the model reads it: quotes masked, lower case, straight apostrophes, digits 0."""
    text = _QUOTED.sub(' "quote" ', sentence.translate(APOSTROPHES))
    return _DIGITS.sub("0", " ".join(text.lower().split()))


def features(sentence: str, topics: bool = True) -> np.ndarray:
    """The hashed feature indices of one sentence, sorted and unique (``topics``: with the topic
    cues, which models trained before 2 December 2026 lack)."""
    text = prepare(sentence)
    tokens = _TOKEN.findall(text)
    names = ["s slot"] * bool(_SLOT.search(sentence))
    names += [f"q {name}" for name, cue in _TOPIC_CUES if topics and cue.search(text)]
    padded = ["<s>", *tokens, "</s>"]
    names += [f"b {a} {b}" for a, b in itertools.pairwise(padded)]
    names += [f"t {a} {b} {c}" for a, b, c in zip(padded, padded[1:], padded[2:], strict=False)]
    hashes = [_hash(name) for name in names]
    for token in tokens:
        hashes.extend(_token_hashes(token))
    return np.unique(np.array(hashes, dtype=np.int64))


def _hash(name: str) -> int:
    return zlib.crc32(name.encode()) % DIMENSION


@functools.lru_cache(maxsize=1 << 16)
def _token_hashes(token: str) -> tuple[int, ...]:
    """The token's own feature and its character n-grams: most of the work, and words repeat."""
    names = [f"w {token}"]
    if token.isalpha() and len(token) > 3:
        word = f"<{token}>"
        names += [f"c {word[i : i + n]}" for n in _CHAR_GRAMS for i in range(len(word) - n + 1)]
    return tuple(_hash(name) for name in names)


def mask_quotes(sentence: str) -> str:
    """The sentence with its quoted passages replaced by ``"..."``, as the encoder reads it."""
    return _QUOTED.sub('"..."', sentence.translate(APOSTROPHES))


# What the sentence talks about, by words that carry across phrasings (on the text as `prepare`
# gives it): the material the writing machine was given ("the supplied notes", "the documents you
# shared", "search results"), the person who asked for the text ("you'd like me to", "if you
# want"), and the text itself as a thing made ("the article above", "this draft", "my last
# version"). Each is both a hashed feature of the first step and an input of the second.
_MATERIAL_NOUN = (
    r"(?:sources?|documents?|notes|passages?|excerpts?|snippets?|results|texts?|articles?|materials?|"
    r"files|clippings|extracts|transcripts|links|context|information|data|content|input|prompt|"
    r"reference(?:s| material| texts?)?)"
)
_TOPIC_CUES = (
    (
        "material",
        re.compile(
            r"\b(?:the|these|those|your|my)\s+(?:\w+\s+)?(?:provided|supplied|given|attached|pasted|"
            r"shared|retrieved|uploaded|enclosed)\s+" + _MATERIAL_NOUN + r"\b"
            r"|\b" + _MATERIAL_NOUN + r"\s+(?:(?:that\s+)?(?:you|i)\s+(?:were\s+|was\s+|have\s+|had\s+)?"
            r"(?:provided|gave|given|shared|sent|supplied|pasted|attached|handed|received|found)|"
            r"(?:provided|supplied|given)\s*(?:[.,;:]|$)|in the prompt|above)\b"
            r"|\b(?:search|web|browsing) results\b|\b(?:the|this) (?:prompt|input text|source text)\b"
        ),
    ),
    (
        "requester",
        re.compile(
            r"\b(?:you(?:'d| would)? (?:like|want|need|prefer|asked|requested|wish)|me to|if you(?:'d)? "
            r"(?:like|want|wish|prefer|need)|let me know|as (?:you )?requested|your (?:request|brief|notes|"
            r"instructions))\b"
        ),
    ),
    (
        "artifact",
        re.compile(
            r"\b(?:this|the|my|that|your) (?:article|story|piece|draft|write-up|summary|report|version|"
            r"text|copy|answer|reply|response)\s+(?:above|below|that follows|i (?:wrote|sent|gave))\b"
            r"|\b(?:above|below|following|earlier|previous|last|revised|updated|rewritten) "
            r"(?:article|draft|version|answer|reply|response|message)\b"
            r"|\b(?:this|my) draft\b(?! (?:law|bill|report|resolution|budget|legislation|agreement|rules?))"
        ),
    ),
)

# Cues of a sentence's shape the head reads beside the embedding (on the sentence as `prepare`
# gives it, quotes masked): who is addressed or speaking, a question, a slot, the length.
_SHAPE_CUES = (
    re.compile(r"\byou(?:r|rs|'re|'ll|'d|'ve)?\b"),
    re.compile(r"\b(?:i|me|my|i'm|i've|i'd|i'll)\b"),
    re.compile(r"\b(?:we|us|our)\b"),
    re.compile(r"\?\s*$"),
    *(cue for _, cue in _TOPIC_CUES),
)
SHAPE_SIZE = 1 + len(_SHAPE_CUES) + 1

# The newsroom's own hedges ("declined to comment", "could not be reached", "did not immediately
# respond", "details were not disclosed", "it is not clear whether", "could not be independently
# verified") are never flagged, whatever the model scores: a sentence built on one of them, in
# which nobody says "I" or "you" and nothing is said about the material given, the person who
# asked or the text as a thing made, gets no classifier finding. The int8 encoder scores a
# sentence a little differently in a batch of one than among others, and these are the sentences
# an editor must never see flagged. Checked on the text as `prepare` gives it (quotes masked).
_NEWSROOM_HEDGE = re.compile(
    r"\b(?:declined|refused|would not|wouldn't) to (?:comment|say|elaborate|discuss|confirm)\b"
    r"|\bdeclined (?:to comment|comment|requests? for comment)\b"
    r"|\bcould not (?:immediately )?be reached\b"
    r"|\b(?:did|has|have|had) not (?:yet )?(?:immediately )?"
    r"(?:respond|responded|return|returned|replied|reply)\b"
    r"|\b(?:was|were|is|are|has|have|had) (?:not|never) (?:been )?(?:disclosed|made public|released)\b"
    r"|\bit(?: is|'s| was| remains| remained) (?:not (?:yet |immediately )?(?:clear|known)|unclear) "
    r"(?:whether|if|how|what|when|why|who|where|which)\b"
    r"|\b(?:could not|cannot|can't|was unable to|were unable to|(?:has|have) not been able to) "
    r"(?:be )?independently (?:verif|confirm)"
)
_FIRST_OR_SECOND_PERSON = re.compile(r"\b(?:i|me|my|i'm|i've|i'd|i'll|you|your|you're|you'd)\b")


def newsroom_hedge(sentence: str) -> bool:
    """Whether the sentence is one of the newsroom's own hedges, which the classifier never flags."""
    text = prepare(sentence)
    return bool(
        _NEWSROOM_HEDGE.search(text)
        and not _FIRST_OR_SECOND_PERSON.search(text)
        and not any(cue.search(text) for _, cue in _TOPIC_CUES)
    )


_LEGACY_SHAPE_SIZE = SHAPE_SIZE - len(_TOPIC_CUES)  # a model file from before the topic cues


def shape(sentences: Sequence[str], topics: bool = True) -> np.ndarray:
    """(len(sentences), SHAPE_SIZE): an unfilled slot, the cues above (who is addressed or speaking,
    a question, what the sentence talks about), log length in words / 3."""
    cues = _SHAPE_CUES if topics else _SHAPE_CUES[: len(_SHAPE_CUES) - len(_TOPIC_CUES)]
    out = np.zeros((len(sentences), len(cues) + 2), dtype=np.float32)
    for row, sentence in enumerate(sentences):
        text = prepare(sentence)
        out[row, 0] = bool(_SLOT.search(sentence))
        out[row, 1:-1] = [bool(cue.search(text)) for cue in cues]
        out[row, -1] = np.log1p(len(text.split())) / 3
    return out


@dataclass(frozen=True)
class SentenceClassifier:
    """P(a sentence is the writing machine talking about its work, not news)."""

    ngram_weights: np.ndarray  # (DIMENSION,) float32
    ngram_bias: float
    gate: float
    """Sentences whose n-gram probability is below this never reach the encoder."""
    hidden_weights: np.ndarray  # (encoder dimension + 1 + SHAPE_SIZE, hidden): embedding, n-gram logit, shape
    hidden_bias: np.ndarray  # (hidden,)
    head_weights: np.ndarray  # (hidden,)
    head_bias: float
    threshold_logit: float
    """A sentence whose final logit reaches this is flagged (a logit: the strict thresholds this
    model needs lie where float32 probabilities are all 1.0)."""
    topic_cues: bool = True
    """Whether the model reads the topic cues (False for a file trained before them)."""

    @property
    def threshold(self) -> float:
        return float(1.0 / (1.0 + np.exp(-min(self.threshold_logit, 60.0))))

    def ngram_logits(self, sentences: Sequence[str]) -> np.ndarray:
        out = np.full(len(sentences), -30.0, dtype=np.float32)
        for row, sentence in enumerate(sentences):
            index = features(sentence, self.topic_cues)
            if len(index):
                out[row] = self.ngram_bias + float(self.ngram_weights[index].sum()) / np.sqrt(len(index))
        return out

    def head_logits(self, vectors: np.ndarray, ngram_logits: np.ndarray, shapes: np.ndarray) -> np.ndarray:
        inputs = np.hstack(
            [vectors.astype(np.float32), ngram_logits.reshape(-1, 1) / LOGIT_SCALE, shapes.astype(np.float32)]
        )
        hidden = np.maximum(inputs @ self.hidden_weights + self.hidden_bias, 0.0)
        return (hidden @ self.head_weights + self.head_bias).astype(np.float64)

    def logits(self, sentences: Sequence[str], encoder: Encoder) -> np.ndarray:
        """Final logits, one per sentence; -inf for those the n-gram step stops (or the encoder failed
        on) and for the newsroom's own hedges (:func:`newsroom_hedge`)."""
        sentences = list(sentences)
        out = np.full(len(sentences), -np.inf)
        ngram = self.ngram_logits(sentences)
        gated = np.flatnonzero(_sigmoid(ngram) >= self.gate)
        candidates = np.array([i for i in gated if not newsroom_hedge(sentences[i])], dtype=int)
        if len(candidates):
            chosen = [sentences[i] for i in candidates]
            vectors = encoder.encode([mask_quotes(s) for s in chosen])
            # an encoder that could not run gives NaN rows: those sentences are never flagged
            out[candidates] = np.nan_to_num(
                self.head_logits(vectors, ngram[candidates], shape(chosen, self.topic_cues)), nan=-np.inf
            )
        return out

    def score(self, sentences: Sequence[str], encoder: Encoder) -> np.ndarray:
        """Probabilities, one per sentence; 0 for those the n-gram step stops."""
        return _sigmoid(self.logits(sentences, encoder))

    def flags(self, sentences: Sequence[str], encoder: Encoder) -> np.ndarray:
        return self.logits(sentences, encoder) >= self.threshold_logit

    def save(self, path: Path | str) -> None:
        np.savez_compressed(
            path,
            ngram_weights=self.ngram_weights.astype(np.float16),
            ngram_bias=np.float32(self.ngram_bias),
            gate=np.float32(self.gate),
            hidden_weights=self.hidden_weights.astype(np.float16),
            hidden_bias=self.hidden_bias.astype(np.float32),
            head_weights=self.head_weights.astype(np.float32),
            head_bias=np.float32(self.head_bias),
            threshold_logit=np.float64(self.threshold_logit),
            dimension=np.int64(DIMENSION),
            shape_size=np.int64(SHAPE_SIZE if self.topic_cues else _LEGACY_SHAPE_SIZE),
        )


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -60.0, 60.0)))


@functools.lru_cache(maxsize=2)
def load_classifier(path: Path | str | None = None) -> SentenceClassifier:
    """The shipped classifier (cached); raises ModelMissingError when its file is missing."""
    path = Path(path) if path else MODEL_DIR / MODEL_FILE
    if not path.is_file():
        raise ModelMissingError(
            f"{path} is missing; rebuild it with `python -m training.train_machine_text` "
            "or reinstall copydesk, whose package ships it"
        )
    with np.load(path) as data:
        if (
            int(data["dimension"]) != DIMENSION
            or "shape_size" not in data
            or int(data["shape_size"]) not in (SHAPE_SIZE, _LEGACY_SHAPE_SIZE)
        ):
            raise ModelMissingError(f"{path} was trained for another feature size; retrain it")
        return SentenceClassifier(
            ngram_weights=data["ngram_weights"].astype(np.float32),
            ngram_bias=float(data["ngram_bias"]),
            gate=float(data["gate"]),
            hidden_weights=data["hidden_weights"].astype(np.float32),
            hidden_bias=data["hidden_bias"].astype(np.float32),
            head_weights=data["head_weights"].astype(np.float32),
            head_bias=float(data["head_bias"]),
            threshold_logit=float(data["threshold_logit"]),
            topic_cues=int(data["shape_size"]) == SHAPE_SIZE,
        )
