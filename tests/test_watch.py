"""`storyline watch` against feeds served from 127.0.0.1: conditional GET, dead feeds, stories."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from fixtures import html_page

from storyline.cli import main
from storyline.store import open_store
from storyline.watch import poll, watch

PARAS = {
    "a": ["Port Selby council voted on Tuesday to build a ferry terminal on the north quay, council leader Rosa Brandt said.",
          "The terminal will cost 40 million crowns and should open in 2027.",
          "Opponents said the money should go to the hospital instead."],
    "b": ["Councillors in Port Selby approved a 40 million crown ferry terminal on the north quay on Tuesday.",
          "Council leader Rosa Brandt said it would open in 2027.",
          "Hospital campaigners protested outside the town hall."],
}


class Handler(BaseHTTPRequestHandler):
    requests: list[tuple[str, str | None]] = []

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        Handler.requests.append((self.path, self.headers.get("If-None-Match")))
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.path == "/feed.xml":
            etag = '"v1"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            items = "".join(f"<item><title>Ferry {k}</title><link>{base}/story/{k}</link>"
                            f"<pubDate>Tue, 11 Mar 2025 1{i}:00:00 GMT</pubDate><description>{PARAS[k][0]}</description></item>"
                            for i, k in enumerate(PARAS))
            body = f"<?xml version='1.0'?><rss version='2.0'><channel><title>Selby Echo</title><link>{base}</link><description>x</description>{items}</channel></rss>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path.startswith("/story/"):
            k = self.path.rsplit("/", 1)[1]
            body = html_page(f"Ferry terminal story {k}", PARAS[k]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(404)
            self.end_headers()


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    Handler.requests = []
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


def test_poll_fetches_pages_then_uses_conditional_get(server, tmp_path):
    store = open_store(str(tmp_path / "w.db"))
    first = poll(server + "/feed.xml", store, timeout=5)
    assert (first.new, first.error) == (2, None)
    titles = sorted(a.title for a in store.list_articles(limit=None))
    assert titles == ["Ferry terminal story a", "Ferry terminal story b"]  # from the pages, not the feed
    assert all(a.source == "Selby Echo" for a in store.list_articles(limit=None))
    second = poll(server + "/feed.xml", store, timeout=5)
    assert second.not_modified
    assert Handler.requests[-1] == ("/feed.xml", '"v1"')


def test_watch_once_updates_stories_and_reports_dead_feeds(server, tmp_path):
    store = open_store(str(tmp_path / "w.db"))
    lines = []
    total = watch([server + "/feed.xml", server + "/gone.xml", "http://127.0.0.1:9/feed"], store, once=True,
                  timeout=3, on_poll=lambda r: lines.append(r.line()))
    assert total == 2
    assert any("gone.xml: error: HTTP 404" in ln for ln in lines)
    assert any("127.0.0.1:9/feed: error: cannot connect" in ln for ln in lines)
    stories = store.list_stories(limit=None)
    assert len(stories) == 1 and stories[0]["articles"] == 2


def test_watch_cli_once(server, tmp_path):
    db = str(tmp_path / "w.db")
    r = CliRunner().invoke(main, ["watch", server + "/feed.xml", "--once", "--db", db])
    assert r.exit_code == 0, r.output
    assert "2 new" in r.output
    r = CliRunner().invoke(main, ["watch", server + "/feed.xml", "--once", "--db", db])
    assert "not modified" in r.output
    r = CliRunner().invoke(main, ["watch", "--db", db])
    assert r.exit_code == 2 and "feed URL" in r.stderr


def test_watch_once_exits_1_when_every_feed_failed(server, tmp_path):
    db = str(tmp_path / "w.db")
    r = CliRunner().invoke(main, ["watch", server + "/gone.xml", "http://127.0.0.1:9/feed", "--once", "--db", db,
                                  "--timeout", "2"])
    assert r.exit_code == 1 and "none of the 2 feeds could be read" in r.stderr
    r = CliRunner().invoke(main, ["watch", server + "/gone.xml", server + "/feed.xml", "--once", "--db", db])
    assert r.exit_code == 0, r.output  # one feed read: the run did its job


def test_ctrl_c_stops_cleanly(server, tmp_path, monkeypatch):
    def interrupt(seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr("storyline.watch.time.sleep", interrupt)
    db = str(tmp_path / "w.db")
    r = CliRunner().invoke(main, ["watch", server + "/feed.xml", "--every", "60", "--db", db])
    assert r.exit_code == 0 and "stopped" in r.stderr
    store = open_store(db)
    assert store.count_articles() == 2 and store.list_stories(limit=None)[0]["articles"] == 2
