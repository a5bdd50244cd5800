"""What a person sees on the live map (issues 10, 12, 13): place names that never overlap and grow in number as
one zooms in, the flow map's width scale, year-by-year playback, presentation mode at 1920×1080 with the filters
in words and a deck of views stepped with the keyboard, overlay layers, ended ties, and flows drawn instead of arcs
when too many are in view. Screenshots go to tests/browser/artifacts/ (look at them)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
import pytest

from geo import deck, filters, mapview, paths
from geo.export.standalone import standalone_html
from geo.i18n import t
from geo.load import load_atlas
from tests.browser.conftest import ARTIFACTS, Visit

pytestmark = pytest.mark.browser

ATLAS = load_atlas()
CJK = re.compile(r"[\u3400-\u9fff]")


def overlapping(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and \
                    b["y"] < a["y"] + a["h"]:
                out.append((a["text"], b["text"]))
    return out


def zoom_to(frame: Any, lat: float, lon: float, zoom: float) -> None:
    frame.evaluate("([lat, lon, z]) => { window.AtlasMap.getMap().setView([lat, lon], z, {animate: false}); }",
                   [lat, lon, zoom])
    frame.wait_for_function(f"() => window.atlasState.zoom === {zoom}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_labels_drawn_without_overlap_more_when_zoomed_in(visit: Visit, app_url: str, lang: str) -> None:
    page = visit.open(f"{app_url}/?lang={lang}")
    frame = visit.map_frame(min_arcs=1000)
    frame.wait_for_function("() => window.atlasState.labels > 0")
    world = frame.evaluate("window.AtlasMap.labelBoxes()")
    assert len(world) >= 10
    assert overlapping(world) == []
    width = frame.evaluate("document.getElementById('atlas-map').clientWidth")
    assert all(0 <= b["x"] and b["x"] + b["w"] <= width for b in world), "names stay inside the map"
    texts = [b["text"] for b in world]
    if lang == "zh":
        assert sum(bool(CJK.search(t)) for t in texts) >= 0.9 * len(texts), texts
    else:
        assert not any(CJK.search(t) for t in texts), texts
    # The busiest place of the view is named (it ranks first and nothing is drawn before it).
    shown = filters.apply(ATLAS.pairings, filters.Filters(lang=lang))
    first = mapview.map_args(shown, lang=lang, color_by="era", eras=ATLAS.eras, revision=1)["places"][0][3]
    assert first in texts
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"live_labels_world_{lang}.png"))
    zoom_to(frame, 32.0, 118.0, 5)
    closer = frame.evaluate("window.AtlasMap.labelBoxes()")
    assert overlapping(closer) == []
    assert len(closer) > len(world), (len(closer), len(world))
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / f"live_labels_east_china_{lang}.png"))
    assert visit.errors == []


def test_a_focused_case_is_named_on_the_map(visit: Visit, app_url: str) -> None:
    page = visit.open(f"{app_url}/?lang=en&case=1")
    frame = visit.map_frame(min_arcs=1000)
    frame.wait_for_function("() => window.AtlasMap.labelBoxes().some(b => b.focus)")
    focused = {b["text"] for b in frame.evaluate("window.AtlasMap.labelBoxes()") if b["focus"]}
    assert focused == {"Tianjin", "Kobe"}, focused
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "live_case_1_named_en.png"))
    assert visit.errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_flow_map_shows_a_width_scale(visit: Visit, app_url: str, lang: str) -> None:
    page = visit.open(f"{app_url}/?lang={lang}&mode=flow")
    frame = visit.map_frame(min_arcs=1)
    assert frame.evaluate("window.atlasState.arcs") <= mapview.MAX_AUTO_FLOWS
    rows = frame.locator(".atlas-scale-row")
    assert rows.count() >= 2
    heights = [float(rows.nth(i).locator(".atlas-scale-line").evaluate("e => e.getBoundingClientRect().height"))
               for i in range(rows.count())]
    assert heights == sorted(heights, reverse=True) and heights[0] >= 1.9 * heights[-1]
    map_box = frame.locator("#atlas-map").bounding_box()
    for i in range(rows.count()):  # the scale is on screen, not scrolled away inside the legend
        box = rows.nth(i).bounding_box()
        assert box and map_box["y"] <= box["y"] and box["y"] + box["height"] <= map_box["y"] + map_box["height"]
        assert rows.nth(i).is_visible()
    assert frame.locator(".atlas-legend-note").is_visible()
    flows_title = "最大的流向" if lang == "zh" else "Largest flows"
    page.get_by_text(flows_title).wait_for()
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"live_flows_{lang}.png"))
    assert visit.errors == []


def test_playback_steps_the_year(visit: Visit, app_url: str) -> None:
    page = visit.open(f"{app_url}/?lang=en")
    frame = visit.map_frame(min_arcs=1000)
    placed = filters.apply(ATLAS.pairings, filters.Filters())
    placed = placed[placed["placed"]]
    years = pd.to_numeric(placed["year"], errors="coerce")
    frame.get_by_role("button", name="▶ Play year by year").click()
    year = frame.locator(".atlas-play-year")
    assert year.inner_text() == "1973"
    frame.get_by_role("button", name="‖ Pause").click()
    start = int(year.inner_text())
    frame.get_by_role("button", name="Year on ▶").click()
    frame.get_by_role("button", name="Year on ▶").click()
    assert int(year.inner_text()) == start + 2
    shown = int((years <= start + 2).sum())
    assert frame.evaluate("window.atlasState.playShown") == shown
    assert frame.locator(".atlas-play-count").inner_text() == f"By this year: {shown:,} pairings on the map"
    unknown = int(years.isna().sum())  # placed ones only: the timeline's figure also counts those not placed
    assert frame.locator(".atlas-play-unknown").inner_text() == \
        f"Not shown, year unknown: {unknown:,} pairings placed on the map"
    for _ in range(20):
        frame.get_by_role("button", name="Year on ▶").click()
    assert int(year.inner_text()) == start + 22
    assert frame.evaluate("window.atlasState.playShown") == int((years <= start + 22).sum())
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "live_playback_en.png"))
    frame.get_by_role("button", name="Show all").click()
    assert frame.evaluate("window.atlasState.drawnArcs") == len(placed)
    assert frame.evaluate("window.atlasState.playYear") is None
    assert visit.errors == []


def test_book_case_in_the_legend_only_while_a_case_arc_is_in_view(visit: Visit, app_url: str) -> None:
    page = visit.open(f"{app_url}/?lang=en")
    frame = visit.map_frame(min_arcs=1000)
    legend = frame.locator(".atlas-legend")
    legend.get_by_text("Book case", exact=True).wait_for()
    # Buenos Aires up close: arcs end there, but none of the book's cases does (and none passes over it).
    zoom_to(frame, -34.6, 301.6, 6)
    assert frame.evaluate("window.atlasState.drawnArcs") > 0
    assert legend.get_by_text("Book case", exact=True).count() == 0
    assert legend.get_by_text("I Exploration (1973–1978)").is_visible(), "the colours stay explained"
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "live_legend_no_case_en.png"))
    zoom_to(frame, 35.0, 135.0, 5)  # Kobe (case 1) and Kitakyushu (case 2) in view again
    legend.get_by_text("Book case", exact=True).wait_for()
    # Filtered to South America, no case is among the pairings at all.
    page = visit.open(f"{app_url}/?lang=en&sub=South%20America")
    frame = visit.map_frame(min_arcs=1)
    frame.locator(".atlas-legend-row").first.wait_for()
    assert frame.locator(".atlas-legend").get_by_text("Book case", exact=True).count() == 0
    assert visit.errors == []


def view_bounds(frame: Any) -> list[float]:
    """The map's view as [west, east, south, north]."""
    return frame.evaluate("(() => { const b = window.AtlasMap.getMap().getBounds(); "
                          "return [b.getWest(), b.getEast(), b.getSouth(), b.getNorth()]; })()")


