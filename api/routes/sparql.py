"""/v1/sparql (GET and POST): read-only SPARQL on stores that offer ``sparql`` (the embedded store)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import SettingsDep, StoreDep, read_auth
from api.errors import NotSupportedError
from api.models import ErrorOut, SparqlOut, SparqlRequest
from api.query_guard import check_sparql
from kg.settings import Settings
from kg.store.base import GraphStore

router = APIRouter(prefix="/v1", tags=["sparql"], dependencies=[read_auth])

_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Malformed or over-long query"},
    403: {"model": ErrorOut, "description": "SPARQL Update or SERVICE: refused"},
    501: {"model": ErrorOut, "description": "The store has no SPARQL (Neo4j store)"},
}


def _run(store: GraphStore, settings: Settings, query: str, limit: int | None) -> SparqlOut:
    check_sparql(query)
    run = getattr(store, "sparql", None)
    if run is None:
        raise NotSupportedError(
            f"the {store.backend} store does not answer SPARQL; use /v1/cypher or the typed endpoints"
        )
    cap = min(limit or settings.cypher_row_cap, settings.cypher_row_cap)
    result = run(query, limit=cap)
    if isinstance(result, dict) and "truncated" in result:
        return SparqlOut(
            result={k: v for k, v in result.items() if k != "truncated"}, truncated=bool(result["truncated"])
        )
    return SparqlOut(result=result)


@router.get("/sparql", summary="Read-only SPARQL (query string)", responses=_RESPONSES)
def sparql_get(
    store: StoreDep,
    settings: SettingsDep,
    query: Annotated[str, Query(min_length=1, description="A SPARQL SELECT, ASK or CONSTRUCT query")],
    limit: Annotated[int | None, Query(ge=1, le=10_000)] = None,
) -> SparqlOut:
    return _run(store, settings, query, limit)


@router.post("/sparql", summary="Read-only SPARQL (JSON body)", responses=_RESPONSES)
def sparql_post(body: SparqlRequest, store: StoreDep, settings: SettingsDep) -> SparqlOut:
    return _run(store, settings, body.query, body.limit)
