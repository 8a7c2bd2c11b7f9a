"""A real browser: headless Chromium (Debian's package) driven by Playwright, against the demo."""
from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
SHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn
    from fixtures import build_demo_db

    from storyline.web import create_app

    db = build_demo_db(str(tmp_path_factory.mktemp("browser") / "demo.db"))
    port = free_port()
    config = uvicorn.Config(create_app(db, token=""), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=5)


def test_story_page_in_chromium(server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(server + "/?sort=size")
        page.screenshot(path=str(SHOTS / "index.png"))
        page.locator("a.headline").first.click()
        page.wait_for_selector("h2#h-sources")
        conflicts = page.locator("p.sent.conflict, p.sent.update")
        assert conflicts.count() > 0
        assert {"CONFLICT", "UPDATED"} & set(conflicts.first.inner_text().upper().split())  # a text tag, not colour alone
        bg = conflicts.first.evaluate("e => getComputedStyle(e).backgroundColor")
        plain = page.locator("p.sent.unique, p.sent.unmatched").first.evaluate("e => getComputedStyle(e).backgroundColor")
        assert bg != plain
        # a citation brings its source sentence into view
        cite = page.locator("ul.summary a.cite").last
        target_id = cite.get_attribute("href")[1:]
        page.evaluate("window.scrollTo(0, 0)")
        cite.click()
        page.wait_for_timeout(300)
        box = page.evaluate("id => { const r = document.getElementById(id).getBoundingClientRect();"
                            " return [r.top, r.bottom, window.innerHeight]; }", target_id)
        assert 0 <= box[0] and box[1] <= box[2], box
        assert page.evaluate("document.activeElement.id") == target_id
        page.screenshot(path=str(SHOTS / "story.png"))
        page.set_viewport_size({"width": 390, "height": 844})  # a phone
        page.screenshot(path=str(SHOTS / "story-phone.png"))
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        browser.close()
    assert not errors, errors
    assert (SHOTS / "story.png").stat().st_size > 10_000


def _browser(p):
    return p.chromium.launch(executable_path=CHROMIUM, headless=True,
                             args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])


@pytest.mark.parametrize("width", [1280, 390])
def test_docs_lists_the_operations(server, width):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": width, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(server + "/docs")
        page.wait_for_selector(".opblock", timeout=15000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert {"/api/health", "/api/articles", "/api/stories", "/api/stories/{story_id}"} <= {x.strip().replace("\u200b", "") for x in paths}
        assert page.locator(".opblock").count() == 9
        page.screenshot(path=str(SHOTS / f"docs-{width}.png"))
        browser.close()
    assert not errors, errors  # a CSP violation is a console error


def test_phone_layout(server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(server + "/?sort=size")
        box = page.evaluate("() => ['#q', '.search button'].map(s => document.querySelector(s).getBoundingClientRect())"
                            ".map(r => [r.top, r.bottom, r.right])")
        assert abs(box[0][0] - box[1][0]) < 8 and box[1][2] <= 390  # Search sits beside the box
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        # no date breaks mid-token: every <time> is on one line
        assert page.evaluate("[...document.querySelectorAll('time')].every(t => t.getClientRects().length === 1)")
        page.screenshot(path=str(SHOTS / "index-390.png"), full_page=True)
        page.locator("a.headline").first.click()
        page.wait_for_selector("h2#h-sources")
        assert page.evaluate("[...document.querySelectorAll('time')].every(t => t.getClientRects().length === 1)")
        height = page.evaluate("document.documentElement.scrollHeight")
        # the sources do not stack into a 5,000 px column (the largest story shows a conflict and an
        # update panel above them: 4,065 px at 390 wide; 4,406 px since conflicts carry their number
        # and an update's note says which figure moved)
        assert height < 4600, height
        # a jump link brings its source into view
        page.locator("nav.jump a").last.click()
        page.wait_for_timeout(400)
        n = page.locator("article.col").count()
        r = page.evaluate(f"(() => {{ const r = document.getElementById('src-{n}').getBoundingClientRect();"
                          " return [r.left, r.right, r.top, window.innerWidth, window.innerHeight]; })()")
        assert -2 <= r[0] < r[3] and -2 <= r[2] < r[4], r
        page.screenshot(path=str(SHOTS / "story-390.png"), full_page=True)
        browser.close()


def test_timeline_labels_stay_readable_on_a_phone(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(server + "/?sort=size")
        hrefs = page.locator("a.headline").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        checked = 0
        for href in hrefs:
            page.goto(server + href)
            if page.locator("svg.timeline").count() == 0:
                continue
            size = page.evaluate("(() => { const t = document.querySelector('svg.timeline text');"
                                 " return t.getBoundingClientRect().height; })()")
            assert size >= 9, size  # 11 px labels, not shrunk to a few pixels
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
            checked += 1
        browser.close()
    assert checked, "no story of the demo has a timeline"


def test_five_sources_leave_no_one_alone(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(server + "/?sort=size")
        page.locator("a.headline").first.click()
        page.wait_for_selector("article.col")
        tops = page.evaluate("[...document.querySelectorAll('article.col')].map(e => Math.round(e.getBoundingClientRect().top))")
        rows = {}
        for t in tops:
            rows[t] = rows.get(t, 0) + 1
        assert len(tops) == 5 and min(rows.values()) >= 2, rows
        browser.close()
