"""GET /v1/events: event relations as a timeline, earliest first (undated last)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep, read_auth
from api.models import FactPage
from api.pagination import decode_cursor
from api.params import (
    CursorParam,
    EntityIdQuery,
    EventTypeParam,
    LimitParam,
    SinceParam,
    UntilParam,
    check_date_range,
)

router = APIRouter(prefix="/v1", tags=["events"], dependencies=[read_auth])


@router.get("/events", summary="Timeline of events")
def events(
    store: StoreDep,
    type: EventTypeParam = None,
    actor: EntityIdQuery = None,
    since: SinceParam = None,
    until: UntilParam = None,
    limit: LimitParam = 100,
    cursor: CursorParam = None,
) -> FactPage:
    check_date_range(since, until)
    offset = decode_cursor(cursor)
    rows = store.events(type=type, actor=actor, since=since, until=until, limit=limit + 1, offset=offset)
    return FactPage.from_rows(rows, offset, limit)
