"""Query-parameter types checked against the vocabulary (``schema/vocabulary.yaml``): 422 otherwise.

The allowed values are read from the vocabulary when the module is imported, and appear as an
``enum`` in the OpenAPI schema so clients (and schemathesis) see them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator

from kg.vocabulary import get_vocabulary

_VOCAB = get_vocabulary()
RELATION_NAMES: list[str] = sorted(_VOCAB.relations)
EVENT_RELATION_NAMES: list[str] = sorted(n for n, r in _VOCAB.relations.items() if r.is_event)
ENTITY_TYPES: list[str] = sorted(_VOCAB.entity_types)

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def _relation(value: str | None) -> str | None:
    if value is not None and value not in _VOCAB.relations:
        raise ValueError(f"unknown relation {value!r}; one of: {', '.join(RELATION_NAMES)}")
    return value


def _event_relation(value: str | None) -> str | None:
    _relation(value)
    if value is not None and not _VOCAB.relations[value].is_event:
        raise ValueError(
            f"{value} is a standing relation, not an event; one of: {', '.join(EVENT_RELATION_NAMES)}"
        )
    return value


def _entity_type(value: str | None) -> str | None:
    if value is not None and value not in _VOCAB.entity_types:
        raise ValueError(f"unknown entity type {value!r}; one of: {', '.join(ENTITY_TYPES)}")
    return value


def _date(value: str | None) -> str | None:
    if value is None:
        return None
    m = _DATE.match(value)
    if not m:
        raise ValueError("a date is YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        dt.date(year, month, day)
    except ValueError as e:
        raise ValueError(f"not a calendar date: {value}") from e
    return value


RelationParam = Annotated[
    str | None,
    AfterValidator(_relation),
    Query(description="A relation of the vocabulary", json_schema_extra={"enum": RELATION_NAMES}),
]
EventTypeParam = Annotated[
    str | None,
    AfterValidator(_event_relation),
    Query(
        description="An event relation of the vocabulary", json_schema_extra={"enum": EVENT_RELATION_NAMES}
    ),
]
EntityTypeParam = Annotated[
    str | None,
    AfterValidator(_entity_type),
    Query(description="An entity type of the vocabulary", json_schema_extra={"enum": ENTITY_TYPES}),
]
SinceParam = Annotated[
    str | None,
    AfterValidator(_date),
    Query(
        description="Earliest event date (YYYY, YYYY-MM or YYYY-MM-DD), inclusive",
        json_schema_extra={"pattern": DATE_PATTERN},
    ),
]
UntilParam = Annotated[
    str | None,
    AfterValidator(_date),
    Query(
        description="Latest event date (YYYY, YYYY-MM or YYYY-MM-DD), inclusive",
        json_schema_extra={"pattern": DATE_PATTERN},
    ),
]
CursorParam = Annotated[
    str | None,
    Query(
        max_length=200,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="Opaque cursor: the next_cursor of the previous page",
    ),
]
EntityIdQuery = Annotated[
    str | None, Query(min_length=1, max_length=300, description="An entity id, e.g. country:USA")
]


def check_date_range(since: str | None, until: str | None) -> None:
    from api.errors import ValidationFailedError

    if since and until and since[: len(until)] > until and until[: len(since)] < since:
        raise ValidationFailedError(f"since ({since}) is after until ({until})")


NegatedParam = Annotated[bool | None, Query(description="Only negated (true) or only positive (false) facts")]
LimitParam = Annotated[int, Query(ge=1, le=500, description="Page size")]
