"""Coverage in a real browser (headless Chromium through Playwright) at 1280 and 390 px: the
index filtered to blindspots, a story's coverage chart, the outlets pages. Screenshots go to
screenshots/ for a person to look at."""
from __future__ import annotations

import threading
import time

import pytest
from test_browser import CHROMIUM, SHOTS, _browser, free_port

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn
    from fixtures import build_demo_db

    from storyline.coverage import import_outlets
    from storyline.demo import demo_outlets_path
    from storyline.store import open_store
    from storyline.web import create_app

    db = build_demo_db(str(tmp_path_factory.mktemp("browser-coverage") / "demo.db"))
    with open_store(db) as store, open(demo_outlets_path(), encoding="utf-8") as f:
        import_outlets(store, f.read())
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(db, token=""), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=5)


@pytest.mark.parametrize("width", [1280, 390])
def test_coverage_pages(server, width):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": width, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # a CSP violation too
        page.goto(server + "/")
        page.select_option("select#blindspot", "leaning")
        page.locator("form.blindspot-filter button").click()
        page.wait_for_selector("span.badge.blindspot")
        assert page.locator("li.story-card").count() == 1
        assert "Tessaly Bridge" in page.locator("a.headline").first.inner_text()
        # the relative date carries the exact one on hover
        assert page.locator("li.story-card time").first.get_attribute("title").endswith("UTC")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.screenshot(path=str(SHOTS / f"blindspots-{width}.png"), full_page=True)
        page.locator("a.headline").first.click()
        page.wait_for_selector("figure.chart > svg")
        chart = page.locator("figure.chart > svg").bounding_box()
        assert chart and chart["width"] <= width and chart["height"] > 40
        assert page.locator("figure.chart > svg rect").count() >= 5
        assert "First reported by" in page.locator("p.first").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.locator("section.story-coverage").screenshot(path=str(SHOTS / f"coverage-{width}.png"))
        page.locator("p.first a").first.click()  # the first reporter's outlet page
        page.wait_for_selector("dl.attributes")
        assert page.locator("h1").inner_text().strip() == "Meridian Times"
        page.goto(server + "/outlets")
        assert page.locator("table.outlets tbody tr").count() == 9
        page.screenshot(path=str(SHOTS / f"outlets-{width}.png"), full_page=True)
        browser.close()
    assert not errors, errors
