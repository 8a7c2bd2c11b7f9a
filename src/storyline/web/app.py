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

from fastapi import FastAPI, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..api import article_view
from ..errors import NotFound, StorylineError, UnreadableInput
from ..store import open_store
from . import schemas
from .pages import Palette, column_class, coverage_bars, legend

MAX_BODY = 5 * 1024 * 1024
MAX_OFFSET = 1_000_000_000  # past SQLite's integers a query fails; no store holds this many
MIN_NEWS_WORDS = 10  # a POSTed body shorter than this is not news ("hello")
FUTURE_SLACK = 24 * 3600  # time zones and clock skew; a date further ahead is refused
ERRORS = {code: {"model": schemas.ErrorOut, "description": text} for code, text in {
    400: "Bad request (malformed JSON, empty body)", 401: "Missing or wrong bearer token, or writes disabled",
    404: "No such article or story, or an ambiguous id prefix", 413: "Body over 5 MB",
    415: "Unsupported content type", 422: "Invalid parameter, or an article that is not news"}.items()}


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: ERRORS[code] for code in codes}


def _post_body_schema() -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {
        "application/json": {"schema": schemas.ArticleIn.model_json_schema()},
        "text/html": {"schema": {"type": "string", "description": "An HTML page; its article is extracted."}},
        "text/plain": {"schema": {"type": "string", "description": "Headline on the first line, then the body."}},
    }}}
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
    app = FastAPI(title="storyline", version=_version(), docs_url=None, redoc_url=None,
                  description="Multi-source news: articles, stories, and the comparison of their sources.")
    stores = Stores(db)
    cache = ComparisonCache()
    bearer = HTTPBearer(auto_error=False, description="The server's $STORYLINE_TOKEN; needed for writes.")
    templates = Jinja2Templates(directory=str(resources.files("storyline") / "web" / "templates"))
    from .pages import register_filters

    register_filters(templates.env)
    # Swagger UI's assets come from a wheel (fastapi-offline), so /docs works offline under the CSP
    app.mount("/static/swagger", StaticFiles(directory=str(resources.files("fastapi_offline") / "static")),
              name="swagger")
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

    palettes: dict[int, Palette] = {}

    def palette(store: Any) -> Palette:
        """The store's outlet colours, rebuilt only when articles were added (MAX(seq) is one
        index lookup; a COUNT(*) would scan the table on every page)."""
        n = store.last_seq()
        if n not in palettes:
            palettes.clear()
            palettes[n] = Palette(store.outlets_in_order())
        return palettes[n]

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> Any:
        return templates.TemplateResponse(request, "docs.html", {})

    # -- JSON API -------------------------------------------------------------------------
    @app.get("/api/health", response_model=schemas.HealthOut)
    def health() -> dict[str, Any]:
        store = stores.get()
        return {"status": "ok", "articles": store.count_articles(), "stories": store.count_stories(),
                "version": _version()}

    @app.get("/api/articles", response_model=schemas.ArticlePage, responses=_errors(422))
    def list_articles(q: str | None = None, source: str | None = None, limit: int = Query(20, ge=1, le=500),
                      offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> dict[str, Any]:
        store = stores.get()
        items = store.list_articles(search=q, source=source, limit=limit, offset=offset)
        story_of = store.stories_of([a.id for a in items])
        return {"items": [dict(a.to_dict(), story_id=story_of.get(a.id)) for a in items],
                "total": store.count_articles(search=q, source=source), "limit": limit, "offset": offset}

    @app.get("/api/articles/{article_id}", response_model=schemas.ArticleDetailOut, responses=_errors(404, 422))
    def get_article(article_id: str) -> dict[str, Any]:
        return article_data(stores.get(), article_id)

    @app.get("/api/stories", response_model=schemas.StoryPage, responses=_errors(422))
    def list_stories(q: str | None = None, min_sources: int = Query(1, ge=1, le=MAX_OFFSET), sort: str = Query("latest", pattern="^(latest|size)$"),
                     limit: int = Query(20, ge=1, le=500), offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> dict[str, Any]:
        store = stores.get()
        items, total = store.story_page(search=q, min_sources=min_sources, sort=sort, limit=limit, offset=offset)
        langs = store.languages_of([s["id"] for s in items])
        for s in items:
            s["languages"] = langs[s["id"]]
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    @app.get("/api/stories/{story_id}", response_model=schemas.StoryDetailOut, responses=_errors(404, 422))
    def get_story(story_id: str) -> dict[str, Any]:
        from ..api import story_data

        store = stores.get()
        data = story_data(store, story_id)
        data["comparison"] = cache.get(store, data)  # keyed by id and updated_seq, both in data
        return data

    @app.post("/api/articles", status_code=201, response_model=schemas.PostOut,
              responses={200: {"model": schemas.PostOut, "description": "Already stored (unchanged or updated)"},
                         **_errors(400, 401, 413, 415, 422)},
              openapi_extra=_post_body_schema())
    async def post_article(request: Request,
                           credentials: HTTPAuthorizationCredentials | None = Security(bearer)) -> JSONResponse:
        """Store an article (JSON, an HTML page or plain text) and assign it to a story."""
        _authorise(credentials, token)
        body = await request.body()
        if len(body) > MAX_BODY:
            raise ApiError(413, f"body over {MAX_BODY:,} bytes")
        if not body.strip():
            raise ApiError(400, "empty body")
        article = _parse_post(body, request.headers.get("content-type", ""))
        _check_news(article)
        store = stores.get()
        from ..stories import cluster_store

        status = store.add_articles([article])[0]
        cluster_store(store)
        return JSONResponse({"id": article.id, "status": status, "story_id": store.story_of(article.id),
                             "title": article.title}, status_code=201 if status == "new" else 200)

    # -- pages ----------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request, q: str | None = None, sort: str = Query("latest", pattern="^(latest|size)$"),
              page: int = Query(1, ge=1, le=MAX_OFFSET)) -> Any:
        store = stores.get()
        per = 30
        items, total = store.story_page(search=q, sort=sort, limit=per + 1, offset=(page - 1) * per)
        more = len(items) > per
        items = items[:per]
        counts = store.outlet_counts([s["id"] for s in items])
        colour = palette(store)
        for s in items:
            s["bars"] = coverage_bars(counts[s["id"]], colour)
            s["legend"] = legend(counts[s["id"]], colour)
        return templates.TemplateResponse(request, "index.html", {"stories": items, "q": q or "", "sort": sort,
                                                                  "page": page, "more": more,
                                                                  "total": total})

    pages: OrderedDict[tuple[str, int], str] = OrderedDict()

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str) -> Any:
        from ..api import story_data
        from ..compare.render import STATUS_MARK, source_columns

        store = stores.get()
        key = store.story_version(story_id)
        html = pages.get(key)
        if html is None:  # rendered once per version of the story
            data = story_data(store, key[0])
            c = cache.get(store, store.get_story(key[0]))
            counts = store.outlet_counts([key[0]])[key[0]]
            colour = palette(store)
            html = templates.get_template("story.html").render(
                request=request, story=data, c=c, columns=source_columns(c), marks=STATUS_MARK,
                timeline=timeline_svg(c["timeline"]), bars=coverage_bars(counts, colour), legend=legend(counts, colour),
                cols=column_class(len(c["sources"])), colour=colour)
            with cache.lock:
                pages[key] = html
                while len(pages) > cache.size:
                    pages.popitem(last=False)
        return HTMLResponse(html)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> Any:
        return templates.TemplateResponse(request, "article.html", {"a": article_data(stores.get(), article_id)})

    return app


def article_data(store: Any, article_id: str) -> dict[str, Any]:
    return article_view(store, article_id)[1]


def _authorise(credentials: HTTPAuthorizationCredentials | None, token: str | None) -> None:
    if not token:
        raise ApiError(401, "writes are disabled: set STORYLINE_TOKEN on the server to allow them")
    given = credentials.credentials.strip() if credentials else ""
    if not given or not hmac.compare_digest(given.encode(), token.encode()):
        raise ApiError(401, "missing or wrong bearer token")


def _check_news(article: Any) -> None:
    """A POSTed article must be news: long enough, and not dated in the future."""
    import time

    from ..dates import to_timestamp

    words = sum(len(p.split()) for p in article.body)
    if words < MIN_NEWS_WORDS:
        raise ApiError(422, f"too short to be news: the text has {words} word{'s' if words != 1 else ''}, "
                            f"an article needs at least {MIN_NEWS_WORDS}")
    ts = to_timestamp(article.published_at) if article.published_at else None
    if ts is not None and ts > time.time() + FUTURE_SLACK:
        raise ApiError(422, f"published_at {article.published_at} is in the future")


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
