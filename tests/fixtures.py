"""Shared fixtures: invented articles in every format, and the path to ../shared when present."""
from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest

from storyline.model import Article

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

TEXT_ARTICLE = """Harbour crane topples in Port Selby gale

Two dock workers were hurt when a container crane fell during the storm

port selby, docks, storm, crane

The fallen crane at berth 4. Picture by Ana Ruiz PA Wire/PA Images

A container crane toppled onto a cargo ship at Port Selby on Friday night as gusts reached 120 km/h, the port authority said.

Two dock workers were taken to hospital with minor injuries.
The port was closed for twelve hours while engineers checked the other cranes.

Crane operators union
Union members gather at the port gates on Saturday Getty Images

"We had asked for the cranes to be locked down hours earlier," union official Petra Holm said.
"""


def html_page(title: str, paras: list[str], site: str = "Selby Echo", charset: str = "utf-8",
              date: str = "2025-02-14", author: str = "Ines Duarte") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    return f"""<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title>
<meta property="og:site_name" content="{site}"><meta name="author" content="{author}">
<meta property="article:published_time" content="{date}"></head>
<body><nav><a href="/">Home</a></nav><article><h1>{title}</h1>{body}</article>
<footer>Contact us</footer></body></html>"""


PARAS = [
    "The city council of Port Selby voted on Tuesday to build a new ferry terminal on the north quay, ending a debate that lasted four years.",
    "The terminal will cost 40 million crowns and should open in 2027, council leader Rosa Brandt said after the vote.",
    "Opponents said the money would be better spent on the town's hospital, which has lost two wards since 2020.",
]


def rss_feed(n: int = 2) -> str:
    items = "".join(f"""<item><title>Selby market story {i}</title><link>https://selbyecho.example/m/{i}</link>
<pubDate>Fri, 14 Feb 2025 10:0{i}:00 GMT</pubDate><description>&lt;p&gt;Traders at the Selby market number {i} said on Friday that rents had risen for the third year running and several stalls may close.&lt;/p&gt;</description></item>"""
                    for i in range(n))
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Selby Echo</title><link>https://selbyecho.example</link>
<description>x</description>{items}</channel></rss>"""


def atom_feed() -> str:
    return """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Northmoor Radio</title>
