"""What a person sees in the running app: arcs drawn, filters reduce them, nothing leaves the machine,
markup in links and names shows as text, case links work both ways. Screenshots go to tests/browser/artifacts/."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest

from app import PAGES
from geo import filters
from geo.i18n import t
from geo.load import load_atlas
from tests.browser.conftest import ARTIFACTS, Visit, running_app
from tests.test_i18n import LATIN_ALLOWED

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
    assert lines[0] == "天津市 — 神户市" and "结好时间：1973-06-24" in lines
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
    # fmin=1: every flow, however small (by default only the larger ones, at most 100, are drawn).
    page = visit.open(app_url + "/?bri=asean&mode=flow&fmin=1")
    frame = visit.map_frame(min_arcs=1)
    n = arcs_drawn(frame)
    shown = filters.apply(ATLAS.pairings, filters.Filters(bri_groups=("asean",)))
    asean = shown[shown["cn_province_en"] != ""]
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
    # A case link with Markdown in it: the warning shows the text, and there is no link to follow.
    page = visit.open(f"{app_url}/cases?lang=en&case={quote('[x](//e.vil)')}")
    page.get_by_text("There is no case").wait_for(timeout=30000)
    assert "[x](//e.vil)" in page.locator('[data-testid="stAlertContentWarning"]').first.inner_text()
    assert page.locator('a[href*="e.vil"]').count() == 0


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


# Elements that carry the app's own words (labels, headings, buttons, tabs, navigation); data values such as
# names and citations and Streamlit's own widget text (the file uploader) are not among them.
LABELS = ('[data-testid="stWidgetLabel"], h1, h2, h3, [data-testid="stMetricLabel"], [data-testid="stTab"], '
          '[data-testid="stExpander"] summary, [data-testid="stSidebarNav"] a, '
          '[data-testid="stBaseButton-secondary"], [data-testid="stBaseButton-primary"], '
          '[data-testid="stRadio"] label, [data-testid="stCheckbox"] label')


def latin_words(page: Any) -> set[str]:
    """Latin-script words in the app's labels on the page (material icon names taken out)."""
    text = page.evaluate("""(sel) => Array.from(document.querySelectorAll(sel))
        .filter(el => !el.closest('[data-testid="stFileUploader"]')).map(el => {
        const copy = el.cloneNode(true);
        copy.querySelectorAll('[data-testid="stIconMaterial"]').forEach(i => i.remove());
        return copy.innerText; }).join("\\n")""", LABELS)
    return set(re.findall(r"[A-Za-z][A-Za-z0-9]+", text))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders_in_both_languages(visit: Visit, app_url: str, lang: str) -> None:
    for path in ("", "timeline", "rankings", "bri", "city?city=南京", "data", "cases?case=1", "method", "present",
                 "lenses?lens=japan", "networks", "rankings?tab=coverage"):
        page = visit.open(f"{app_url}/{path}{'&' if '?' in path else '?'}lang={lang}")
        page.locator("h1").first.wait_for(timeout=60000)
        page.wait_for_timeout(3000)
        name = path.split("?")[0] or "map"
        page.screenshot(path=str(ARTIFACTS / f"page_{name}_{lang}.png"), full_page=True)
        assert page.locator('[data-testid="stException"]').count() == 0, (path, lang)
        if lang == "zh":
            # No English label in Chinese mode, except the names of formats and sources and the way back to
            # English ("Language", "English").
            assert latin_words(page) <= LATIN_ALLOWED | {"English"}, (path, latin_words(page) - LATIN_ALLOWED)
    assert visit.external_requests() == []
    assert visit.dialogs == [] and visit.errors == []


@pytest.mark.parametrize("page_spec", PAGES, ids=[p.url for p in PAGES])
def test_deep_link_to_every_page_on_a_fresh_server(browser, page_spec) -> None:  # type: ignore[no-untyped-def]
    """The first request a new server sees is a shared link to this page: it opens inside app.py's navigation,
    with its sidebar (but in presentation mode), in the link's language, and the link's parameters are read."""
    with running_app(f"streamlit_fresh_{page_spec.url}.log") as url:
        visit = Visit(browser)
        try:
            path = "" if page_spec.url == "map" else page_spec.url  # the default page lives at /
            page = visit.open(f"{url}/{path}?lang=en&x=42")
            page.locator("h1").first.wait_for(timeout=60000)
            page.get_by_text("The link parameter 'x' (value '42') is not one this app knows").wait_for(timeout=30000)
            page.wait_for_timeout(1000)
            page.screenshot(path=str(ARTIFACTS / f"fresh_server_{page_spec.url}_en.png"))
            title = t("app_title" if page_spec.url in ("map", "present") else f"page_{page_spec.url}", "en")
            assert page.locator("h1").first.inner_text() == title
            if page_spec.sidebar:
                nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
                assert all(t(f"page_{p.url}", "en") in nav for p in PAGES)
                page.get_by_label("Search (Chinese or English)").wait_for(timeout=30000)
            else:
                assert not page.locator('[data-testid="stSidebar"]').is_visible()
            assert page.locator('[data-testid="stException"]').count() == 0
            # Streamlit's legacy "Page not found" notice does not appear (the warm-up settled navigation).
            assert page.get_by_text("Page not found").count() == 0
        finally:
            visit.close()


