"""Dependencies: the lazily opened store, settings, and API-key checks (``Annotated`` aliases)."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.errors import AuthenticationError
from kg.errors import KGError, StoreUnavailableError
from kg.settings import Settings
from kg.store.base import GraphStore

StoreFactory = Callable[[], GraphStore]


class StoreProvider:
    """Opens the store on first use and re-opens it after an outage.

    A failed open is never cached: the next request tries again, so the API recovers without a
    restart when the store comes back. A store that reported itself unreachable is retired (not
    closed at once: requests in flight may still hold it) and closed at shutdown.
    """

    def __init__(self, factory: StoreFactory) -> None:
        self._factory = factory
        self._store: GraphStore | None = None
        self._retired: list[GraphStore] = []
        self._lock = threading.Lock()

    def get(self) -> GraphStore:
        store = self._store
        if store is not None:
            return store
        with self._lock:
            if self._store is None:
                try:
                    self._store = self._factory()
                except KGError:
                    raise
                except Exception as e:  # driver errors while connecting
                    raise StoreUnavailableError(f"cannot open the graph store: {e}") from e
            return self._store

    def invalidate(self, store: GraphStore | None = None) -> None:
        """Forget the current store (only if it is ``store`` when one is given)."""
        with self._lock:
            if self._store is not None and (store is None or store is self._store):
                self._retired.append(self._store)
                self._store = None
            if len(self._retired) > 8:  # long outage: old handles are certainly idle by now
                old, self._retired = self._retired[:-4], self._retired[-4:]
                for s in old:
                    _close_quietly(s)

    @property
    def current(self) -> GraphStore | None:
        return self._store

    def close(self) -> None:
        with self._lock:
            for s in [*self._retired, *([self._store] if self._store is not None else [])]:
                _close_quietly(s)
            self._retired, self._store = [], None


def _close_quietly(store: GraphStore) -> None:
    try:
        store.close()
    except Exception:  # noqa: BLE001 - closing a broken connection may fail; nothing to do
        pass


# The dependencies are ``async def`` on purpose: FastAPI runs sync dependencies in the thread pool,
# one hop each, which costs more than these trivial bodies. Only opening the store can block, and
# that runs in the thread pool.


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def get_store(request: Request) -> GraphStore:
    provider: StoreProvider = request.app.state.store_provider
    store = provider.current
    if store is None:
        store = await run_in_threadpool(provider.get)  # connecting blocks: not on the event loop
    request.state.store = store  # so the error handler retires exactly this store on an outage
    return store


StoreDep = Annotated[GraphStore, Depends(get_store)]

_bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <KG_API_KEY or KG_API_READ_KEY>")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _matches(credentials: HTTPAuthorizationCredentials | None, *keys: str | None) -> bool:
    if credentials is None:
        return False
    given = credentials.credentials.encode()
    return any(k is not None and secrets.compare_digest(given, k.encode()) for k in keys)


async def require_write(settings: SettingsDep, credentials: BearerDep) -> None:
    """Write endpoints: ``Authorization: Bearer <KG_API_KEY>`` when KG_API_KEY is set."""
    if settings.api_key and not _matches(credentials, settings.api_key):
        raise AuthenticationError(
            "this endpoint writes: send 'Authorization: Bearer <KG_API_KEY>'"
            if credentials is None
            else "wrong API key for a write endpoint"
        )


async def require_read(settings: SettingsDep, credentials: BearerDep) -> None:
    """Read endpoints: open unless KG_API_READ_KEY is set; the write key also reads."""
    if settings.api_read_key and not _matches(credentials, settings.api_read_key, settings.api_key):
        raise AuthenticationError(
            "reads need 'Authorization: Bearer <KG_API_READ_KEY>'" if credentials is None else "wrong API key"
        )


WriteAuth = Annotated[None, Depends(require_write)]
ReadAuth = Annotated[None, Depends(require_read)]
# For router-level ``dependencies=[...]``:
write_auth = Depends(require_write)
read_auth = Depends(require_read)
