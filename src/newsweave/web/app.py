"""The web app: ``create_app(store_path, config)`` builds it, ``serve`` runs it with uvicorn.

The app only parses requests, calls the store and the renderer, and formats; it holds no
analysis logic. Reads go through read-only connections; the one write (POST /api/ingest) needs
the bearer token and goes through ``newsweave.store.ingest``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..config import Config, check_token, load_config
from ..render.html import asset
from ..store import Store
from . import api, pages
from .cache import PageCache
from .docs import docs_body
from .guard import Guard
from .reader import Reader
from .uploads import Ingester

STATIC = Path(__file__).parent / "static"

DESCRIPTION = ("Browse the stories of a newsweave corpus store: each story's cited summary, "
               "conflicts, timeline, entities, quotes and sources. Reads are open; "
               "POST /api/ingest needs the bearer token.")


@dataclass
class WebState:
    reader: Reader
    cache: PageCache
    ingest: Ingester
    token: str | None
    static: dict[str, tuple[bytes, str]]


def _static_files() -> dict[str, tuple[bytes, str]]:
    """The only files /static/ serves, by exact name; nothing is looked up on disk per request,
    so no path can reach outside this list."""
    files = {"story.css": (asset("story.css").encode(), "text/css; charset=utf-8"),
             "story.js": (asset("story.js").encode(), "text/javascript; charset=utf-8")}
    for f in STATIC.iterdir():
        kind = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml"}.get(f.suffix)
        if kind and f.is_file():
            files[f.name] = (f.read_bytes(), kind)
    return files


def create_app(store_path: str | Path, config: Config | None = None) -> FastAPI:
    """The FastAPI app over the store at ``store_path`` (created if missing, so the first
    articles can come through POST /api/ingest)."""
    config = config or load_config()
    token = os.environ.get("NEWSWEAVE_TOKEN") or config.get("web.token")
    check_token(token, "NEWSWEAVE_TOKEN" if os.environ.get("NEWSWEAVE_TOKEN") else "web.token")
    Store(store_path).close()  # create or migrate once; requests then only read
    app = FastAPI(title="newsweave", version=_version(), description=DESCRIPTION,
                  docs_url=None, redoc_url=None)
    app.state.web = WebState(reader=Reader(store_path), cache=PageCache(),
                             ingest=Ingester(store_path, config), token=token,
                             static=_static_files())
    app.include_router(api.router)
    base_openapi = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            spec = base_openapi()
            spec.setdefault("components", {}).setdefault("securitySchemes", {})["bearer"] = {
                "type": "http", "scheme": "bearer"}
        return app.openapi_schema

    app.openapi = openapi
    app.include_router(pages.router)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str, request: Request):
        found = request.app.state.web.static.get(name)
        if found is None:
            raise HTTPException(404, "no such file")
        return Response(found[0], media_type=found[1],
                        headers={"Cache-Control": "public, max-age=3600"})

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request):
        return pages.html(pages.page("API", docs_body(request.app.openapi())))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        return pages.error_page(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": detail}, status_code=422)
        return pages.error_page(422, detail)

    app.add_middleware(Guard, max_body=int(config.get("web.max_upload_bytes")))
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsweave")
    except PackageNotFoundError:
        return "0"


def serve(store_path: str | Path, config: Config | None = None, host: str = "127.0.0.1",
          port: int = 8000) -> None:
    """Run the app with uvicorn until interrupted."""
    import uvicorn

    app = create_app(store_path, config)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False,
                proxy_headers=False, access_log=False)
