"""Entities: search, one entity (aliases and relation counts), and the relations around it.

Entity ids contain colons (``country:USA``, ``person:antony-blinken``): the routes use the ``path``
converter so an id is taken whole. The ``/relations`` route is declared first so it wins.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from api.deps import StoreDep, read_auth
from api.models import EntityDetailOut, EntityOut, EntityPage, ErrorOut, FactPage
from api.pagination import decode_cursor, next_cursor
from api.params import (
    CursorParam,
    EntityTypeParam,
    LimitParam,
    NegatedParam,
    RelationParam,
    SinceParam,
    UntilParam,
    check_date_range,
)
from kg.errors import NotFoundError

router = APIRouter(
    prefix="/v1/entities",
    tags=["entities"],
    dependencies=[read_auth],
    responses={404: {"model": ErrorOut, "description": "Unknown entity id"}},
)

EntityIdPath = Annotated[
    str, Path(min_length=1, max_length=300, description="Entity id, e.g. country:USA (colons allowed)")
]


@router.get("", summary="Search entities by name or alias")
def search_entities(
    store: StoreDep,
    q: Annotated[str | None, Query(max_length=200, description="Name or alias, case-insensitive")] = None,
    type: EntityTypeParam = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: CursorParam = None,
) -> EntityPage:
    offset = decode_cursor(cursor)
    q = q.strip() if q else None
    rows = store.search_entities(q=q or None, type=type, limit=limit + 1, offset=offset)
    return EntityPage(
        items=[EntityOut.from_record(r) for r in rows[:limit]],
        next_cursor=next_cursor(offset, limit, len(rows)),
    )


@router.get("/{entity_id:path}/relations", summary="Relations of one entity")
def entity_relations(
    store: StoreDep,
    entity_id: EntityIdPath,
    relation: RelationParam = None,
    direction: Annotated[
        Literal["out", "in", "both"], Query(description="out: entity is the subject; in: the object")
    ] = "both",
    since: SinceParam = None,
    until: UntilParam = None,
    negated: NegatedParam = None,
    limit: LimitParam = 100,
    cursor: CursorParam = None,
) -> FactPage:
    check_date_range(since, until)
    offset = decode_cursor(cursor)
    rows = store.find_facts(
        entity=entity_id,
        direction=direction,
        relation=relation,
        since=since,
        until=until,
        negated=negated,
        limit=limit + 1,
        offset=offset,
    )
    if not rows and store.get_entity(entity_id) is None:  # existence checked only when it matters
        raise NotFoundError(f"no entity with id {entity_id!r}")
    return FactPage.from_rows(rows, offset, limit)


@router.get("/{entity_id:path}", summary="One entity with aliases and relation counts")
def get_entity(store: StoreDep, entity_id: EntityIdPath) -> EntityDetailOut:
    record = store.get_entity(entity_id)
    if record is None:
        raise NotFoundError(f"no entity with id {entity_id!r}")
    return EntityDetailOut.from_record(record)
