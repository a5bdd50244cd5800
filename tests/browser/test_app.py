"""What a person sees in the running app: arcs drawn, filters reduce them, nothing leaves the machine,
markup in links and names shows as text, case links work both ways. Screenshots go to tests/browser/artifacts/."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from geo import filters
from geo.load import load_atlas
from tests.browser.conftest import ARTIFACTS, Visit, running_app

pytestmark = pytest.mark.browser

ATLAS = load_atlas()
# What the map draws by default: ended and suspended ties only on request.
PLACED = int(filters.apply(ATLAS.pairings, filters.Filters())["placed"].sum())
XSS = "<img src=x onerror=alert(1)>"


def arcs_drawn(frame) -> int:  # type: ignore[no-untyped-def]
    return int(frame.evaluate("window.atlasState.arcs"))


def wait_for_arcs(visit: Visit, predicate, timeout_ms: int = 30000):  # type: ignore[no-untyped-def]
    """Wait until the map's arc count satisfies `predicate` (the map redraws in place after a rerun)."""
    frame = visit.map_frame(min_arcs=0)
    for _ in range(timeout_ms // 250):
        if predicate(arcs_drawn(frame)):
            return frame
        visit.page.wait_for_timeout(250)
    raise AssertionError(f"arc count stayed at {arcs_drawn(frame)}")


def test_map_draws_every_placed_pairing_offline(visit: Visit, app_url: str) -> None:
    page = visit.open(app_url + "/")
    frame = visit.map_frame(min_arcs=PLACED)
    assert arcs_drawn(frame) == PLACED
    # The basemap loads in parallel with the arcs; with ~2,800 arcs either may finish first.
    frame.wait_for_function("() => window.atlasState.basemap !== 'loading'", timeout=20000)
    assert frame.evaluate("window.atlasState.basemap") == "ok"
    # Tooltips come as shared strings plus the two place labels; the browser puts them back together.
    kobe = ATLAS.pairings[(ATLAS.pairings["cn_name_en"] == "Tianjin") & (ATLAS.pairings["partner_name_en"] == "Kobe")]
    lines = frame.evaluate("(id) => window.AtlasMap.tooltipOf(id)", str(kobe["pair_id"].iloc[0]))
    assert lines[0] == "天津市 — 神户市" and "结好时间: 1973-06-24" in lines
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "map_zh.png"))
    assert visit.external_requests() == []
    # No asset in the page or the map frame points outside the app.
    for html in (page.content(), frame.content()):
        for url in re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", html):
            assert not url.startswith(("http://", "https://", "//")) or "127.0.0.1" in url or "localhost" in url, url
    assert visit.errors == []


def test_a_filter_reduces_the_arcs_and_the_view_is_kept(visit: Visit, app_url: str) -> None:
    page = visit.open(app_url + "/?lang=en")
    frame = visit.map_frame(min_arcs=PLACED)
    frame.evaluate("() => { window.__mapIdentity = window.AtlasMap.getMap(); return true; }")
    search = page.get_by_label("Search (Chinese or English)")
    search.fill("Japan")
    search.press("Enter")
    shown = filters.apply(ATLAS.pairings, filters.Filters())
    expected = int(((shown["partner_country_iso3"] == "JPN") & shown["placed"]).sum())
    frame = wait_for_arcs(visit, lambda n: n == expected)
    # The same Leaflet map object: the basemap was not rebuilt and the view was kept.
    assert frame.evaluate("window.__mapIdentity === window.AtlasMap.getMap()")
    page.wait_for_url(re.compile(r".*[?&]q=Japan.*"), timeout=15000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "map_en_japan.png"))


def test_bookmarked_filter_and_flow_view(visit: Visit, app_url: str) -> None:
    page = visit.open(app_url + "/?bri=asean&mode=flow")
    frame = visit.map_frame(min_arcs=1)
    n = arcs_drawn(frame)
    asean = ATLAS.pairings[(ATLAS.pairings["bri_group"] == "asean") & (ATLAS.pairings["cn_province_en"] != "")]
    assert n == asean.groupby(["cn_province_en", "partner_country_iso3"]).ngroups
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "map_flow_asean.png"))


def test_markup_in_links_shows_as_text(visit: Visit, app_url: str) -> None:
    page = visit.open(f"{app_url}/?lang=en&bri={quote(XSS)}&q={quote(XSS)}")
    visit.map_frame(min_arcs=0)
    page.wait_for_timeout(1000)
    warning = page.locator('[data-testid="stAlertContentWarning"]').first.inner_text()
    assert "<img src=x onerror=alert(1)>" in warning
    assert page.locator("img[src='x']").count() == 0
    assert visit.dialogs == []
    assert page.get_by_label("Search (Chinese or English)").input_value() == XSS


def test_case_panel_and_link_to_map(visit: Visit, app_url: str) -> None:
    page = visit.open(app_url + "/cases?case=1")
    visit.map_frame(min_arcs=1)
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "case_1_zh.png"))
    assert "首对友城" in page.inner_text("body")
    page.get_by_text("在地图上显示").first.click()
    page.wait_for_url(re.compile(r".*\?.*pair=P.*"), timeout=30000)
    frame = visit.map_frame(min_arcs=PLACED)
    assert frame.evaluate("window.atlasState.arcs") == PLACED
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "map_case_1_focus.png"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders_in_both_languages(visit: Visit, app_url: str, lang: str) -> None:
    for path in ("timeline", "rankings", "bri", "city?city=gn:1814087", "data", "cases", "method", "present"):
        page = visit.open(f"{app_url}/{path}{'&' if '?' in path else '?'}lang={lang}")
        page.locator("h1").first.wait_for(timeout=60000)
        page.wait_for_timeout(2500)
        name = path.split("?")[0]
        page.screenshot(path=str(ARTIFACTS / f"page_{name}_{lang}.png"), full_page=True)
        body = page.inner_text("body")
        assert "Traceback" not in body and "Error" not in page.locator("h1").first.inner_text(), (path, lang)
        assert page.locator('[data-testid="stException"]').count() == 0, (path, lang)
    assert visit.external_requests() == []
    assert visit.dialogs == [] and visit.errors == []


def test_deep_link_on_a_fresh_server_opens_inside_the_app(browser) -> None:  # type: ignore[no-untyped-def]
    # The first request a new server sees is a shared link to a page other than the map.
    with running_app("streamlit_fresh.log") as url:
        visit = Visit(browser)
        try:
            page = visit.open(url + "/rankings?lang=en&bri=asean")
            page.get_by_label("Search (Chinese or English)").wait_for(timeout=60000)
            page.get_by_text("Belt and Road group").first.wait_for(timeout=30000)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(ARTIFACTS / "fresh_server_rankings_en.png"))
            body = page.inner_text("body")
            assert "Rankings" in body and "Map" in body
        finally:
            visit.close()
