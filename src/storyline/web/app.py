"""The HTTP API and the web page: FastAPI over the same data functions as the CLI.

Safety: every template auto-escapes, a Content-Security-Policy forbids inline scripts and
styles, SQL only ever sees parameters, and writes need the bearer token in $STORYLINE_TOKEN.
"""
from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from datetime import datetime
from importlib import resources
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BeforeValidator
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..api import article_view
from ..errors import NotFound, StorylineError, UnreadableInput
from ..model import storable
from ..store import open_store
from . import schemas
from .pages import Palette, column_class, coverage_bars, coverage_chart, legend
from .posting import MAX_BODY, ApiError, _authorise, _check_news, _parse_post

MAX_OFFSET = 1_000_000_000  # past SQLite's integers a query fails; no store holds this many
ERRORS = {code: {"model": schemas.ErrorOut, "description": text} for code, text in {
    400: "Bad request (malformed JSON, empty body)", 401: "Missing or wrong bearer token, or writes disabled",
    404: "No such article or story, or an ambiguous id prefix", 413: "Body over 5 MB",
    415: "Unsupported content type", 422: "Invalid parameter, or an article that is not news"}.items()}
STATUS_TITLES = {400: "Bad request", 401: "Not allowed", 404: "Not found", 405: "Method not allowed",
                 413: "Too large", 415: "Unsupported content type", 422: "Bad request", 500: "Server error"}


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: ERRORS[code] for code in codes}


def _post_body_schema() -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {
        "application/json": {"schema": schemas.ArticleIn.model_json_schema()},
        "text/html": {"schema": {"type": "string", "minLength": 1,
                                 "description": "An HTML page; its article is extracted."}},
        "text/plain": {"schema": {"type": "string", "minLength": 1,
                                  "description": "Headline on the first line, then the body."}},
    }}}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def _iso_text(value: Any) -> Any:
    """A time as text that starts as an ISO 8601 date does: pydantic alone would also take a bare
    number (0.5) as a Unix time."""
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", value.strip()):
        return value.strip()
    raise ValueError("must be an ISO 8601 date or time such as 2025-07-08 or 2025-07-08T09:00:00Z")


IsoTime = Annotated[datetime, BeforeValidator(_iso_text)]


def wants_html(request: Request) -> bool:
    """A browser asking for a page (not under /api/): it gets an HTML error page, API clients JSON."""
    if request.url.path.startswith("/api/"):
        return False
    accept = request.headers.get("accept", "").lower()
    return "text/html" in accept or "application/xhtml+xml" in accept


def _query_text(value: str | None) -> str | None:
    """A search or outlet from the query string as a store can take it: a NUL or another control
    character becomes a space (a search of nothing else still matches nothing), a lone surrogate
    U+FFFD (`model.storable`)."""
    return None if value is None else storable(_CONTROLS.sub(" ", value))


