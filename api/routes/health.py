"""GET /v1/health: is the store reachable, and which versions are running."""

from __future__ import annotations

import platform
from functools import lru_cache
from importlib import metadata

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.deps import StoreProvider
from api.models import HealthOut, StoreHealth
from kg.errors import KGError

router = APIRouter(prefix="/v1", tags=["health"])


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


@lru_cache(maxsize=1)
def _versions() -> dict[str, str]:
    return {
        "api": "v1",
        "conflict-kg": _version("conflict-kg"),
        "python": platform.python_version(),
        "fastapi": _version("fastapi"),
        "pydantic": _version("pydantic"),
        "neo4j-driver": _version("neo4j"),
    }


@router.get(
    "/health",
    response_model=HealthOut,
    responses={503: {"model": HealthOut, "description": "The store is unreachable"}},
    summary="Store reachability and versions",
)
def health(request: Request) -> JSONResponse:
    provider: StoreProvider = request.app.state.store_provider
    store_health: StoreHealth
    caps = {"cypher": False, "sparql": False}
    try:
        store = provider.get()
        info = dict(store.ping())
        caps = {"cypher": hasattr(store, "run_cypher"), "sparql": hasattr(store, "sparql")}
        store_health = StoreHealth(
            reachable=True,
            backend=str(info.pop("backend", getattr(store, "backend", None)) or ""),
            info={k: v for k, v in info.items() if isinstance(v, str | int | float | bool) or v is None},
        )
    except KGError as e:
        provider.invalidate()
        store_health = StoreHealth(reachable=False, error=str(e) or e.__class__.__name__)
    except Exception as e:  # noqa: BLE001 - an unwrapped driver error is still "unreachable"
        provider.invalidate()
        store_health = StoreHealth(reachable=False, error=f"{e.__class__.__name__}: {e}")
    body = HealthOut(
        status="ok" if store_health.reachable else "unavailable",
        store=store_health,
        versions=dict(_versions()),
        capabilities=caps,
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=200 if store_health.reachable else 503)