<id>urn:x</id><updated>2025-02-14T00:00:00Z</updated><entry><title>Northmoor mill reopens</title>
<link href="https://northmoor.example/mill"/><id>urn:mill</id><updated>2025-02-14T09:00:00Z</updated>
<content type="html">&lt;p&gt;The old textile mill in Northmoor reopened on Friday as a museum after a restoration that took six years, the trust that runs it said.&lt;/p&gt;</content></entry></feed>"""


def warc_bytes(pages: list[tuple[str, str]], gz: bool = True) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    for url, html in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(html.encode()), http_headers=headers))
    return buf.getvalue()


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    """Good articles of every format beside every kind of bad input."""
    good = tmp_path / "inbox"
    (good / "selby-echo").mkdir(parents=True)
    (good / "selby-echo" / "crane.txt").write_text(TEXT_ARTICLE)
    (good / "page.html").write_text(html_page("Port Selby backs ferry terminal", PARAS))
    cp = html_page("Café owners in Selby protest", [
        "Café owners in Selby's old town protested on Monday against a new tax on terraces, which they say will cost them thousands.",
        "The mayor, José Núñez, said the tax would pay for repaving the streets around the cathedral.",
        "Protesters carried signs reading « Non à la taxe » and blocked the main square for an hour.",
    ], charset="utf-8")  # declared utf-8 but written in cp1252: a wrong charset
    (good / "cafe-cp1252.html").write_bytes(cp.encode("cp1252"))
    (good / "feed.rss").write_text(rss_feed(2))
    (good / "radio.atom").write_text(atom_feed())
    (good / "one.json").write_text(json.dumps({"headline": "Selby library extends hours", "content": PARAS[0], "source": "Selby Echo"}))
    (good / "many.jsonl").write_text("\n".join(json.dumps({"title": f"Tide report {i}", "text": f"High tide at Selby on day {i} reached {3 + i} metres, the harbour office said on its website."}) for i in range(3)) + "\n")
    (good / "crawl.warc.gz").write_bytes(warc_bytes([("https://selbyecho.example/ferry", html_page("Ferry terminal vote", PARAS))]))
    bad = good / "bad"
    bad.mkdir()
    (bad / "junk.bin").write_bytes(os.urandom(4096) + b"\x00")
    (bad / "empty.txt").write_bytes(b"")
    (bad / "nav-only.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    (bad / "shape.json").write_text("[1, 2, 3]")
    (bad / "broken.rss").write_text("<rss><channel><title>x</title><item><title>oops")
    (bad / "cut.jsonl.gz").write_bytes(gzip.compress(b'{"title": "a", "text": "b c d e f g"}\n' * 50)[:60])
    (bad / "cut.warc.gz").write_bytes(warc_bytes([("https://x.example/a", html_page("A", PARAS))] * 3)[:700])
    return good


@pytest.fixture
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is absent")
    return SHARED


def build_demo_db(path: str) -> str:
    """The bundled demo corpus ingested and clustered into a store at `path`."""
    from storyline.demo import demo_path
    from storyline.pipeline import ingest
    from storyline.store import open_store
    from storyline.stories import cluster_store

    store = open_store(path)
    ingest([demo_path()], store)
    cluster_store(store)
    store.close()
    return path


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    return build_demo_db(str(tmp_path_factory.mktemp("demo") / "demo.db"))


def two_event_articles(per_event: int = 7, seed: int = 3) -> list[tuple[Article, int]]:
    """Articles about two different events of one kind (two crane collapses, years and ports apart),
    each written differently by several invented outlets; (article, event number)."""
    import random

    events = [
        {"port": "Port Selby", "worker": "Tomas Kovac", "union": "Petra Holm", "n": "14", "berth": "berth 4",
         "ship": "Marla Queen", "year": "2019", "firm": "Selby Lifting"},
        {"port": "Brill Harbour", "worker": "Janek Oduya", "union": "Mirela Stan", "n": "31", "berth": "pier 9",
         "ship": "Northern Vale", "year": "2024", "firm": "Castor Cranes"},
    ]
    sentences = [[  # each event is told in its own words
        "A container crane collapsed at {port} on {berth}, crushing part of the cargo ship {ship}.",
        "Dock worker {worker} was pulled from the wreckage at {port} and taken to hospital.",
        "{union}, who speaks for the dockers at {port}, said the crane should have been locked down.",
        "The {firm} crane had been inspected {n} days before it fell, the company said.",
        "Port authority investigators examined {berth} on the morning after the collapse.",
        "The {ship} was carrying grain and timber when the jib fell across its deck.",
        "{worker} suffered broken ribs, his family said, and is expected to recover.",
        "\"We warned them about that crane,\" {union} told reporters outside the gates.",
        "{firm} said it would pay for repairs to the {ship} and review every crane it operates.",
        "Loading at {port} stopped for the rest of the week while engineers checked the other cranes.",
        "Gusts of {n} knots were recorded at {berth} shortly before midnight in {year}.",
        "Ships waiting to unload were sent to other harbours while {berth} remained closed.",
    ], [
        "Cargo handling at {port} halted after a gantry toppled near {berth} late on Sunday in {year}.",
        "Rescuers freed crane driver {worker} from his cab after two hours, paramedics said.",
        "Union organiser {union} called the accident avoidable and demanded an inquiry.",
        "{firm}, which owns the gantry, declined to say when it was last serviced.",
        "The freighter {ship} lost two containers overboard as the structure came down.",
        "{worker} remains in intensive care with head injuries, according to the hospital.",
        "Maritime police cordoned off {berth} and questioned the night shift.",
        "{n} dockers walked out on Monday in protest at safety conditions at {port}.",
        "The harbour master said the {ship} would stay moored until divers inspect its hull.",
        "\"This should never have happened,\" {union} said at a rally by the harbour wall.",
        "Shipping lines diverted vessels away from {port} for at least {n} hours.",
        "{firm} shares fell after the accident at {port} was reported.",
    ]]
    titles = [["Crane collapses onto {ship} at {port}", "{worker} hurt as crane falls at {port}",
               "Union blames {firm} for {port} crane collapse"],
              ["Gantry topples at {port}, driver {worker} trapped", "{port} dockers walk out after gantry accident",
               "{firm} gantry falls on {ship} at {port}"]]
    rng = random.Random(seed)
    out = []
    for e, ev in enumerate(events):
        for i in range(per_event):
            picked = rng.sample(sentences[e], 5)
            body = [" ".join(x.format(**ev) for x in picked[k:k + 2]) for k in range(0, 5, 2)]
            out.append((Article(title=rng.choice(titles[e]).format(**ev), body=body, source=f"Outlet {e}{i}",
                                url=f"https://outlet{e}{i}.example/crane-{ev['year']}"), e))
    return out


# -- a throwaway PostgreSQL server for the store tests ---------------------------------------
def _pg_bin(name: str) -> str | None:
    import glob
    import shutil

    found = shutil.which(name)
    if found:
        return found
    hits = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return hits[-1] if hits else None


class _PostgresServer:
    """initdb + pg_ctl in a temporary folder, on a Unix socket of its own (as the `postgres` user
    when the tests run as root, since PostgreSQL refuses to run as root)."""

    def __init__(self, root: Path) -> None:
        import os
        import pwd
        import socket
        import subprocess

        initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        if not (initdb and pg_ctl):
            raise RuntimeError("PostgreSQL's initdb/pg_ctl are not installed (apt-get install postgresql)")
        self.data, self.sock = root / "data", root / "sock"
        self.sock.mkdir(parents=True)
        prefix: list[str] = []
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root and there is no postgres user to run the server") from None
            for p in (root, self.sock):
                os.chown(p, pw.pw_uid, pw.pw_gid)
            prefix = ["runuser", "-u", "postgres", "--"]
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.prefix, self.pg_ctl = prefix, pg_ctl
        run = lambda cmd: subprocess.run(prefix + cmd, check=True, capture_output=True, text=True)  # noqa: E731
        run([initdb, "-D", str(self.data), "-A", "trust", "-U", "storyline", "--no-sync", "-E", "UTF8"])
        run([pg_ctl, "-D", str(self.data), "-w", "-l", str(root / "log"), "-o",
             f"-k {self.sock} -p {self.port} -c listen_addresses='' -c fsync=off -c full_page_writes=off", "start"])
        self.n = 0

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://storyline@/{db}?host={self.sock}&port={self.port}"

    def new_database(self) -> str:
        import psycopg

        self.n += 1
        name = f"t{self.n}"
        with psycopg.connect(self.url(), autocommit=True) as c:
            c.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        import subprocess

        subprocess.run(self.prefix + [self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"], capture_output=True)


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """A real PostgreSQL server for the session; skipped (saying why) where none can be started."""
    import tempfile

    try:
        # a short path: a Unix socket's path must stay under 108 bytes
        server = _PostgresServer(Path(tempfile.mkdtemp(prefix="slpg")))
    except Exception as exc:  # noqa: BLE001 - any reason the server cannot start is a reason to skip
        pytest.skip(f"PostgreSQL cannot be started here: {str(exc).strip().splitlines()[-1][:200]}")
    yield server
    server.stop()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store_db(request, tmp_path_factory):
    """The demo corpus in a SQLite file, then in a PostgreSQL database (skipped without one)."""
    if request.param == "sqlite":
        return build_demo_db(str(tmp_path_factory.mktemp("demo-store") / "demo.db"))
    server = request.getfixturevalue("postgres_server")
    return build_demo_db(server.new_database())


@pytest.fixture(params=["sqlite", "postgresql"])
def new_store_location(request, tmp_path):
    """A function that gives a fresh, empty store location: a SQLite file or a PostgreSQL database."""
    if request.param == "sqlite":
        counter = iter(range(10**6))
        return lambda: str(tmp_path / f"s{next(counter)}.db")
    server = request.getfixturevalue("postgres_server")
    return server.new_database