_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: text any store and any JSON encoder can take (a lone surrogate from a JSON escape "\ud800")
_repair = storable


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
        from ..coverage import record_conflicts

        value = story_comparison(store, story["id"])
        try:  # the outlets' conflict counts and the index's badges
            record_conflicts(store, story, value)
        except Exception:  # noqa: BLE001 - a store that cannot be written (read-only) still shows the story
            pass
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
        response = await call_next(request)
        _secure(response)
        return response

    def error_response(request: Request, status: int, message: str,
                       headers: dict[str, str] | None = None) -> Response:
        """Every error in one shape: `ErrorOut` JSON, or an HTML page for a browser outside /api/."""
        headers = dict(headers or {})
        if status == 401:
            headers.setdefault("WWW-Authenticate", "Bearer")
        message = _repair(message)
        if wants_html(request) and request.method in ("GET", "HEAD"):
            try:
                return templates.TemplateResponse(
                    request, "error.html", {"message": message, "status": status,
                                            "heading": STATUS_TITLES.get(status, "Error")},
                    status_code=status, headers=headers)
            except Exception:  # noqa: BLE001 - a page that cannot render still gets its error, as JSON
                pass
        return JSONResponse({"error": message}, status_code=status, headers=headers)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc.status, exc.message)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return error_response(request, 404, str(exc))

    @app.exception_handler(UnreadableInput)
    async def unreadable(request: Request, exc: UnreadableInput) -> Response:
        return error_response(request, 400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"there is no page at {request.url.path}"
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Starlette names the methods of the first route of the path only (GET of
            # /api/articles, not its POST): every route of the path counts
            allowed = _allowed_methods(app, request) or headers.get("Allow", "")
            headers["Allow"] = allowed
            if message == "Method Not Allowed":
                message = f"{request.method} is not allowed here" + (f"; allowed: {allowed}" if allowed else "")
        return error_response(request, exc.status_code, message, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        first = errors[0] if errors else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x not in ("query", "path"))
        return error_response(request, 422, f"invalid {where or 'request'}: {first.get('msg', 'bad request')}")

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        """The last resort (a 500 should never happen): the same error shape, never a traceback."""
        response = error_response(request, 500, f"internal server error ({type(exc).__name__}); "
                                                 "the server's log has the details")
        return _secure(response)

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
        q, source = _query_text(q), _query_text(source)
        items = store.list_articles(search=q, source=source, limit=limit, offset=offset)
        story_of = store.stories_of([a.id for a in items])
        return {"items": [dict(a.to_dict(), story_id=story_of.get(a.id)) for a in items],
                "total": store.count_articles(search=q, source=source), "limit": limit, "offset": offset}

    @app.get("/api/articles/{article_id}", response_model=schemas.ArticleDetailOut, responses=_errors(404, 422))
    def get_article(article_id: str) -> dict[str, Any]:
        return article_data(stores.get(), article_id)

    def story_items(store: Any, q: str | None, min_sources: int, sort: str, limit: int, offset: int,
                    blindspot: str | None) -> tuple[list[dict[str, Any]], int]:
        """A page of stories (only the blindspots on an attribute when asked), each with its card."""
        from ..coverage import UnknownAttribute, blindspot_stories, card_extras

        if blindspot:
            try:
                found = blindspot_stories(store, blindspot, search=q, sort=sort)["items"]
            except UnknownAttribute:  # a filter nothing matches: no outlet has that attribute
                found = []
            found = [s for s in found if s["independent"] >= min_sources]
            items, total = found[offset:offset + limit], len(found)
        else:
            items, total = store.story_page(search=q, min_sources=min_sources, sort=sort, limit=limit, offset=offset)
        langs = store.languages_of([s["id"] for s in items])
        cards = card_extras(store, items)
        for s in items:
            s["languages"] = langs[s["id"]]
            s["card"] = cards[s["id"]]
        return items, total

    @app.get("/api/stories", response_model=schemas.StoryPage, responses=_errors(422))
    def list_stories(q: str | None = None, min_sources: int = Query(1, ge=1, le=MAX_OFFSET),
                     sort: str = Query("latest", pattern="^(latest|size|sources)$"),
                     blindspot: str | None = Query(None, description="A registry attribute: only the stories covered "
                                                                      "mostly by one of its values (README: the rule); "
                                                                      "none for an attribute no outlet has."),
                     limit: int = Query(20, ge=1, le=500), offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> dict[str, Any]:
        store = stores.get()
        items, total = story_items(store, _query_text(q), min_sources, sort, limit, offset, _query_text(blindspot))
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    def coverage_of(store: Any, story_id: str, by: str, bucket: str) -> dict[str, Any]:
        from ..coverage import UnknownAttribute, story_coverage

        try:
            return story_coverage(store, story_id, bucket=bucket, by=by)
        except UnknownAttribute as exc:  # not found, as a story id that is not there
            raise ApiError(404, str(exc)) from None

    @app.get("/api/stories/{story_id}", response_model=schemas.StoryDetailOut, responses=_errors(404, 422))
    def get_story(story_id: str, by: str = Query("outlet", description="Coverage over time per outlet or per value "
                                                                        "of this registry attribute (404 for an "
                                                                        "attribute no outlet has)."),
                  bucket: str = Query("auto", pattern="^(auto|hour|day)$"),
                  since: IsoTime | None = Query(None, description="What is new since this time (ISO 8601; "
                                                                  "without a zone, UTC).")) -> dict[str, Any]:
        from ..api import story_data
        from ..coverage import changes_since, story_fact_firsts

        store = stores.get()
        data = story_data(store, story_id)
        data["coverage"] = coverage_of(store, data["id"], _query_text(by) or "outlet", bucket)
        data["comparison"] = cache.get(store, data)  # keyed by id and updated_seq, both in data
        data["fact_firsts"] = story_fact_firsts(store, data["id"], data["comparison"])
        if since is not None:
            data["since"] = changes_since(data["comparison"], since)
        return data

    @app.get("/api/stories/{story_id}/coverage", response_model=schemas.CoverageOut, responses=_errors(404, 422))
    def get_coverage(story_id: str, by: str = Query("outlet"),
                     bucket: str = Query("auto", pattern="^(auto|hour|day)$")) -> dict[str, Any]:
        """A story's coverage alone: first reporter, articles over time, split by each registry attribute."""
        store = stores.get()
        return coverage_of(store, store.story_version(story_id)[0], _query_text(by) or "outlet", bucket)

    @app.get("/api/outlets", response_model=schemas.OutletsOut)
    def list_outlets() -> dict[str, Any]:
        from ..coverage import outlets_data

        return outlets_data(stores.get())

    @app.get("/api/outlets/{name}", response_model=schemas.OutletDetailOut, responses=_errors(404, 422))
    def get_outlet(name: str) -> dict[str, Any]:
        from ..coverage import outlet_data

        return outlet_data(stores.get(), _query_text(name) or "")

    @app.post("/api/articles", status_code=201, response_model=schemas.PostOut,
              responses={200: {"model": schemas.PostOut, "description": "Already stored (unchanged or updated)"},
                         **_errors(400, 401, 413, 415, 422)},
              openapi_extra=_post_body_schema())
    async def post_article(request: Request,
                           credentials: HTTPAuthorizationCredentials | None = Security(bearer)) -> JSONResponse:
        """Store an article (JSON, an HTML page or plain text) and assign it to a story."""
        _authorise(credentials, token)  # before a byte of the body is read
        body = await _read_body(request)
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
    def index(request: Request, q: str | None = None, sort: str = Query("latest", pattern="^(latest|size|sources)$"),
              blindspot: str | None = None, page: int = Query(1, ge=1, le=MAX_OFFSET)) -> Any:
        from ..coverage import attributes_of, resolver

        store = stores.get()
        per = 30
        q, blindspot = _query_text(q), _query_text(blindspot) or None
        items, total = story_items(store, q, 1, sort, per + 1, (page - 1) * per, blindspot)
        more = len(items) > per
        items = items[:per]
        counts = store.outlet_counts([s["id"] for s in items])
        colour = palette(store)
        for s in items:
            s["bars"] = coverage_bars(counts[s["id"]], colour)
            s["legend"] = legend(counts[s["id"]], colour)
        return templates.TemplateResponse(request, "index.html", {
            "stories": items, "q": q or "", "sort": sort, "page": page, "more": more, "total": total,
            "blindspot": blindspot or "", "attributes": attributes_of(resolver(store)), "now": _now()})

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_page(request: Request) -> Any:
        from ..coverage import outlets_data

        store = stores.get()
        return templates.TemplateResponse(request, "outlets.html", {"data": outlets_data(store), "colour": palette(store)})

    @app.get("/outlets/{name}", response_class=HTMLResponse, include_in_schema=False)
    def outlet_page(request: Request, name: str) -> Any:
        from ..coverage import outlet_data

        store = stores.get()
        return templates.TemplateResponse(request, "outlet.html", {"o": outlet_data(store, _query_text(name) or ""),
                                                                   "colour": palette(store), "now": _now()})

    @app.get("/stories/{story_id}.atom", include_in_schema=False)
    def story_feed(request: Request, story_id: str) -> Response:
        """The story's updates as an Atom feed: one entry per update, its content the update summary."""
        from ..coverage.feeds import story_updates
        from .feeds import atom, summary_text

        store = stores.get()
        story = store.get_story(story_id, members=False)
        c = cache.get(store, story)
        updates = story_updates(c, story["id"])
        outlets = {s["n"]: f"{s.get('source') or 'unknown outlet'}: {s.get('title') or ''}" for s in c["sources"]}
        base = str(request.base_url).rstrip("/")
        page = f"{base}/stories/{story['id']}"
        entries = []
        for k, u in enumerate(updates):
            before = updates[k + 1]["updated"] if k + 1 < len(updates) else None
            entries.append({"id": f"{page}#update-{u['updated']}", "title": u["title"], "updated": u["updated"],
                            "link": page + (f"?since={before}" if before else ""),
                            "content": summary_text(u["summary"], outlets)})
        updated = updates[0]["updated"] if updates else (story.get("last_at") or "1970-01-01T00:00:00Z")
        body = atom(page, story["title"] or "Untitled story", f"{page}.atom", page, updated, entries)
        return Response(body, media_type="application/atom+xml")

    @app.get("/search.atom", include_in_schema=False)
    def search_feed(request: Request, q: str = Query(..., min_length=1)) -> Response:
        """The stories a search finds, newest first, as an Atom feed: one entry per story."""
        from ..coverage import card_extras
        from .feeds import atom

        store = stores.get()
        q = _query_text(q) or ""
        items, _ = store.story_page(search=q, sort="latest", limit=50, offset=0)
        cards = card_extras(store, items)
        base = str(request.base_url).rstrip("/")
        entries = []
        for s in items:
            card = cards[s["id"]]
            first = card["first_reported"]
            lines = [card["lede"] or "", f"{s['articles']} articles, {s['independent']} independent sources."]
            if first["status"] == "dated":
                lines.append(f"First reported by {first['outlet']} at {first['published_at']}.")
            entries.append({"id": f"{base}/stories/{s['id']}", "title": s["title"] or "Untitled story",
                            "updated": s["last_at"] or s["first_at"] or "1970-01-01T00:00:00Z",
                            "link": f"{base}/stories/{s['id']}", "content": "\n".join(x for x in lines if x)})
        from urllib.parse import quote

        updated = max((e["updated"] for e in entries), default="1970-01-01T00:00:00Z")
        body = atom(f"{base}/search.atom?q={quote(q)}", f"Stories about {q}", f"{base}/search.atom?q={quote(q)}",
                    f"{base}/?q={quote(q)}", updated, entries)
        return Response(body, media_type="application/atom+xml")

    pages: OrderedDict[tuple[str, int, str, str], str] = OrderedDict()

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str, since: IsoTime | None = None) -> Any:
        from ..api import story_data
        from ..compare.render import STATUS_MARK, source_columns

        store = stores.get()
        # the registry's attributes change the coverage's group split: an import renders anew
        key = (*store.story_version(story_id), _registry_key(store), since.isoformat() if since else "")
        html = pages.get(key)
        if html is None:  # rendered once per version of the story
            data = story_data(store, key[0])
            c = cache.get(store, store.get_story(key[0]))
            counts = store.outlet_counts([key[0]])[key[0]]
            colour = palette(store)
            from ..coverage import story_fact_firsts

            coverage = coverage_of(store, key[0], "outlet", "auto")
            coverage["fact_firsts"] = story_fact_firsts(store, key[0], c)
            if since is not None:
                from ..coverage import changes_since

                coverage["since"] = changes_since(c, since)
            html = templates.get_template("story.html").render(
                request=request, story=data, c=c, columns=source_columns(c), marks=STATUS_MARK, coverage=coverage,
                chart=coverage_chart(coverage["over_time"], colour),
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


def _allowed_methods(app: FastAPI, request: Request) -> str:
    """The methods some route of the request's path answers, for a 405's `Allow`."""
    from starlette.routing import Match

    methods: set[str] = set()
    for route in app.router.routes:
        route_methods = getattr(route, "methods", None)
        if route_methods and route.matches(request.scope)[0] != Match.NONE:
            methods |= set(route_methods)
    order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    return ", ".join(sorted(methods, key=lambda m: (order.index(m) if m in order else len(order), m)))


def _secure(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def article_data(store: Any, article_id: str) -> dict[str, Any]:
    return article_view(store, article_id)[1]


async def _read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    """The request's body, refused with 413 as soon as it is known to be over `limit`: from its
    Content-Length before reading, or (chunked) once the bytes read so far pass it."""
    length = request.headers.get("content-length", "").strip()
    if length.isdigit() and int(length) > limit:
        raise ApiError(413, f"body over {limit:,} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, f"body over {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


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


def _registry_key(store: Any) -> str:
    import hashlib
    import json

    return hashlib.sha1(json.dumps(store.outlet_registry(), sort_keys=True).encode()).hexdigest()


def _now() -> float:
    import time

    return time.time()


def _version() -> str:
    from .. import __version__

    return __version__


def serve(db: str, host: str = "127.0.0.1", port: int = 8000) -> None:
    import uvicorn

    uvicorn.run(create_app(db), host=host, port=port, log_level="warning")


__all__ = ["create_app", "serve", "StorylineError"]
