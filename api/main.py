"""The FastAPI application: ``create_app`` is the factory uvicorn runs (``api.main:create_app``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI

from api.deps import StoreFactory, StoreProvider
from api.errors import install_error_handlers
from api.extraction import ExtractorFactory, ExtractorProvider
from api.models import ErrorOut
from api.routes import articles, cypher, entities, events, health, paths, relations, sparql, stats, subgraph
from kg.settings import Settings, get_settings
from kg.store.base import GraphStore

DESCRIPTION = """\
The open conflict-event knowledge graph: who met whom, who proposed, accepted or rejected which
ceasefire, who attacked whom, proxies and office holders, each fact with the sentences and articles
behind it.

Errors always have the body `{"error": "<code>", "detail": ...}`: 404 unknown ids, 422 bad
parameters, 401 missing/wrong API key, 403 refused queries, 501 unsupported by this store, 503 store
unreachable (retry: the API reconnects by itself). Write endpoints need `Authorization: Bearer
<KG_API_KEY>` when that setting is set; reads need `KG_API_READ_KEY` when it is set.
"""


THREADS = 16  # worker threads for the blocking store calls, per process


def _default_store_factory(settings: Settings) -> StoreFactory:
    def factory() -> GraphStore:
        from kg.store.factory import open_store

        return open_store(settings)

    return factory


def create_app(
    store_factory: StoreFactory | None = None,
    *,
    settings: Settings | None = None,
    extractor_factory: ExtractorFactory | None = None,
) -> FastAPI:
    """Build the app. The store is opened on the first request that needs it, not here."""
    settings = settings or get_settings()
    provider = StoreProvider(store_factory or _default_store_factory(settings))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Store calls block, so endpoints run in the thread pool. More threads than this only add
        # GIL contention (measured: CPU per request grows with the thread count at concurrency 64).
        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
        yield
        provider.close()

    app = FastAPI(
        title="Conflict-event knowledge graph API",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        responses={
            400: {"model": ErrorOut, "description": "Malformed request (body that is not JSON, bad query)"},
            401: {"model": ErrorOut, "description": "Missing or wrong API key"},
            422: {"model": ErrorOut, "description": "Invalid parameters"},
            503: {"model": ErrorOut, "description": "The graph store is unreachable"},
        },
    )
    app.state.settings = settings
    app.state.store_provider = provider
    app.state.extractor_provider = ExtractorProvider(extractor_factory)
    install_error_handlers(app)
    for module in (health, stats, entities, relations, events, paths, subgraph, cypher, sparql, articles):
        app.include_router(module.router)
    _document_optional_auth(app)
    return app


def _document_optional_auth(app: FastAPI) -> None:
    """Keys are enforced only when configured: say so in OpenAPI (``security: [{}, {HTTPBearer: []}]``)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            for item in schema.get("paths", {}).values():
                for operation in item.values():
                    security = operation.get("security") if isinstance(operation, dict) else None
                    if security is not None and {} not in security:
                        security.append({})
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]
