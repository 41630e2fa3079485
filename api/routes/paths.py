"""GET /v1/paths: shortest paths between two entities, ignoring direction, capped."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import StoreDep, read_auth
from api.models import ErrorOut, PathOut, PathsOut
from kg.errors import NotFoundError

router = APIRouter(
    prefix="/v1",
    tags=["paths"],
    dependencies=[read_auth],
    responses={404: {"model": ErrorOut, "description": "Unknown entity id"}},
)

MAX_HOPS = 6


@router.get("/paths", summary="Shortest paths between two entities")
def paths(
    store: StoreDep,
    from_id: Annotated[str, Query(alias="from", min_length=1, max_length=300, description="Entity id")],
    to_id: Annotated[str, Query(alias="to", min_length=1, max_length=300, description="Entity id")],
    max_hops: Annotated[int, Query(ge=1, le=MAX_HOPS)] = 4,
    limit: Annotated[int, Query(ge=1, le=50, description="At most this many paths")] = 10,
) -> PathsOut:
    found = store.paths(from_id, to_id, max_hops=max_hops, limit=limit + 1)
    if not found:  # existence checked only when it matters (a store may also raise NotFoundError)
        for entity_id in dict.fromkeys((from_id, to_id)):
            if store.get_entity(entity_id) is None:
                raise NotFoundError(f"no entity with id {entity_id!r}")
    return PathsOut(
        from_id=from_id,
        to_id=to_id,
        max_hops=max_hops,
        paths=[PathOut.from_record(p) for p in found[:limit]],
        truncated=len(found) > limit,
    )