@pytest.mark.parametrize("mode", ["arcs", "flow"])
def test_live_map_fits_a_filtered_view(visit: Visit, app_url: str, mode: str) -> None:
    page = visit.open(f"{app_url}/?lang=en&cont=Africa&mode={mode}")
    frame = visit.map_frame(min_arcs=1)
    frame.wait_for_function("() => window.AtlasMap.getMap().getBounds().getEast() < 250")
    west, east, south, north = view_bounds(frame)
    # Africa and China both in view (flows end at each country's point, so the Cape itself need not be), and
    # not the whole world, which would be more than 360° wide.
    assert west < 10 and east > 115 and south < -20 and north > 35, (west, east, south, north)
    assert east - west < 280, (west, east)
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"live_fit_africa_{mode}.png"))
    world = visit.open(f"{app_url}/?lang=en")
    frame = visit.map_frame(min_arcs=1000)
    west, east, _, _ = view_bounds(frame)
    assert east - west >= 300, "with no filter the map keeps the world frame"
    world.wait_for_timeout(200)
    assert visit.errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_presentation_caption_in_words_at_1920(visit: Visit, app_url: str, lang: str) -> None:
    visit.page.set_viewport_size({"width": 1920, "height": 1080})
    page = visit.open(f"{app_url}/present?lang={lang}&cont=Africa")
    frame = visit.map_frame(min_arcs=1)
    words = "显示：对方大洲：非洲" if lang == "zh" else "Showing: Partner continent: Africa"
    caption = page.get_by_text(words)
    caption.wait_for()
    box = caption.bounding_box()
    assert box and box["y"] + box["height"] < 1080 and float(caption.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)")) >= 28, "the caption reads from the back of a room"
    element = frame.frame_element().bounding_box()
    assert element["y"] + element["height"] <= 1080, "the whole map is on the screen"
    assert element["width"] >= 1700
    legend_px = float(frame.locator(".atlas-legend").evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert legend_px >= 18
    # Fitted to Africa and China: both in view, from the Cape to north China, and not the whole world.
    bounds = frame.evaluate("(() => { const b = window.AtlasMap.getMap().getBounds(); "
                            "return [b.getWest(), b.getEast(), b.getSouth(), b.getNorth()]; })()")
    west, east, south, north = bounds
    assert west < -17 and east > 125 and south < -34 and north > 45, bounds
    assert east - west < 280 and north - south < 110, bounds  # the world would be 360° wide
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / f"present_africa_{lang}.png"))
    assert visit.errors == []


