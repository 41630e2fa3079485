"""The extractor reads English only: a cheap check so that other languages fail clearly, not silently.

The share of a text's words that are common English function words: English prose is far above
the threshold, other languages (and random bytes that happen to be valid UTF-8) far below.
"""

from __future__ import annotations

from kg.errors import ArticleError
from kg.model import Article

_ENGLISH_STOPWORDS = frozenset(
    "the of and to in a is that for on with as was by at from it he said his are be has have had not but "
    "this were which an its they their been or who will would also after over more than into about".split()
)
# Function words of the languages most often mistaken for English input (Spanish, French, German,
# Portuguese, Italian), minus those that are English words too.
_FOREIGN_STOPWORDS = frozenset(
    "el la los las del que y en un una por con para es se al lo como más pero sus le les des du et est une "
    "dans pour pas qui sur au der das und ist nicht mit dem ein eine zu von im auf für sich os um uma não "
    "com il di che è della delle sono".split()
)
_MIN_ENGLISH_SHARE = 0.15


def looks_english(text: str) -> bool:
    """True unless the text is clearly another language (or no language at all).

    Short, name-heavy English ("US Secretary of State Antony Blinken met Israeli Prime Minister
    Benjamin Netanyahu") has few English function words, so a low English share alone refuses a text
    only when it is long; otherwise the text must show more foreign than English function words.
    """
    words = [w.strip(".,;:!?\"'()[]“”‘’«»").lower() for w in text.split()[:2000]]
    words = [w for w in words if w]
    if len(words) < 8:
        return True  # too short to judge: let it through
    english = sum(1 for w in words if w in _ENGLISH_STOPWORDS) / len(words)
    foreign = sum(1 for w in words if w in _FOREIGN_STOPWORDS) / len(words)
    if foreign > english:
        return False
    return len(words) < 40 or english >= _MIN_ENGLISH_SHARE


def require_english(article: Article, label: str | None = None) -> None:
    if not looks_english(article.body):
        raise ArticleError(f"{label or article.id}: not English (the extractor reads English text only)")
