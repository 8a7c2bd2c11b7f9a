from __future__ import annotations

import json

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
    assert "Sources side by side" in page and "class=\"sent conflict\"" in page and "<svg class=\"timeline\"" in page
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