def test_saved_views_step_with_the_keyboard(visit: Visit, app_url: str) -> None:
    visit.page.set_viewport_size({"width": 1920, "height": 1080})
    views = deck.encode(["cont=Africa", "bri=asean&mode=flow", "ctry=JPN&color=affinity"])
    page = visit.open(f"{app_url}/present?lang=en&deck={quote(views)}&slide=1")
    visit.map_frame(min_arcs=1)
    page.get_by_text("Showing: Partner continent: Africa").wait_for()
    page.get_by_text("View 1 of 3").wait_for()
    page.locator("h1").first.click()  # the keys go to the page, as when a presenter clicks it
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r".*[?&]slide=2.*"), timeout=30000)
    page.get_by_text("View 2 of 3").wait_for()
    page.get_by_text(re.compile(r"Belt and Road group: ASEAN")).first.wait_for()
    frame = visit.map_frame(min_arcs=1)
    frame.wait_for_function("() => window.atlasState.arcs <= 100")
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "present_deck_view2_en.png"))
    page.keyboard.press(" ")
    page.wait_for_url(re.compile(r".*[?&]slide=3.*"), timeout=30000)
    page.get_by_text(re.compile(r"Partner country: Japan")).first.wait_for()
    # Keys pressed on the map itself step too (the map does not pan with the arrows in presentation mode).
    frame = visit.map_frame(min_arcs=1)
    frame.locator("#atlas-map").click(position={"x": 20, "y": 300})
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(re.compile(r".*[?&]slide=2.*"), timeout=30000)
    page.get_by_text("View 2 of 3").wait_for()
    page.get_by_role("button", name="Next ▶").click()
    page.wait_for_url(re.compile(r".*[?&]slide=3.*"), timeout=30000)
    assert visit.errors == []


# --- The component on its own (the offline page), with fixture payloads ------------------------------------------

def open_standalone(browser: Any, tmp_path: Path, args: dict[str, Any], name: str) -> Any:
    html_file = tmp_path / f"{name}.html"
    html_file.write_text(standalone_html(args, title=name), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1200, "height": 700})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(html_file.as_uri())
    page.wait_for_function(f"document.body.dataset.painted === '{args['revision']}'")
    page.errors = errors
    return page


def hover_latlng(page: Any, lat: float, lon: float) -> None:
    point = page.evaluate("""([lat, lon]) => { const box = document.getElementById('atlas-map').getBoundingClientRect();
        const pt = window.AtlasMap.getMap().latLngToContainerPoint([lat, lon]);
        return {x: box.left + pt.x, y: box.top + pt.y}; }""", [lat, lon])
    page.mouse.move(point["x"], point["y"])


