from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from storyline.web import create_app

TOKEN = "test-token-123"


@pytest.fixture(scope="module")
def db(demo_db):
    return demo_db


@pytest.fixture
def client(db):
    return TestClient(create_app(db, token=TOKEN))


def largest(client):
    return client.get("/api/stories", params={"sort": "size", "limit": 1}).json()["items"][0]


def test_health_and_openapi(client):
    r = client.get("/api/health")
    assert r.status_code == 200 and r.json()["articles"] >= 33
    spec = client.get("/openapi.json").json()
    for path in ("/api/health", "/api/articles", "/api/articles/{article_id}", "/api/stories", "/api/stories/{story_id}"):
        assert path in spec["paths"]


def test_articles_endpoints(client):
    r = client.get("/api/articles", params={"q": "Tessaly", "limit": 3})
    items = r.json()["items"]
    assert r.status_code == 200 and 0 < len(items) <= 3
    assert all("Tessaly" in (a["title"] + " ".join(a["body"])) for a in items)
    one = client.get(f"/api/articles/{items[0]['id']}").json()
    assert one["id"] == items[0]["id"] and one["story_id"]
    assert client.get("/api/articles", params={"source": "Valley Ledger"}).json()["items"][0]["source"] == "Valley Ledger"
    r = client.get("/api/articles/does-not-exist")
    assert r.status_code == 404 and "error" in r.json()
    assert client.get("/api/articles", params={"limit": 0}).status_code == 422


def test_stories_endpoints(client):
    items = client.get("/api/stories", params={"min_sources": 2, "sort": "size"}).json()["items"]
    assert len(items) == 6 and all(s["independent"] >= 2 for s in items)
    story = client.get(f"/api/stories/{items[0]['id']}").json()
    assert story["comparison"]["schema"].startswith("storyline.comparison/")
    assert story["members"] and story["comparison"]["summary"]
    assert client.get("/api/stories", params={"q": "Quillon"}).json()["items"][0]["title"].startswith("Quillon")
    assert client.get("/api/stories", params={"sort": "bogus"}).status_code == 422
    assert client.get("/api/stories/nope").status_code == 404


def test_writes_need_a_token(db):
    no_token = TestClient(create_app(db, token=""))
    r = no_token.post("/api/articles", json={"title": "x", "text": "y"})
    assert r.status_code == 401 and "STORYLINE_TOKEN" in r.json()["error"]


def test_post_article_json_html_text(client):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    assert client.post("/api/articles", json={"title": "x", "text": "y"}).status_code == 401
    assert client.post("/api/articles", json={"title": "x", "text": "y"}, headers={"Authorization": "Bearer wrong"}).status_code == 401
    body = {"title": "Tessaly Bridge inquiry names corroded supports", "source": "Late Outlet",
            "published_at": "2025-03-05T09:00:00Z",
            "text": "The inquiry into the collapse of the Tessaly Bridge in Carrow said corroded steel supports over the Varn River caused the fall, Transport Minister Oskar Lindqvist said."}
    r = client.post("/api/articles", json=body, headers=headers)
    assert r.status_code == 201, r.text
    bridge = client.get("/api/stories", params={"q": "Tessaly", "sort": "size"}).json()["items"][0]
    assert r.json()["story_id"] == bridge["id"]
    again = client.post("/api/articles", json=body, headers=headers)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    html = "<html><body><article><h1>Selby gets a new harbour master</h1><p>The port of Selby named a new harbour master on Friday after a search that lasted six months, the port authority said.</p></article></body></html>"
    r = client.post("/api/articles", content=html, headers=dict(headers, **{"Content-Type": "text/html"}))
    assert r.status_code == 201 and r.json()["title"] == "Selby gets a new harbour master"
    r = client.post("/api/articles", content="Plain headline\n\nPlain body text about a plain event in a plain town.",
                    headers=dict(headers, **{"Content-Type": "text/plain"}))
    assert r.status_code == 201
    assert client.post("/api/articles", content="{not json", headers=dict(headers, **{"Content-Type": "application/json"})).status_code == 400
    assert client.post("/api/articles", json=[1, 2], headers=headers).status_code == 422
    assert client.post("/api/articles", json={"nothing": 1}, headers=headers).status_code == 422
    big = json.dumps({"title": "big", "text": "x" * (5 * 1024 * 1024 + 10)})
    assert client.post("/api/articles", content=big, headers=dict(headers, **{"Content-Type": "application/json"})).status_code == 413


