"""Two `storyline ingest` processes and a reader on one store at once: stories stay whole."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synth import stream  # noqa: E402

CHECK = ("SELECT s.id, s.articles, (SELECT COUNT(*) FROM assignments x WHERE x.story_id = s.id)"
         " FROM stories s")


def _write(path: Path, n: int, seed: int, start: datetime) -> None:
    with path.open("w", encoding="utf-8") as f:
        for art, _ in stream(n, seed=seed, start=start):
            f.write(json.dumps({"title": art.title, "text": "\n\n".join(art.body), "source": art.source,
                                "url": art.url.replace(".example/", f".example/s{seed}/"), "published_at": art.published_at}) + "\n")


def _broken_stories(where: str) -> list[tuple[str, int, int]]:
    """Stories whose article count disagrees with their assignments, read in one statement (one
    snapshot) straight from the database."""
    if where.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(where, autocommit=True) as con:
            try:
                rows = con.execute(CHECK).fetchall()
            except psycopg.errors.UndefinedTable:
                return []  # the schema is being created
    else:
        if not Path(where).exists():
            return []
        con = sqlite3.connect(where, timeout=30)
        try:
            rows = con.execute(CHECK).fetchall()
        except sqlite3.OperationalError:
            return []  # the schema is being created
        finally:
            con.close()
    return [tuple(r) for r in rows if r[1] != r[2]]


def _feed(n: int) -> str:
    items = "".join(f"<item><title>Harbour crane number {i} inspected at Port Selby</title>"
                    f"<link>https://selbyecho.example/crane/{i}</link><pubDate>Sat, 01 Mar 2025 0{i % 10}:00:00 GMT</pubDate>"
                    f"<description>Inspectors checked harbour crane number {i} at Port Selby on Saturday after a cable "
                    f"snapped last week, the port authority said, and found no further damage to the quay.</description></item>"
                    for i in range(n))
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Selby Echo</title>{items}</channel></rss>"


def test_serve_two_ingests_and_a_watch_at_once(tmp_path, new_store_location):
    """`serve` answering reads, two `ingest` processes and a `watch` polling, on one store."""
    import http.server
    import socket
    import urllib.request

    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    _write(a, 400, seed=11, start=datetime(2025, 3, 1, tzinfo=timezone.utc))
    _write(b, 400, seed=12, start=datetime(2025, 3, 1, 1, tzinfo=timezone.utc))  # same days: shared window
    where = new_store_location()
    cli = [sys.executable, "-m", "storyline.cli"]
    subprocess.run(cli + ["ingest", "--no-cluster", "--db", where, "-"], input="", capture_output=True, text=True)

    feed = _feed(12).encode()

    class Feed(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(feed)

        def log_message(self, *args: object) -> None:
            pass

    feeds = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    threading.Thread(target=feeds.serve_forever, daemon=True).start()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(cli + ["serve", "--db", where, "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    seen_broken: list = []
    answers: list[int] = []
    errors: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            seen_broken.extend(_broken_stories(where))
            try:  # the API: every story it lists is whole (its count is its members)
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stories?limit=3&sort=size", timeout=10) as r:
                    answers.append(r.status)
                    for st in json.loads(r.read())["items"]:
                        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stories/{st['id']}", timeout=30) as r2:
                            one = json.loads(r2.read())
                            if one["articles"] != len(one["members"]):
                                seen_broken.append((one["id"], one["articles"], len(one["members"])))
            except OSError:
                pass  # the server is starting
            except Exception as exc:  # noqa: BLE001 - reported by the test, not lost in a thread
                errors.append(repr(exc))
            time.sleep(0.05)

    t = threading.Thread(target=reader)
    t.start()
    try:
        procs = [subprocess.Popen(cli + ["ingest", str(p), "--db", where], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for p in (a, b)]
        procs.append(subprocess.Popen(cli + ["watch", f"http://127.0.0.1:{feeds.server_port}/feed.xml", "--every", "0.5",
                                             "--no-pages", "--db", where], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True))
        outs = [p.communicate(timeout=600) for p in procs[:2]]
        time.sleep(1.5)  # a few more polls of the watcher with the ingests done
        procs[2].terminate()
        outs.append(procs[2].communicate(timeout=60))
    finally:
        stop.set()
        t.join()
        server.terminate()
        _, server_err = server.communicate(timeout=60)
        feeds.shutdown()
    for p, (out, err) in zip(procs[:2], outs):
        assert p.returncode == 0, err
    for _, err in outs + [("", server_err)]:
        assert "database is locked" not in err and "Traceback" not in err, err[-2000:]
    assert not errors, errors[:3]
    assert len(answers) >= 5 and set(answers) == {200}
    assert not seen_broken, seen_broken[:5]
    assert not _broken_stories(where)
    from storyline.store import open_store

    store = open_store(where)
    stories = store.list_stories(limit=None)
    assigned = sum(len(store.get_story(s["id"])["members"]) for s in stories)
    assert store.count_articles() == 800 + 12  # every article once: none lost, none doubled
    assert assigned == store.count_articles() == sum(s["articles"] for s in stories)
    store.close()