def map_center(frame: Any) -> list[float]:
    return list(frame.evaluate("(() => { const c = window.AtlasMap.getMap().getCenter(); return [c.lat, c.lng]; })()"))


def test_the_view_goes_into_the_url_and_comes_back(visit: Visit, app_url: str) -> None:
    page = visit.open(app_url + "/?lang=en")
    frame = visit.map_frame(min_arcs=PLACED)
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_url(re.compile(r".*[?&]view=.*"), timeout=30000)
    view = re.search(r"view=([^&]+)", page.url).group(1).replace("%2C", ",")
    assert float(view.split(",")[2]) == 3  # one click on "+" from the default zoom 2

    # A link with a view opens there; a click on Nanjing lists its partners and puts the place in the URL.
    page = visit.open(app_url + "/?lang=en&view=32.06,118.78,8")
    frame = visit.map_frame(min_arcs=PLACED)
    page.wait_for_timeout(1000)
    lat, lon = map_center(frame)
    assert abs(lat - 32.06) < 0.05 and abs(lon - 118.78) < 0.05
    assert frame.evaluate("window.AtlasMap.getMap().getZoom()") == 8
    point = frame.evaluate("""() => { const p = window.AtlasMap.getMap().latLngToContainerPoint([32.06, 118.78]);
        return {x: p.x, y: p.y}; }""")
    element = frame.frame_element()
    element.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = element.bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_url(re.compile(r".*[?&]sel=gn%3A1799962.*"), timeout=30000)
    page.get_by_text("Partners of Nanjing").wait_for(timeout=30000)
    page.screenshot(path=str(ARTIFACTS / "map_view_and_place_en.png"))
    # The same link in a new tab opens the same view with the same place.
    link = page.url
    again = Visit(visit.page.context.browser)
    try:
        second = again.open(link)
        frame2 = again.map_frame(min_arcs=PLACED)
        second.get_by_text("Partners of Nanjing").wait_for(timeout=30000)
        second.wait_for_timeout(1000)
        view = [float(x) for x in re.search(r"view=([^&]+)", link).group(1).replace("%2C", ",").split(",")]
        lat, lon = map_center(frame2)
        assert abs(lat - view[0]) < 0.05 and abs(lon - view[1]) < 0.05
        assert frame2.evaluate("window.AtlasMap.getMap().getZoom()") == view[2]
    finally:
        again.close()


def test_switching_language_keeps_every_choice(visit: Visit, app_url: str) -> None:
    """Streamlit hands a choice back by its label: after a switch the old language's labels must not turn into
    values ('非洲' as a continent code) nor break the lens box."""
    page = visit.open(app_url + "/?lang=zh&cont=Africa&lens=subsaharan_africa&era=III")
    f = filters.Filters(continents=("Africa",), lens="subsaharan_africa", eras=("III",))
    expected = int(filters.apply(ATLAS.pairings, f)["placed"].sum())
    assert expected > 0
    wait_for_arcs(visit, lambda n: n == expected)
    for label, lang in (("English", "en"), ("中文", "zh"), ("English", "en")):
        page.locator('[data-testid="stSidebar"] [data-testid="stRadio"] label').filter(has_text=label).first.click()
        # Chinese is the default, so the URL leaves it out.
        page.wait_for_function(f"() => new URLSearchParams(location.search).get('lang') === "
                               f"{'null' if lang == 'zh' else repr(lang)}", timeout=15000)
        page.wait_for_timeout(1500)
        assert page.locator('[data-testid="stException"]').count() == 0, f"an error after switching to {lang}"
        url = page.url
        assert "cont=Africa" in url and "lens=subsaharan_africa" in url and "era=III" in url, url
        wait_for_arcs(visit, lambda n: n == expected)
    assert page.locator('[data-testid="stSidebar"]').get_by_text("Africa", exact=True).count() >= 1
    page.screenshot(path=str(ARTIFACTS / "language_switch_kept.png"))


