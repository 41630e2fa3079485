"""Relations (facts): triple-pattern queries, one fact, and the evidence behind it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import StoreDep, read_auth
from api.models import ErrorOut, EvidenceOut, EvidencePage, FactOut, FactPage
from api.pagination import decode_cursor, next_cursor
from api.params import (
    CursorParam,
    EntityIdQuery,
    LimitParam,
    NegatedParam,
    RelationParam,
    SinceParam,
    UntilParam,
    check_date_range,
)
from kg.errors import NotFoundError

router = APIRouter(
    prefix="/v1/relations",
    tags=["relations"],
    dependencies=[read_auth],
    responses={404: {"model": ErrorOut, "description": "Unknown relationship id"}},
)

FactIdPath = Annotated[str, Path(min_length=1, max_length=100, description="Fact (relationship) id")]


@router.get("", summary="Triple-pattern query: subject, relation, object, date range")
def find_relations(
    store: StoreDep,
    subject: EntityIdQuery = None,
    relation: RelationParam = None,
    object: EntityIdQuery = None,
    since: SinceParam = None,
    until: UntilParam = None,
    negated: NegatedParam = None,
    limit: LimitParam = 100,
    cursor: CursorParam = None,
) -> FactPage:
    check_date_range(since, until)
    offset = decode_cursor(cursor)
    rows = store.find_facts(
        subject=subject,
        relation=relation,
        object=object,
        since=since,
        until=until,
        negated=negated,
        limit=limit + 1,
        offset=offset,
    )
    return FactPage.from_rows(rows, offset, limit)


@router.get("/{fact_id}/evidence", summary="The sentences and articles behind one relationship")
def fact_evidence(
    store: StoreDep,
    fact_id: FactIdPath,
    limit: LimitParam = 100,
    cursor: CursorParam = None,
) -> EvidencePage:
    offset = decode_cursor(cursor)
    fact = store.get_fact(fact_id)
    if fact is None:
        raise NotFoundError(f"no relationship with id {fact_id!r}")
    rows = store.evidence(fact_id)
    page = rows[offset : offset + limit + 1]
    return EvidencePage(
        fact=FactOut.from_record(fact),
        items=[EvidenceOut.from_record(r) for r in page[:limit]],
        next_cursor=next_cursor(offset, limit, len(page)),
    )


@router.get("/{fact_id}", summary="One relationship")
def get_relation(store: StoreDep, fact_id: FactIdPath) -> FactOut:
    fact = store.get_fact(fact_id)
    if fact is None:
        raise NotFoundError(f"no relationship with id {fact_id!r}")
    return FactOut.from_record(fact)
