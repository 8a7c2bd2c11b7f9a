"""The HTTP API and the web page: FastAPI over the same data functions as the CLI.

Safety: every template auto-escapes, a Content-Security-Policy forbids inline scripts and
styles, SQL only ever sees parameters, and writes need the bearer token in $STORYLINE_TOKEN.
"""
from __future__ import annotations

import hmac
import os
import threading
from collections import OrderedDict
from importlib import resources
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..api import article_view
from ..errors import NotFound, StorylineError, UnreadableInput
from ..store import open_store

MAX_BODY = 5 * 1024 * 1024
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        self.status, self.message = status, message


class Stores:
    """One SQLite connection per thread (FastAPI runs plain endpoints in a thread pool)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.local = threading.local()
        open_store(path).close()  # create and migrate once, up front

    def get(self) -> Any:
        store = getattr(self.local, "store", None)
        if store is None:
            store = self.local.store = open_store(self.path, check_same_thread=False)
        return store


class ComparisonCache:
    """Comparisons of stories, keyed by story id and its last update (so a change recomputes)."""

    def __init__(self, size: int = 256) -> None:
        self.items: OrderedDict[tuple[str, int], dict[str, Any]] = OrderedDict()
        self.lock = threading.Lock()
        self.size = size

    def get(self, store: Any, story: dict[str, Any]) -> dict[str, Any]:
        from ..compare.report import story_comparison

        key = (story["id"], story["updated_seq"])
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = story_comparison(store, story["id"])
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


def create_app(db: str | None = None, token: str | None = None) -> FastAPI:
    db = db or os.environ.get("STORYLINE_DB") or "storyline.db"
    token = token if token is not None else os.environ.get("STORYLINE_TOKEN") or None
    app = FastAPI(title="storyline", version=_version(),
                  description="Multi-source news: articles, stories, and the comparison of their sources.")
    stores = Stores(db)
    cache = ComparisonCache()
    templates = Jinja2Templates(directory=str(resources.files("storyline") / "web" / "templates"))
    app.mount("/static", StaticFiles(directory=str(resources.files("storyline") / "web" / "static")), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Any:
        if request.method == "POST":
            length = request.headers.get("content-length")
            if length and length.isdigit() and int(length) > MAX_BODY:
                return JSONResponse({"error": f"body over {MAX_BODY:,} bytes"}, status_code=413)
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": exc.message}, status_code=exc.status)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Any:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(exc)}, status_code=404)
        return templates.TemplateResponse(request, "error.html", {"message": str(exc)}, status_code=404)

    @app.exception_handler(UnreadableInput)
    async def unreadable(request: Request, exc: UnreadableInput) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", []))
        return JSONResponse({"error": f"invalid {where}: {first.get('msg', 'bad request')}"}, status_code=422)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Any:
        from fastapi.responses import Response

        return Response(status_code=204)

    # -- JSON API -------------------------------------------------------------------------
    @app.get("/api/health")
    def health() -> dict[str, Any]:
        store = stores.get()
        return {"status": "ok", "articles": store.count_articles(), "stories": store.count_stories(),
                "version": _version()}

    @app.get("/api/articles")
    def list_articles(q: str | None = None, source: str | None = None, limit: int = Query(20, ge=1, le=500),
                      offset: int = Query(0, ge=0)) -> dict[str, Any]:
        items = stores.get().list_articles(search=q, source=source, limit=limit, offset=offset)
        return {"items": [a.to_dict() for a in items], "limit": limit, "offset": offset}

    @app.get("/api/articles/{article_id}")
    def get_article(article_id: str) -> dict[str, Any]:
        return article_data(stores.get(), article_id)

    @app.get("/api/stories")
    def list_stories(q: str | None = None, min_sources: int = Query(1, ge=1), sort: str = Query("latest", pattern="^(latest|size)$"),
                     limit: int = Query(20, ge=1, le=500), offset: int = Query(0, ge=0)) -> dict[str, Any]:
        items = stores.get().list_stories(search=q, min_sources=min_sources, sort=sort, limit=limit, offset=offset)
        return {"items": items, "limit": limit, "offset": offset}

    @app.get("/api/stories/{story_id}")
    def get_story(story_id: str) -> dict[str, Any]:
        from ..api import story_data

        store = stores.get()
        data = story_data(store, story_id)
        data["comparison"] = cache.get(store, data)  # keyed by id and updated_seq, both in data
        return data

    @app.post("/api/articles", status_code=201)
    async def post_article(request: Request) -> JSONResponse:
        _authorise(request, token)
        body = await request.body()
        if len(body) > MAX_BODY:
            raise ApiError(413, f"body over {MAX_BODY:,} bytes")
        if not body.strip():
            raise ApiError(400, "empty body")
        article = _parse_post(body, request.headers.get("content-type", ""))
        store = stores.get()
        from ..stories import cluster_store

        status = store.add_articles([article])[0]
        cluster_store(store)
        return JSONResponse({"id": article.id, "status": status, "story_id": store.story_of(article.id),
                             "title": article.title}, status_code=201 if status == "new" else 200)

    # -- pages ----------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    def index(request: Request, q: str | None = None, sort: str = Query("latest", pattern="^(latest|size)$"),
              page: int = Query(1, ge=1)) -> Any:
        store = stores.get()
        per = 30
        items = store.list_stories(search=q, sort=sort, limit=per + 1, offset=(page - 1) * per)
        more = len(items) > per
        items = items[:per]
        for s in items:
            s["bars"] = coverage_bars(s["outlets"])
        return templates.TemplateResponse(request, "index.html", {"stories": items, "q": q or "", "sort": sort,
                                                                  "page": page, "more": more,
                                                                  "total": store.count_stories()})

    pages: OrderedDict[tuple[str, int], str] = OrderedDict()

    @app.get("/stories/{story_id}", response_class=HTMLResponse)
    def story_page(request: Request, story_id: str) -> Any:
        from ..api import story_data
        from ..compare.render import STATUS_MARK, source_columns

        store = stores.get()
        key = store.story_version(story_id)
        html = pages.get(key)
        if html is None:  # rendered once per version of the story
            data = story_data(store, key[0])
            c = cache.get(store, store.get_story(key[0]))
            html = templates.get_template("story.html").render(
                request=request, story=data, c=c, columns=source_columns(c), marks=STATUS_MARK,
                timeline=timeline_svg(c["timeline"]))
            with cache.lock:
                pages[key] = html
                while len(pages) > cache.size:
                    pages.popitem(last=False)
        return HTMLResponse(html)

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_page(request: Request, article_id: str) -> Any:
        return templates.TemplateResponse(request, "article.html", {"a": article_data(stores.get(), article_id)})

    return app


def article_data(store: Any, article_id: str) -> dict[str, Any]:
    return article_view(store, article_id)[1]


def _authorise(request: Request, token: str | None) -> None:
    if not token:
        raise ApiError(401, "writes are disabled: set STORYLINE_TOKEN on the server to allow them")
    given = request.headers.get("authorization", "")
    if not given.lower().startswith("bearer ") or not hmac.compare_digest(given[7:].strip(), token):
        raise ApiError(401, "missing or wrong bearer token")


def _parse_post(body: bytes, ctype: str) -> Any:
    import json

    from ..readers import ReaderOptions
    from ..readers.base import decode_bytes
    from ..readers.html import parse_html
    from ..readers.jsonl import article_from_object
    from ..readers.text import parse_text

    opts = ReaderOptions()
    ctype = ctype.split(";")[0].strip().lower()
    if ctype in ("application/json", ""):
        try:
            obj = json.loads(decode_bytes(body))
        except json.JSONDecodeError as exc:
            raise ApiError(400, f"invalid JSON: {exc.msg}") from None
        if not isinstance(obj, dict):
            raise ApiError(422, "an article must be a JSON object")
        try:
            return article_from_object(obj, "POST /api/articles", opts)
        except UnreadableInput as exc:
            raise ApiError(422, exc.reason) from None
    if ctype in ("text/html", "application/xhtml+xml"):
        return parse_html(body, "POST /api/articles", opts)
    if ctype == "text/plain":
        return parse_text(decode_bytes(body), "POST /api/articles", opts)
    raise ApiError(415, f"unsupported content type {ctype!r}: use application/json, text/html or text/plain")


def coverage_bars(outlets: dict[str, int], width: int = 160) -> list[dict[str, Any]]:
    total = sum(outlets.values()) or 1
    x = 0.0
    bars = []
    for i, (name, n) in enumerate(outlets.items()):
        w = width * n / total
        bars.append({"name": name, "n": n, "x": round(x, 1), "w": round(max(w - 1, 1), 1), "hue": (i * 67) % 360})
        x += w
    return bars


def timeline_svg(events: list[dict[str, Any]], width: int = 900) -> dict[str, Any]:
    """Positions of timeline events on a horizontal axis (drawn by the template as SVG)."""
    if not events:
        return {"points": [], "width": width, "height": 0}
    from datetime import date

    def ordinal(d: str) -> int:
        parts = [int(p) for p in d.split("-")] + [1, 1]
        try:
            return date(parts[0], parts[1] or 1, parts[2] or 1).toordinal()
        except ValueError:
            return date(parts[0], 1, 1).toordinal()

    xs = [ordinal(e["date"]) for e in events]
    lo, hi = min(xs), max(xs)
    span = max(hi - lo, 1)
    points = []
    for i, (e, x) in enumerate(zip(events, xs)):
        px = 40 + (width - 80) * (x - lo) / span
        points.append({"x": round(px, 1), "y": 40 + (i % 4) * 22, "date": e["date"], "approximate": e["approximate"],
                       "text": e["text"], "sources": e["sources"], "n": i + 1})
    return {"points": points, "width": width, "height": 40 + 4 * 22 + 20}


def _version() -> str:
    from .. import __version__

    return __version__


def serve(db: str, host: str = "127.0.0.1", port: int = 8000) -> None:
    import uvicorn

    uvicorn.run(create_app(db), host=host, port=port, log_level="warning")


__all__ = ["create_app", "serve", "StorylineError"]