# Every element of a widget's label whose text is wider than its box (Streamlit cuts such labels with "…").
CUT_LABELS = """(key) => [...document.querySelectorAll(`.st-key-${key} [data-testid="stWidgetLabel"] *`)]
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""


def test_the_layer_toggles_are_not_cut_off(visit: Visit, app_url: str) -> None:
    """The online-tiles and networks toggles show their whole label at 1500×1000 and 1280×800, in both languages."""
    for width, height in [(1500, 1000), (1280, 800)]:
        visit.page.set_viewport_size({"width": width, "height": height})
        for lang in ["zh", "en"]:
            page = visit.open(f"{app_url}/?lang={lang}")
            tiles = page.get_by_role("switch", name=t("tiles_online", lang))
            tiles.wait_for(state="attached", timeout=60000)
            page.get_by_role("switch", name=t("net_layer_toggle", lang)).wait_for(state="attached")
            for key in ["w_tiles", "w_net_layer"]:
                label = page.locator(f'.st-key-{key} [data-testid="stWidgetLabel"]')
                assert label.is_visible(), (key, lang, width)
                assert page.evaluate(CUT_LABELS, key) == [], (key, lang, width)
            page.screenshot(path=str(ARTIFACTS / f"map_toggles_{width}_{lang}.png"))
    assert visit.errors == []


def test_the_import_report_shows_only_real_rows(visit: Visit, app_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Blank lines of an uploaded list are named once, not listed; the report table is as tall as its rows (no
    empty grid lines under a short report)."""
    upload = tmp_path / "list.csv"
    upload.write_text("中方城市,外方城市,国家,结好时间,来源\n天津市,神户市,日本,1973-06-24,测试\n"
                      "南京市,无名城,美国,1990,测试\n,x,y,z\n,,,,\n,,,,\n", encoding="utf-8")
    page = visit.open(f"{app_url}/data?lang=en")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    page.get_by_text("Empty rows skipped, as they hold nothing: 5–6 (2 rows).").wait_for(timeout=60000)
    page.get_by_text("0 imported, 1 merged, 1 unplaced, 1 rejected, of 3 rows.").wait_for()
    grid = page.locator('[data-testid="stDataFrame"]').last
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    box = grid.bounding_box()
    assert box and box["height"] <= 35 * (3 + 1) + 3 + 2, box  # a header and three rows, nothing under them
    page.screenshot(path=str(ARTIFACTS / "data_import_report_en.png"))
    assert visit.errors == []


MAIN_SCROLL = "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop"


def test_a_click_on_a_map_partly_below_the_fold_hits_its_place(visit: Visit, app_url: str) -> None:
    """The first click on a map that reaches below the window: Leaflet focused the map on mousedown, the page
    scrolled the whole map into view before the click, and the click landed on whatever had moved under the
    pointer (here: an empty spot, not Nanjing)."""
    visit.page.set_viewport_size({"width": 1500, "height": 900})
    page = visit.open(app_url + "/?lang=en&view=32.06,118.78,8")
    frame = visit.map_frame(min_arcs=PLACED)
    page.wait_for_timeout(1000)
    page.mouse.move(900, 150)  # over the page's header, not the map (the wheel would zoom the map)
    page.mouse.wheel(0, 100)
    page.wait_for_function(f"() => ({MAIN_SCROLL})() >= 100")
    page.wait_for_timeout(300)
    scrolled = page.evaluate(MAIN_SCROLL)
    box = frame.frame_element().bounding_box()
    assert box["y"] + box["height"] > 900, "the map reaches below the window"
    point = frame.evaluate("""() => { const p = window.AtlasMap.getMap().latLngToContainerPoint([32.06, 118.78]);
        return {x: p.x, y: p.y}; }""")
    assert box["y"] + point["y"] < 880, "Nanjing itself is on screen"
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_url(re.compile(r".*[?&]sel=gn%3A1799962.*"), timeout=30000)
    page.get_by_text("Partners of Nanjing").wait_for(timeout=30000)
    assert frame.evaluate("document.activeElement.id") == "atlas-map", "the map has the keyboard (arrows pan)"
    assert abs(page.evaluate(MAIN_SCROLL) - scrolled) <= 1, "the click did not scroll the page"
    page.screenshot(path=str(ARTIFACTS / "map_click_below_fold_en.png"))
    assert visit.errors == []
