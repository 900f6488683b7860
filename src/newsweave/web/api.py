"""The JSON API. Stories and articles come back exactly as the report contract shapes them
(spec/report-v1.md; ``newsweave schema``), so a client of the API reads the same objects as a
reader of ``analyze --format json``."""

from __future__ import annotations

import hmac
import json
import tempfile
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from ..schema import ARTICLE, STORY
from .uploads import safe_name

router = APIRouter(prefix="/api")

JSONL_TYPES = {"application/jsonl", "application/x-ndjson", "application/x-jsonlines",
               "application/json"}


def _json(data, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False).encode(), status_code=status,
                    media_type="application/json")


def _content(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


STORY_ROW = {"type": "object", "properties": {
    "id": {"type": "string"}, "title": {"type": "string"},
    "first_published": {"type": ["string", "null"]}, "last_published": {"type": ["string", "null"]},
    "n_articles": {"type": "integer"}, "n_sources": {"type": "integer"}}}

NOT_FOUND = {404: {"description": "no such id"}}


@router.get("/stories", summary="List stories",
            responses={200: _content({"type": "object", "properties": {
                "order": {"type": "string"},
                "stories": {"type": "array", "items": STORY_ROW}}}, "stories, best first")})
def list_stories(request: Request, order: Literal["newest", "sources"] = "newest",
                 limit: int = Query(50, ge=1, le=1000)):
    """Stories newest first (``newest``) or with the most independent sources first (``sources``)."""
    web = request.app.state.web
    body = web.cache.get(web.reader.generation(), ("api-list", order, limit), lambda: json.dumps(
        {"order": order, "stories": web.reader.store().stories(order, limit)},
        ensure_ascii=False).encode())
    return Response(body, media_type="application/json")


@router.get("/stories/{story_id}", summary="One story (report contract: Story)",
            responses={200: _content(STORY, "the story, as in the report's `stories`"), **NOT_FOUND})
def get_story(request: Request, story_id: str):
    """A story by id (or a unique id prefix): summary with citations, entities, quotes, numbers,
    times, reuse, source groups, facts, conflicts, timeline, event."""
    data = request.app.state.web.reader.store().story(story_id)
    if data is None:
        raise HTTPException(404, f"no story {story_id!r}")
    return _json(data)


@router.get("/articles/{article_id:path}", summary="One article (report contract: Article)",
            responses={200: _content(ARTICLE, "the article, as in the report's `articles`, with "
                                              "`version` and `version_of`"), **NOT_FOUND})
def get_article(request: Request, article_id: str):
    """An article by id: cleaned text, what cleaning removed, sentences, metadata."""
    data = request.app.state.web.reader.store().article(article_id)
    if data is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return _json(data)


@router.get("/search", summary="Full-text search over articles and facts",
            responses={200: _content({"type": "object", "properties": {
                "query": {"type": "string"}, "results": {"type": "array", "items": {
                    "type": "object", "properties": {
                        "kind": {"enum": ["article", "fact"]}, "id": {"type": "string"},
                        "title": {"type": ["string", "null"]},
                        "published": {"type": ["string", "null"]},
                        "snippet": {"type": "string"}}}}}}, "hits, best first")})
def search(request: Request, q: str = Query(..., min_length=1, max_length=500),
           limit: int = Query(20, ge=1, le=500)):
    """SQLite FTS5 over article text and titles and over fact statements; words are ANDed.
    Article hits carry a snippet with the matches in [brackets]; fact hits the story id."""
    return _json({"query": q, "results": request.app.state.web.reader.store().search(q, limit)})


@router.get("/health", summary="Liveness and store size")
def health(request: Request):
    return _json({"status": "ok", **request.app.state.web.reader.store().counts()})


def check_token(request: Request) -> None:
    """Writes need ``Authorization: Bearer <web.token>``: 401 without one, 403 with a wrong one
    or when the server has no token set (then writes are off)."""
    token = request.app.state.web.token
    given = request.headers.get("authorization", "")
    if not token:
        raise HTTPException(403, "writes are disabled on this server: set web.token in the config "
                                 "or the NEWSWEAVE_TOKEN environment variable")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not value:
        raise HTTPException(401, "send the write token as 'Authorization: Bearer TOKEN'",
                            headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(value.strip().encode(), token.encode()):
        raise HTTPException(403, "wrong token")


INGEST_BODY = {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "properties": {"files": {
        "type": "array", "items": {"type": "string", "format": "binary"}}}}},
    "application/jsonl": {"schema": {"type": "string", "description": "JSONL records: id, text "
                                     "or html, optional url, source, published, title, author"}}}}


@router.post("/ingest", summary="Add articles (needs the bearer token)",
             openapi_extra={"requestBody": INGEST_BODY, "security": [{"bearer": []}]},
             responses={200: {"description": "what was added, as `newsweave ingest` reports it; "
                                     "inputs that failed are listed in `problems`"},
                        422: {"description": "nothing was added: every input failed (empty "
                                             "body, malformed JSONL, no text); the same body, "
                                             "with the reasons in `problems`"},
                        401: {"description": "no token sent"},
                        403: {"description": "wrong token, or writes disabled"},
                        413: {"description": "body over web.max_upload_bytes"},
                        415: {"description": "not multipart/form-data nor JSONL"}})
async def ingest_upload(request: Request):
    """Upload files (multipart field ``files``: .txt, .html, .jsonl, .json) or a JSONL body.
    Articles are processed, stored (idempotent by content) and the stories recomputed. The body
    limit is ``web.max_upload_bytes``; a larger request gets 413 before its body is read."""
    check_token(request)
    web = request.app.state.web
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    with tempfile.TemporaryDirectory(prefix="newsweave-upload-") as tmp:
        folder, taken = Path(tmp), set()
        if ctype == "multipart/form-data":
            async with request.form(max_files=10_000, max_fields=10_000) as form:
                for _, value in form.multi_items():
                    if isinstance(value, UploadFile):
                        data = await value.read()
                        (folder / safe_name(value.filename, taken)).write_bytes(data)
        elif ctype in JSONL_TYPES:
            name = "upload.json" if ctype == "application/json" else "upload.jsonl"
            (folder / name).write_bytes(await request.body())
            taken.add(name)
        else:
            raise HTTPException(415, "send multipart/form-data with 'files', or a JSONL body "
                                     "(Content-Type: application/jsonl)")
        if not taken:
            raise HTTPException(400, "no files in the upload (multipart field 'files')")
        result = await run_in_threadpool(web.ingest, folder)
    if not (result["added"] or result["unchanged"] or result["versions"]):
        # every input failed (empty, not JSON, no text...): nothing was stored
        return _json(result, status=422)
    return _json(result)
