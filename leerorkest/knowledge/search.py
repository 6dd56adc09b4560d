"""Full-text search of materials, ranked by relevance, on PostgreSQL and on SQLite.

PostgreSQL: a stored, GIN-indexed `dutch` tsvector per material (title weight A, summary B,
text C), matched with `@@` and ranked with SearchRank. The vector is computed from the same
text as the stem columns whenever the actions save a material (no per-query to_tsvector over
every row). SQLite has no Dutch full-text search, so the actions keep
three columns with the Dutch Snowball stems of title, summary and text; a search stems the
query the same way, keeps the materials that hold every stem and ranks them by weighted hits
(the weights of PostgreSQL's default ranking: A 1.0, B 0.4, C 0.2).
"""

import re
from functools import lru_cache

import snowballstemmer
from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When

from leerorkest.knowledge.text import plain_text

# The Snowball Dutch stop words (the list PostgreSQL's `dutch` configuration uses as well).
_STOP_WORDS = """
    de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar
    om hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar
    naar heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden toch al
    waren veel meer doen toen moet ben zonder kan hun dus alles onder ja eens hier wie werd
    altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand geweest
    andere"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
WEIGHTS = (("search_title", 1.0), ("search_summary", 0.4), ("search_body", 0.2))
MAX_TERMS = 12
CONFIG = "dutch"
_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("dutch")


def stems(text: str) -> list[str]:
    """The distinct Dutch stems of the words in `text`, stop words left out, in order."""
    words = [w for w in _WORD.findall((text or "").lower()) if w not in STOP_WORDS]
    seen: dict[str, None] = {}
    for stem in _stemmer().stemWords(words):
        seen.setdefault(stem, None)
    return list(seen)


def stem_column(text: str) -> str:
    """ " stem stem … ", padded so a search can match whole stems with LIKE '% stem %'."""
    found = stems(text)
    return f" {' '.join(found)} " if found else ""


def fill_search_columns(material) -> None:
    """Set the search columns from the material's text (the caller saves, or bulk-creates).

    On PostgreSQL the vector is an expression over the text's values (no column references),
    so the database computes it in the same INSERT or UPDATE that stores the text.
    """
    body = plain_text(material.body)
    material.search_title = stem_column(material.title)
    material.search_summary = stem_column(material.summary)
    material.search_body = stem_column(body)
    if connection.vendor == "postgresql":
        material.search_vector = weighted_vector(
            Value(material.title), Value(material.summary), Value(body)
        )
    else:
        material.search_vector = None


def weighted_vector(title, summary, body):
    """The `dutch` tsvector of title (weight A), summary (B) and text (C), as an expression."""
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector(title, weight="A", config=CONFIG)
        + SearchVector(summary, weight="B", config=CONFIG)
        + SearchVector(body, weight="C", config=CONFIG)
    )


def search(queryset: QuerySet, query: str) -> QuerySet:
    """The materials matching every word of `query`, best first (annotated with `rank`)."""
    if not stems(query):
        return queryset
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, query)
    return _search_stems(queryset, query)


def _search_postgresql(queryset: QuerySet, query: str) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    search_query = SearchQuery(query[:400], config=CONFIG, search_type="plain")
    # `search_vector @@ query` can use the GIN index; the rank reads the stored weights.
    return (
        queryset.filter(search_vector=search_query)
        .annotate(rank=SearchRank(F("search_vector"), search_query))
        .order_by("-rank", "-published_at", "-pk")
    )


def _search_stems(queryset: QuerySet, query: str) -> QuerySet:
    terms = stems(query)[:MAX_TERMS]
    hits = []
    for term in terms:
        padded = f" {term} "
        matches = Q()
        for column, weight in WEIGHTS:
            matches |= Q(**{f"{column}__contains": padded})
            hits.append(
                Case(
                    When(**{f"{column}__contains": padded}, then=Value(weight)),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
            )
        queryset = queryset.filter(matches)
    rank = hits[0]
    for hit in hits[1:]:
        rank = rank + hit
    return queryset.annotate(rank=rank).order_by("-rank", "-published_at", "-pk")
