"""GET /v1/subgraph: the neighbourhood of an entity, as nodes and edges for a visualisation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import StoreDep, read_auth
from api.models import ErrorOut, SubgraphOut
from api.params import RelationParam
from kg.errors import NotFoundError

router = APIRouter(
    prefix="/v1",
    tags=["subgraph"],
    dependencies=[read_auth],
    responses={404: {"model": ErrorOut, "description": "Unknown entity id"}},
)


@router.get("/subgraph", summary="Nodes and edges around an entity (capped)")
def subgraph(
    store: StoreDep,
    center: Annotated[str, Query(min_length=1, max_length=300, description="Entity id at the centre")],
    depth: Annotated[int, Query(ge=1, le=3)] = 1,
    relation: RelationParam = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Cap on nodes (and edges)")] = 200,
) -> SubgraphOut:
    record = store.subgraph(center, depth=depth, relation=relation, limit=limit)
    if not record.nodes and store.get_entity(center) is None:
        raise NotFoundError(f"no entity with id {center!r}")
    return SubgraphOut.from_record(center, depth, record)