def test_pages_and_security_headers(client):
    r = client.get("/")
    assert r.status_code == 200 and "script-src 'self'" in r.headers["content-security-policy"]
    assert "unsafe-inline" not in r.headers["content-security-policy"]
    s = largest(client)
    page = client.get(f"/stories/{s['id']}").text
    assert "Sources side by side" in page and ("class=\"sent conflict\"" in page or "class=\"sent update\"" in page) and "<svg class=\"timeline\"" in page
    members = client.get(f"/api/stories/{s['id']}").json()["members"]
    art = client.get(f"/articles/{members[0]['id']}").text
    assert f"/stories/{s['id']}" in art
    assert client.get("/stories/nope").status_code == 404
    assert client.get("/?q=Quillon").text.count("story-card") == 1
    assert "<script>" not in page.split("</head>")[1]  # no inline scripts in the body


def test_hostile_title_is_escaped(db):
    client = TestClient(create_app(db, token=TOKEN))
    evil = {"title": "<script>alert(1)</script>", "source": "<img src=x onerror=alert(2)>",
            "text": "An article whose title tries to run a script in the reader's browser, which must show as text."}
    r = client.post("/api/articles", json=evil, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201
    aid, sid = r.json()["id"], r.json()["story_id"]
    for url in (f"/articles/{aid}", f"/stories/{sid}", "/?q=script"):
        page = client.get(url).text
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
        assert "<img src=x" not in page


# -- the API's contract -------------------------------------------------------------------------
def test_openapi_documents_the_contract(client):
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {"/api/health", "/api/articles", "/api/articles/{article_id}", "/api/stories",
                                  "/api/stories/{story_id}", "/api/stories/{story_id}/coverage", "/api/outlets",
                                  "/api/outlets/{name}"}  # the HTML pages are not API operations
    post = spec["paths"]["/api/articles"]["post"]
    assert set(post["requestBody"]["content"]) == {"application/json", "text/html", "text/plain"}
    assert post["requestBody"]["required"] is True
    assert post["security"] == [{"HTTPBearer": []}]
    assert spec["components"]["securitySchemes"]["HTTPBearer"] == {
        "type": "http", "scheme": "bearer", "description": spec["components"]["securitySchemes"]["HTTPBearer"]["description"]}
    assert {"201", "400", "401", "413", "415", "422"} <= set(post["responses"])
    for path in ("/api/articles/{article_id}", "/api/stories/{story_id}", "/api/stories/{story_id}/coverage",
                 "/api/outlets/{name}"):
        assert "404" in spec["paths"][path]["get"]["responses"]
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            ok = op["responses"].get("200") or op["responses"]["201"]
            assert "$ref" in ok["content"]["application/json"]["schema"], (method, path)  # a response schema
            for code, resp in op["responses"].items():
                if code.startswith("4"):
                    assert resp["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut"), (path, code)
    assert "total" in spec["components"]["schemas"]["StoryPage"]["required"]


def test_listings_have_totals_and_story_ids(client):
    r = client.get("/api/stories", params={"limit": 2}).json()
    assert len(r["items"]) == 2 and r["total"] == client.get("/api/health").json()["stories"]
    assert client.get("/api/stories", params={"q": "Quillon"}).json()["total"] == 1
    r = client.get("/api/articles", params={"limit": 3}).json()
    assert r["total"] >= 33 and all(a["story_id"] for a in r["items"])
    fire = client.get("/api/articles", params={"q": "wildfire", "limit": 1}).json()
    assert fire["total"] > 1 and len(fire["items"]) == 1


def test_post_rejects_what_is_not_news(client):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    r = client.post("/api/articles", json={"text": "hello", "published_at": "2099-01-01"}, headers=headers)
    assert r.status_code == 422 and "too short to be news" in r.json()["error"]
    long_text = ("The harbour board of Port Selby met on Thursday and agreed to dredge the north channel "
                 "before the autumn storms, the board's chair Ida Marsh said.")
    r = client.post("/api/articles", json={"text": long_text, "published_at": "2099-01-01"}, headers=headers)
    assert r.status_code == 422 and "in the future" in r.json()["error"]
    r = client.post("/api/articles", json={"text": long_text, "published_at": "2025-02-20"}, headers=headers)
    assert r.status_code == 201, r.text
    title = r.json()["title"]
    assert title.startswith("The harbour board of Port Selby met") and title.endswith("…")
    story = client.get(f"/api/stories/{r.json()['story_id']}").json()
    assert story["title"]


def test_search_caption_counts_the_matches(client):
    page = client.get("/", params={"q": "fire"}).text
    shown = page.count('class="story-card"')
    assert f"({shown} stor" in page and "match" in page and "in all" not in page


def test_dates_are_readable_with_iso_in_datetime(client):
    s = largest(client)
    page = client.get(f"/stories/{s['id']}").text
    assert re.search(r'<time datetime="2025-\d\d-\d\dT[\d:]+[^"]*">\d{1,2} [A-Z][a-z]+ 2025, \d\d:\d\d</time>', page)
    assert not re.search(r">\s*2025-\d\d-\d\dT\d\d:\d\d", page)  # no raw ISO shown as text
    index = client.get("/").text
    # a card's date reads as a relative time (past a month, the day), the exact time on hover
    assert re.search(r'<time datetime="2025-\d\d-\d\d[^"]*" title="\d{1,2} [A-Z][a-z]+ 2025, \d\d:\d\d UTC">'
                     r'\d{1,2} [A-Z][a-z]+ 2025</time>', index)


def test_each_outlet_has_one_colour_and_copies_show_as_copies(client):
    index = client.get("/", params={"sort": "size"}).text
    fills: dict[str, set[str]] = {}
    for m in re.finditer(r'<rect class="seg-(original|copy)"[^>]*fill="([^"]+)"[^>]*><title>([^<:]+):', index):
        fills.setdefault(m.group(3), set()).add(m.group(2))
    assert len(fills) >= 6 and all(len(v) == 1 for v in fills.values()), fills
    assert len({next(iter(v)) for v in fills.values()}) == len(fills)  # and no two outlets share one
    assert 'class="seg-copy"' in index and "1 copy" in index
    assert 'class="outlet-legend"' in index
    s = largest(client)
    story = client.get(f"/stories/{s['id']}").text
    for name, (fill,) in fills.items():
        if f"{name}</span>" in story or f"{name} <span" in story:
            assert fill in story


def test_article_page_names_what_ids_point_to(client):
    s = largest(client)
    members = client.get(f"/api/stories/{s['id']}").json()["members"]
    copy = next(m for m in members if m["duplicate_of"])
    original = client.get(f"/api/articles/{copy['duplicate_of']}").json()
    page = client.get(f"/articles/{copy['id']}").text
    assert s["title"] in page and original["title"] in page
    assert f">{s['id']}<" not in page and f">{copy['duplicate_of']}<" not in page  # no bare hashes
    data = client.get(f"/api/articles/{copy['id']}").json()
    assert data["story_title"] == s["title"] and data["original"]["id"] == copy["duplicate_of"]
    if data["boilerplate"]:
        furniture = data["body"][data["boilerplate"][0]]
        main_part = page.split("<details")[0]
        assert furniture not in main_part


def test_boilerplate_left_out_of_the_article_page(db):
    client = TestClient(create_app(db, token=TOKEN))
    body = {"title": "Selby opens a tide museum", "source": "Selby Echo", "published_at": "2025-02-21",
            "text": "The town of Selby opened a museum of tides on Friday in the old pilot station on the quay, "
                    "the curator Lena Brandt said.\n\nReaders can send news tips to the Selby Echo newsroom.\n\n"
                    "Copyright 2025 Selby Press Agency."}
    r = client.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    page = client.get(f"/articles/{r.json()['id']}").text
    main_part, furniture = page.split("<details", 1)
    assert "museum of tides" in main_part
    assert "send news tips" not in main_part and "Copyright 2025" not in main_part
    assert "send news tips" in furniture  # left out, but not hidden from who wants to see it


def test_docs_page_is_served_from_the_package(client):
    r = client.get("/docs")
    assert r.status_code == 200
    assert "cdn" not in r.text.lower() and "<script>" not in r.text
    for src in re.findall(r'(?:src|href)="(/static/[^"]+)"', r.text):
        asset = client.get(src)
        assert asset.status_code == 200 and len(asset.content) > 100, src
    assert "unsafe-inline" not in r.headers["content-security-policy"]


# schemathesis over every operation, phase and check, on both stores: tests/test_schemathesis.py


def test_palette_keeps_colours_as_outlets_arrive():
    from storyline.web.pages import Palette

    before = Palette(["Echo", "Radio", None])
    after = Palette(["Echo", "Radio", None] + [f"Outlet {i}" for i in range(20)])
    assert all(before(n) == after(n) for n in ("Echo", "Radio", None))
    assert len({after(f"Outlet {i}") for i in range(20)} | {after("Echo"), after("Radio")}) == 22
    assert before("Never seen") == after("Never seen")  # a name-derived colour until the store knows it
