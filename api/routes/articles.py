"""Articles: POST (text or URL: extract and store, answer with the triples), list, GET, DELETE."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from api.deps import SettingsDep, StoreDep, read_auth, write_auth
from api.extraction import ExtractorProvider, fetch_article
from api.models import (
    ArticleCreate,
    ArticleIngestOut,
    ArticleOut,
    ArticlePage,
    EntityOut,
    ErrorOut,
    TripleOut,
    WriteSummary,
)
from api.pagination import decode_cursor, next_cursor
from api.params import CursorParam
from kg.errors import ArticleError, NotFoundError
from kg.model import Article
from kg.store.records import EntityRecord

router = APIRouter(
    prefix="/v1/articles",
    tags=["articles"],
    responses={404: {"model": ErrorOut, "description": "Unknown article id"}},
)

ArticleIdPath = Annotated[str, Path(min_length=1, max_length=200, description="Article id")]


def _derived_id(body: ArticleCreate) -> str:
    """Posting the same text twice replaces one article rather than adding a duplicate."""
    return "text-" + hashlib.sha1((body.text or "").encode("utf-8")).hexdigest()[:16]


@router.post(
    "",
    status_code=201,
    dependencies=[write_auth],
    summary="Extract an article (text or URL) and store it; answer with the triples",
    responses={401: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)
def create_article(
    body: ArticleCreate, store: StoreDep, settings: SettingsDep, request: Request
) -> ArticleIngestOut:
    if body.text is not None:
        article_id = body.id or _derived_id(body)
        if len(body.text.encode("utf-8")) > settings.max_article_bytes:
            raise ArticleError(f"the text is larger than the {settings.max_article_bytes}-byte limit")
        article = Article(
            id=article_id,
            body=body.text,
            title=body.title,
            source=body.source,
            url=body.url,
            published=body.published,
            licence=body.licence,
            metadata=dict(body.metadata),
        )
    else:
        assert body.url is not None  # the model guarantees text or url
        article = fetch_article(body.url, body.id, settings)
        for field in ("title", "source", "published", "licence"):
            given = getattr(body, field)
            if given is not None:
                setattr(article, field, given)
        article.metadata.update(body.metadata)
    if not article.body.strip():
        raise ArticleError("the article has no body text")
    extractor: ExtractorProvider = request.app.state.extractor_provider
    extraction = extractor.extract(article)
    result = store.write_article(extraction)
    return ArticleIngestOut(
        article_id=result.article_id,
        title=article.title,
        url=article.url,
        published=article.published,
        written=WriteSummary.from_result(result),
        entities=[
            EntityOut.from_record(
                EntityRecord(
                    id=e.id,
                    name=e.name,
                    type=e.type,
                    aliases=sorted(e.aliases),
                    properties=dict(e.properties),
                )
            )
            for e in extraction.entities
        ],
        triples=[TripleOut.from_triple(t) for t in extraction.triples],
    )


@router.get("", dependencies=[read_auth], summary="List stored articles")
def list_articles(
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: CursorParam = None,
) -> ArticlePage:
    offset = decode_cursor(cursor)
    rows = store.list_articles(limit=limit + 1, offset=offset)
    return ArticlePage(
        items=[ArticleOut.from_record(r) for r in rows[:limit]],
        next_cursor=next_cursor(offset, limit, len(rows)),
    )


@router.get("/{article_id}", dependencies=[read_auth], summary="One stored article and the facts it supports")
def get_article(store: StoreDep, article_id: ArticleIdPath) -> ArticleOut:
    record = store.get_article(article_id)
    if record is None:
        raise NotFoundError(f"no article with id {article_id!r}")
    return ArticleOut.from_record(record)


@router.delete(
    "/{article_id}",
    status_code=204,
    dependencies=[write_auth],
    summary="Remove an article and everything it contributed",
    responses={401: {"model": ErrorOut}, 404: {"model": ErrorOut}},
)
def delete_article(store: StoreDep, article_id: ArticleIdPath) -> Response:
    if not store.delete_article(article_id):
        raise NotFoundError(f"no article with id {article_id!r}")
    return Response(status_code=204)