def test_overlays_and_ended_ties_in_the_legend_with_tooltips(browser: Any, tmp_path: Path, data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    df = atlas.pairings.copy()
    df.loc[df["pair_id"] == "P4", ["status", "status_date"]] = ["terminated", "2019"]
    overlays = [{"id": "net:a", "title": "Sister-city network <i>A</i>", "color": "#7b2cbf", "shape": "diamond",
                 "points": [[-122.42, 37.77, "San Francisco", ["member since 2019", "<b>bold?</b>"]],
                            [151.21, -33.87, "Sydney", []]]},
                {"id": "net:b", "title": "Network B", "color": "#2b8a3e", "shape": "triangle",
                 "points": [[2.35, 48.86, "Paris", ["founding member"]]]}]
    args = mapview.map_args(df, lang="en", color_by="era", eras=atlas.eras, revision=5, overlays=overlays)
    page = open_standalone(browser, tmp_path, args, "overlays")
    assert page.evaluate("window.atlasState.overlayPoints") == 3
    rows = page.locator(".atlas-legend-overlay")
    assert rows.count() == 2 and rows.nth(0).inner_text() == "Sister-city network <i>A</i>"
    assert page.locator(".atlas-legend-dashed").count() == 1
    assert "Ended or suspended (dashed)" in page.locator(".atlas-legend").inner_text()
    hover_latlng(page, 37.77, 237.58)
    tip = page.locator(".atlas-tip")
    tip.wait_for(state="visible", timeout=3000)
    assert tip.inner_text().split("\n") == ["San Francisco", "Sister-city network <i>A</i>", "member since 2019",
                                           "<b>bold?</b>"]
    assert tip.locator("b, i").count() == 0, "tooltip text is text"
    # Overlay points are drawn above the arcs and places: the pixel at Paris has the overlay's colour.
    rgb = page.evaluate("""() => { const c = document.querySelector('.atlas-data-base');
        const r = c.getBoundingClientRect(), box = document.getElementById('atlas-map').getBoundingClientRect();
        const pt = window.AtlasMap.getMap().latLngToContainerPoint([48.86, 2.35]);
        const k = c.width / r.width;
        const d = c.getContext('2d').getImageData(Math.round((box.left + pt.x - r.left) * k),
                                                  Math.round((box.top + pt.y - r.top + 1) * k), 1, 1).data;
        return [d[0], d[1], d[2]]; }""")
    assert rgb == [0x2b, 0x8a, 0x3e], rgb
    page.screenshot(path=str(ARTIFACTS / "live_overlays_en.png"))
    assert page.errors == []
    page.close()


def test_too_many_arcs_become_flows_until_one_zooms_in(browser: Any, tmp_path: Path, data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    points = pd.read_csv(paths.COUNTRY_POINTS, dtype=str, keep_default_na=False)
    args = mapview.map_args(atlas.pairings, lang="zh", color_by="era", eras=atlas.eras, revision=9,
                            provinces=atlas.provinces, country_points=points, detail_limit=2)
    page = open_standalone(browser, tmp_path, args, "reduced")
    state = page.evaluate("window.atlasState")
    assert state["reduced"] is True and state["flowsDrawn"] == 5 and state["drawnArcs"] == 0
    notice = page.locator(".atlas-notice")
    assert notice.is_visible() and "5 条连线太多" in notice.inner_text()
    assert page.locator(".atlas-scale-row").count() >= 1, "the flows' width scale is in the legend"
    page.screenshot(path=str(ARTIFACTS / "live_reduced_zh.png"))
    # Zoomed in on Los Angeles, at most two arcs are in view: each pairing is drawn again, the notice goes.
    page.evaluate("() => { window.AtlasMap.getMap().setView([34.05, 241.76], 7, {animate: false}); }")
    page.wait_for_function("() => window.atlasState.reduced === false")
    assert 1 <= page.evaluate("window.atlasState.drawnArcs") <= 2
    assert notice.is_hidden()
    assert page.errors == []
    page.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_playback_counts_one_in_the_singular(browser: Any, tmp_path: Path, data_dir: Path, lang: str) -> None:
    """The counts the browser fills itself: one pairing by the first year (Tianjin–Kobe, 1973) and one placed
    pairing of unknown year (P3) in the fixture."""
    atlas = load_atlas(data_dir)
    args = mapview.map_args(atlas.pairings, lang=lang, color_by="era", eras=atlas.eras, revision=11)
    page = open_standalone(browser, tmp_path, args, f"playback_one_{lang}")
    page.evaluate("window.AtlasMap.play.start()")
    page.evaluate("window.AtlasMap.play.toggle()")  # paused on the first year
    assert page.locator(".atlas-play-year").inner_text() == "1973"
    count, unknown = page.locator(".atlas-play-count").inner_text(), page.locator(".atlas-play-unknown").inner_text()
    if lang == "en":
        assert count == "By this year: 1 pairing on the map"
        assert unknown == "Not shown, year unknown: 1 pairing placed on the map"
    else:
        assert count == t("play_count", "zh", n="1") and unknown == t("play_unknown", "zh", n="1")
    for _ in range(6):  # to 1979: two
        page.evaluate("window.AtlasMap.play.step(1)")
    assert page.locator(".atlas-play-year").inner_text() == "1979"
    assert page.locator(".atlas-play-count").inner_text() == t("play_count", lang, n="2")
    page.screenshot(path=str(ARTIFACTS / f"live_playback_one_{lang}.png"))
    assert page.errors == []
    page.close()
