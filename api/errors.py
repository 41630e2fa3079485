"""Errors of the HTTP layer and the ONE mapping from the project's KGError tree to HTTP responses.

Every error body has the same shape: ``{"error": "<code>", "detail": <message or list>}``.
The API-only error classes below still derive from :class:`kg.errors.KGError`, so there is one tree.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.errors import (
    ConfigError,
    ExtractionError,
    FetchError,
    InputError,
    KGError,
    NotFoundError,
    QueryError,
    StoreError,
    StoreUnavailableError,
)

log = logging.getLogger("kg.api")


class QueryRefusedError(QueryError):
    """A query the read-only endpoints will not run (a write, a procedure call, LOAD CSV, ...)."""


class AuthenticationError(KGError):
    """Missing or wrong API key."""


class NotSupportedError(KGError):
    """The configured store does not offer this capability (e.g. SPARQL on Neo4j)."""


class ValidationFailedError(InputError):
    """A parameter is well-typed but not acceptable (unknown relation name, bad cursor, ...)."""


# Most specific first: the first matching class decides status and error code.
_STATUS: list[tuple[type[KGError], int, str]] = [
    (NotFoundError, 404, "not_found"),
    (AuthenticationError, 401, "unauthorized"),
    (QueryRefusedError, 403, "query_refused"),
    (QueryError, 400, "bad_query"),
    (FetchError, 422, "fetch_failed"),
    (InputError, 422, "invalid_input"),
    (NotSupportedError, 501, "not_supported"),
    (StoreUnavailableError, 503, "store_unavailable"),
    (StoreError, 500, "store_error"),
    (ExtractionError, 500, "extraction_failed"),
    (ConfigError, 500, "config_error"),
    (KGError, 500, "internal_error"),
]


def status_for(exc: KGError) -> tuple[int, str]:
    for cls, status, code in _STATUS:
        if isinstance(exc, cls):
            return status, code
    return 500, "internal_error"  # pragma: no cover - KGError is last in the table


def error_response(
    status: int, error: str, detail: Any, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": error, "detail": jsonable_encoder(detail)}, status_code=status, headers=headers
    )


def _is_driver_unavailable(exc: BaseException) -> bool:
    """Neo4j driver connectivity errors that a backend failed to wrap: still a 503, not a 500."""
    try:
        from neo4j.exceptions import ServiceUnavailable, SessionExpired
    except ImportError:  # pragma: no cover - neo4j is a hard dependency
        return False
    return isinstance(exc, (ServiceUnavailable, SessionExpired, ConnectionError))


def _invalidate_store(request: Request) -> None:
    """Drop the store this request used, so the next request opens a fresh connection."""
    provider = getattr(request.app.state, "store_provider", None)
    if provider is not None:
        provider.invalidate(getattr(request.state, "store", None))


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers. KGError is mapped in ONE place (``kg_error_handler``)."""

    @app.exception_handler(KGError)
    async def kg_error_handler(request: Request, exc: KGError) -> JSONResponse:
        status, code = status_for(exc)
        if status == 503:
            _invalidate_store(request)
        if status >= 500 and status != 503 and status != 501:
            log.exception("request failed: %s %s", request.method, request.url.path, exc_info=exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        if status == 503:
            headers = {"Retry-After": "5"}
        return error_response(status, code, str(exc) or exc.__class__.__name__, headers)

    @app.exception_handler(RequestValidationError)
    async def validation_handler(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return error_response(422, "validation_error", errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error_handler(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {
            400: "bad_request",
            401: "unauthorized",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
        }
        return error_response(
            exc.status_code,
            codes.get(exc.status_code, f"http_{exc.status_code}"),
            exc.detail,
            dict(exc.headers) if exc.headers else None,
        )

    @app.exception_handler(Exception)
    async def unexpected_handler(request: Request, exc: Exception) -> JSONResponse:
        if _is_driver_unavailable(exc):
            _invalidate_store(request)
            return error_response(
                503, "store_unavailable", f"graph store unreachable: {exc}", {"Retry-After": "5"}
            )
        log.exception("unexpected error: %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(500, "internal_error", "unexpected server error; see the server log")
