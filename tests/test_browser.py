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
        conflicts = page.locator("p.sent.conflict")
        assert conflicts.count() > 0
        assert "CONFLICT" in conflicts.first.inner_text().upper()  # a text tag, not colour alone
        bg = conflicts.first.evaluate("e => getComputedStyle(e).backgroundColor")
        plain = page.locator("p.sent.unique").first.evaluate("e => getComputedStyle(e).backgroundColor")
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
