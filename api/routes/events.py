"""GET /v1/events: event relations as a timeline, earliest first (undated last)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import StoreDep, read_auth
from api.models import FactOut, FactPage
from api.pagination import decode_cursor, next_cursor
from api.params import CursorParam, EntityIdQuery, EventTypeParam, SinceParam, UntilParam, check_date_range

router = APIRouter(prefix="/v1", tags=["events"], dependencies=[read_auth])


@router.get("/events", summary="Timeline of events")
def events(
    store: StoreDep,
    type: EventTypeParam = None,
    actor: EntityIdQuery = None,
    since: SinceParam = None,
    until: UntilParam = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: CursorParam = None,
) -> FactPage:
    check_date_range(since, until)
    offset = decode_cursor(cursor)
    rows = store.events(type=type, actor=actor, since=since, until=until, limit=limit + 1, offset=offset)
    return FactPage(
        items=[FactOut.from_record(r) for r in rows[:limit]],
        next_cursor=next_cursor(offset, limit, len(rows)),
    )
