"""POST /v1/cypher: read-only Cypher for dashboards, on stores that offer ``run_cypher`` (Neo4j).

Two guards: a cheap pre-check here (``api.query_guard``: write clauses, procedure calls outside an
allowlist, LOAD CSV, over-long queries are refused before anything is sent), and the store runs the
query in a READ access-mode transaction with a timeout and a row cap.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter

from api.deps import SettingsDep, StoreDep, read_auth
from api.errors import NotSupportedError, QueryRefusedError
from api.models import CypherOut, CypherRequest, ErrorOut
from api.query_guard import MAX_PARAMS_CHARS, check_cypher
from kg.errors import QueryError

router = APIRouter(prefix="/v1", tags=["cypher"], dependencies=[read_auth])


def plain(value: Any) -> Any:
    """JSON-safe form of a driver value (nodes, relationships, paths, temporal and spatial types)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, bytes | bytearray):
        return value.hex()
    try:  # neo4j.graph types
        from neo4j.graph import Node, Path, Relationship

        if isinstance(value, Node):
            return {"labels": sorted(value.labels), "properties": plain(dict(value))}
        if isinstance(value, Relationship):
            return {
                "type": value.type,
                "start": plain(dict(value.start_node)).get("id") if value.start_node is not None else None,
                "end": plain(dict(value.end_node)).get("id") if value.end_node is not None else None,
                "properties": plain(dict(value)),
            }
        if isinstance(value, Path):
            return {
                "nodes": [plain(n) for n in value.nodes],
                "relationships": [plain(r) for r in value.relationships],
            }
    except ImportError:  # pragma: no cover
        pass
    iso = getattr(value, "iso_format", None) or getattr(value, "isoformat", None)
    if callable(iso):
        return iso()
    return str(value)


def _table(result: Any, cap: int) -> CypherOut:
    """Accept what a store returns: (columns, rows, truncated), {columns, rows, truncated}, or records."""
    truncated: bool | None = None
    columns: list[str] | None = None
    if isinstance(result, tuple) and len(result) == 3:
        columns, rows_in, truncated = list(result[0]), result[1], bool(result[2])
    elif isinstance(result, Mapping) and "rows" in result:
        rows_in, columns, truncated = result["rows"], result.get("columns"), result.get("truncated")
    else:
        rows_in = list(result)
    rows_list = list(rows_in)
    if columns is None:
        first: Any = rows_list[0] if rows_list else None
        columns = list(first.keys()) if first is not None and hasattr(first, "keys") else []
    columns = [str(c) for c in columns]
    rows: list[list[Any]] = []
    for row in rows_list[:cap]:
        if hasattr(row, "keys") and hasattr(row, "__getitem__"):
            rows.append([plain(row[c]) for c in columns])
        else:
            rows.append([plain(v) for v in row])
    return CypherOut(
        columns=columns, rows=rows, row_count=len(rows), truncated=bool(truncated) or len(rows_list) > cap
    )


@router.post(
    "/cypher",
    summary="Read-only Cypher (READ transaction, timeout, row cap)",
    responses={
        400: {"model": ErrorOut, "description": "Malformed or over-long query"},
        403: {"model": ErrorOut, "description": "A write, procedure call or LOAD CSV: refused"},
        501: {"model": ErrorOut, "description": "The store has no Cypher (embedded store)"},
    },
)
def cypher(body: CypherRequest, store: StoreDep, settings: SettingsDep) -> CypherOut:
    check_cypher(body.query)
    try:
        params_size = len(json.dumps(body.params, default=str))
    except (TypeError, ValueError) as e:
        raise QueryError(f"params are not plain JSON: {e}") from e
    if params_size > MAX_PARAMS_CHARS:
        raise QueryError(f"params are {params_size} characters of JSON; the limit is {MAX_PARAMS_CHARS}")
    run = getattr(store, "run_cypher", None)
    if run is None:
        raise NotSupportedError(
            f"the {store.backend} store does not run Cypher; use /v1/sparql or the typed endpoints"
        )
    cap = min(body.limit or settings.cypher_row_cap, settings.cypher_row_cap)
    try:
        result = run(body.query, body.params, write=False, timeout=settings.cypher_timeout, row_cap=cap)
    except QueryRefusedError:
        raise
    except QueryError as e:
        if "write" in str(e) and "read" in str(e):  # the READ transaction refused a write
            raise QueryRefusedError(
                "read-only endpoint: the READ transaction refused a write; nothing changed"
            ) from e
        raise
    return _table(result, cap)
