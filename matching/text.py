"""Free-text search: how words become terms, and how relevant a document is to a search's terms.

One definition for every database (it replaced PostgreSQL's tsvector and SQLite's LIKE):

- **Terms.** Text is lower-cased and split into runs of letters and digits; English stop words
  are dropped; each word is reduced to its Snowball English stem ("migrations" → "migrat"), so
  "migrate", "migrating" and "migration" find each other.
- **Matching.** A document matches a search when it holds every term of the search. Search text
  with no term left (only stop words or punctuation) matches nothing.
- **Relevance.** A document's three parts weigh differently: the account's name 10, its
  taxonomies (industry, country, products, use cases, competitors) 4, its reference story 2.
  A term's weight in a document is the sum over its occurrences of the weight of the part each is
  in; `raw` is the sum over the search's terms. The text points added to a match score are
  `(2 × text weight × raw) // (raw + 10)` — integer arithmetic, so every engine and the tests'
  reference implementation agree to the point; `raw / (raw + 10)` lies in [0, 1), like the
  normalised rank it replaced.
"""

import re
from collections import Counter
from functools import lru_cache

import Stemmer

NAME_WEIGHT = 10
TAGS_WEIGHT = 4
STORY_WEIGHT = 2
RANK_DAMPING = 10

_WORD = re.compile(r"[^\W_]+")
_STEMMER = Stemmer.Stemmer("english")

# The Snowball English stop-word list (the one PostgreSQL's "english" configuration uses).
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
    her hers herself it its itself they them their theirs themselves what which who whom this that
    these those am is are was were be been being have has had having do does did doing a an the and
    but if or because as until while of at by for with about against between into through during
    before after above below to from up down in out on off over under again further then once here
    there when where why how all any both each few more most other some such no nor not only own
    same so than too very s t can will just don should now
    """.split()
)


def terms_of(text: str) -> list[str]:
    """The terms of `text`, in order, repeats kept."""
    words = [word for word in _WORD.findall(text.lower()) if word not in STOP_WORDS]
    return [_stem(word) for word in words]


def query_terms(q: str) -> tuple[str, ...]:
    """The distinct terms a search for `q` requires, sorted."""
    return tuple(sorted(set(terms_of(q or ""))))


def document_weights(name: str, tags: str, story: str) -> dict[str, int]:
    """Each term of a document with its weight (see the module docstring)."""
    weights: Counter[str] = Counter()
    for text, weight in ((name, NAME_WEIGHT), (tags, TAGS_WEIGHT), (story, STORY_WEIGHT)):
        for term in terms_of(text or ""):
            weights[term] += weight
    return dict(weights)


def text_points(raw: int, text_weight: int) -> int:
    """What a document whose terms weigh `raw` adds to a match score."""
    return (2 * text_weight * raw) // (raw + RANK_DAMPING) if raw > 0 else 0


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)
