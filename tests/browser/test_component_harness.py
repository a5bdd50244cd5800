"""The map component in real Chromium, through the standalone page (the same atlas_map.js the app serves).

Checks: every arc is drawn, hover tooltips show markup as text (nothing runs), a re-render with fewer arcs
replaces the layers without rebuilding the map, a click reports the pair, and no request leaves file://.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from geo.export.standalone import standalone_html

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
XSS = "<img src=x onerror=alert(1)>"

PLACES = [
    ["cn:beijing", 116.4, 39.9, "北京市", "cn"],
    ["cn:shanghai", 121.47, 31.23, "上海市", "cn"],
    ["cn:guangzhou", 113.26, 23.13, "广州市", "cn"],
    ["p:tokyo", 139.69, 35.69, "东京都", "partner"],
    ["p:newyork", 286.0, 40.71, "纽约", "partner"],
    ["p:losangeles", 241.76, 34.05, "洛杉矶", "partner"],
    ["p:saopaulo", 313.37, -23.55, "圣保罗", "partner"],
    ["p:paris", 2.35, 48.86, "巴黎", "partner"],
    ["p:sydney", 151.21, -33.87, "悉尼", "partner"],
]
ARCS = [
    [0, 3, 128.0, 45.0, 0, 1.5, "P0001", ["北京市 — 东京都", "1979"]],
    [0, 4, 201.0, 75.0, 1, 1.5, "P0002", ["北京市 — 纽约", XSS]],
    [1, 5, 181.0, 62.0, 2, 1.5, "P0003", ["上海市 — 洛杉矶", "1979"]],
    [2, 6, 215.0, 32.0, 3, 1.5, "P0004", ["广州市 — 圣保罗", "2000"]],
    [1, 7, 60.0, 62.0, 4, 1.5, "P0005", ["上海市 — 巴黎", "2005"]],
    [2, 8, 135.0, 0.0, 0, 1.5, "P0006", ["广州市 — 悉尼", "1986"]],
]


def sample_args() -> dict[str, Any]:
    return {
        "height": 560,
        "lang": "zh",
        "places": copy.deepcopy(PLACES),
        "arcs": copy.deepcopy(ARCS),
        "legend": {"title": "结好时期", "items": [["I 1973–1978", "#6a040f"], ["II 1979–1991", "#d00000"],
                                              ["III 1992–2000", "#e85d04"], ["IV 2001–2012", "#faa307"],
                                              ["V 2013–至今", "#2a9d8f"]]},
        "highlight": ["P0003"],
        "fit_to": None,
        "view": None,
        "tiles_url": "",
        "labels": {"partners_of": "友城", "no_arcs": "没有符合条件的友城"},
        "revision": 1,
    }


# `browser` is the session fixture in conftest.py: one Playwright instance for all browser tests.


def _arc_point(page: Any, arc: list[Any]) -> dict[str, float]:
    """Viewport pixel of the arc's midpoint (t = 0.5 on its Bezier curve)."""
    return page.evaluate("""([arc]) => {
        const args = window.__args, p0 = args.places[arc[0]], p1 = args.places[arc[1]];
        const lat = 0.25 * p0[2] + 0.5 * arc[3] + 0.25 * p1[2];
        const lon = 0.25 * p0[1] + 0.5 * arc[2] + 0.25 * p1[1];
        const box = document.getElementById('atlas-map').getBoundingClientRect();
        const pt = window.__map.latLngToContainerPoint([lat, lon]);
        return {x: box.left + pt.x, y: box.top + pt.y};
    }""", [arc])


def test_component_in_chromium(browser: Any, tmp_path: Path) -> None:
    args = sample_args()
    html_file = tmp_path / "map.html"
    html_file.write_text(standalone_html(args, title="友城地图 <b>test</b>", note="sample"), encoding="utf-8")

    page = browser.new_page(viewport={"width": 1200, "height": 680})
    dialogs: list[str] = []
    requests: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(html_file.as_uri())
    page.wait_for_function("document.body.dataset.painted === '1'")
    page.evaluate("a => { window.__args = a; window.__map = window.AtlasMap.getMap(); }", args)

    state = page.evaluate("window.atlasState")
    assert state["arcs"] == len(ARCS)
    assert state["places"] == len(PLACES)
    assert state["basemap"] == "ok" and state["basemapFeatures"] > 200
    assert page.locator(".atlas-legend-row").count() == 5
    assert page.locator("h1").inner_text() == "友城地图 <b>test</b>"

    # Hover the arc whose tooltip carries markup: it must show as text, and nothing may run.
    point = _arc_point(page, ARCS[1])
    page.mouse.move(point["x"], point["y"])
    tip = page.locator(".atlas-tip")
    tip.wait_for(state="visible", timeout=3000)
    assert XSS in tip.inner_text()
    assert tip.locator("img").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "component_harness.png"))

    # Clicking an arc reports its pair id (in the harness the values are recorded instead of sent to Streamlit).
    page.mouse.click(point["x"], point["y"])
    events = page.evaluate("window.atlasEvents")
    assert events and events[-1]["event"] == "pair" and events[-1]["pair_id"] == "P0002"

    # Clicking a place opens a popup with its partners and reports the place.
    bj = page.evaluate("""() => { const box = document.getElementById('atlas-map').getBoundingClientRect();
        const pt = window.__map.latLngToContainerPoint([39.9, 116.4]);
        return {x: box.left + pt.x, y: box.top + pt.y}; }""")
    page.mouse.click(bj["x"], bj["y"])
    popup = page.locator(".atlas-popup")
    popup.wait_for(state="visible", timeout=3000)
    assert "东京都" in popup.inner_text() and "纽约" in popup.inner_text()
    events = page.evaluate("window.atlasEvents")
    assert events[-1]["event"] == "place" and events[-1]["place_id"] == "cn:beijing"
    assert events[-1]["seq"] > events[-2]["seq"]

    # A filter change: fewer arcs, same map object, same view.
    map_id = page.evaluate("L.stamp(window.__map)")
    center = page.evaluate("window.__map.getCenter()")
    fewer = sample_args()
    fewer["arcs"] = fewer["arcs"][:2]
    fewer["revision"] = 2
    page.evaluate("a => window.atlasRender(a)", fewer)
    page.wait_for_function("document.body.dataset.revision === '2'")
    assert page.evaluate("window.atlasState.arcs") == 2
    assert page.evaluate("L.stamp(window.__map)") == map_id
    assert page.evaluate("window.__map.getCenter()") == center
    assert page.locator(".atlas-empty").is_hidden()

    # No arcs at all: the centred message appears.
    empty = sample_args()
    empty["arcs"], empty["revision"] = [], 3
    page.evaluate("a => window.atlasRender(a)", empty)
    page.wait_for_function("document.body.dataset.revision === '3'")
    assert page.evaluate("window.atlasState.arcs") == 0
    assert page.locator(".atlas-empty").inner_text() == "没有符合条件的友城"

    assert dialogs == []
    assert errors == []
    assert requests and all(url.startswith("file://") for url in requests), requests
    page.close()
