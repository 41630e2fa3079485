"""GET /v1/stats: counts of articles, entities, facts and evidence, by type and relation."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep, read_auth
from api.models import StatsOut

router = APIRouter(prefix="/v1", tags=["stats"], dependencies=[read_auth])


@router.get("/stats", summary="Graph counts")
def stats(store: StoreDep) -> StatsOut:
    return StatsOut.from_record(store.stats())
