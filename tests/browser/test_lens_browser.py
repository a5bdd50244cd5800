"""What a person sees of the book's other two parts: a shared chapter link (`?lens=japan`) opens the map and the
chapter's panel, a network link (`?net=c40`) narrows the map to its member cities' ties, and the filter is named in
the sidebar in the link's language. Screenshots go to tests/browser/artifacts/."""

from __future__ import annotations

import pytest

from geo import filters, lenses, networks
from geo.load import load_atlas
from tests.browser.conftest import ARTIFACTS, Visit

pytestmark = pytest.mark.browser

ATLAS = load_atlas()
DEFAULT = filters.apply(ATLAS.pairings, filters.Filters())
JAPAN = DEFAULT[DEFAULT["partner_country_iso3"] == "JPN"]
C40 = DEFAULT[networks.member_mask(DEFAULT, networks.book_networks(), "c40")]


def arcs_drawn(frame) -> int:  # type: ignore[no-untyped-def]
    return int(frame.evaluate("window.atlasState.arcs"))


def test_a_chapter_link_opens_the_filtered_map(visit: Visit, app_url: str) -> None:
    page = visit.open(app_url + "/?lens=japan&lang=en")
    frame = visit.map_frame(min_arcs=1)
    assert arcs_drawn(frame) == int(JAPAN["placed"].sum())
    # The chapter's own examples are drawn strongly: the map was told which ties.
    strong = lenses.highlight_mask(JAPAN, lenses.get("japan"))
    lines = frame.evaluate("(id) => window.AtlasMap.tooltipOf(id)", str(JAPAN.loc[strong, "pair_id"].iloc[0]))
    assert any("Tokyo" in line or "Hokkaido" in line or "Niigata" in line for line in lines)
    # The sidebar names the chapter in the link's language.
    box = page.get_by_label("Book chapter (ch. 5–11)")
    box.wait_for(timeout=30000)
    assert box.input_value() == "Ch. 7 Japan"
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "map_lens_japan_en.png"))


def test_the_chapter_page_shows_its_panel_in_chinese(visit: Visit, app_url: str) -> None:
    page = visit.open(app_url + "/lenses?lens=japan")
    page.get_by_role("heading", name="第7章 日本").wait_for(timeout=60000)
    frame = visit.map_frame(min_arcs=1)
    assert arcs_drawn(frame) == int(JAPAN["placed"].sum())
    body = page.inner_text("body")
    fig = lenses.figures(DEFAULT, lenses.get("japan"))
    assert f"友好关系{fig.pairings:,}对" in body and "天津市 — 神户市（1973-06-24）" in body
    assert "东京、北海道、新潟与中国的" in body
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "lenses_japan_zh.png"), full_page=True)


def test_a_network_link_narrows_the_map_to_its_members(visit: Visit, app_url: str) -> None:
    page = visit.open(app_url + "/networks?net=c40&lang=en")
    frame = visit.map_frame(min_arcs=1)
    assert arcs_drawn(frame) == int(C40["placed"].sum())
    body = page.inner_text("body")
    assert "C40 Cities" in body and "Chinese member cities" in body
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "networks_c40_en.png"), full_page=True)
    # The same link on the map page.
    visit.open(app_url + "/?net=c40&lang=en")
    frame = visit.map_frame(min_arcs=1)
    assert arcs_drawn(frame) == int(C40["placed"].sum())


def test_network_layer_tooltips_in_chinese_mark_english_names(visit: Visit, app_url: str) -> None:
    """In Chinese, the networks layer names C40 as the networks page does: its English name marked †, the mark
    explained in the tooltip."""
    page = visit.open(app_url + "/?net=c40&lang=zh")
    frame = visit.map_frame(min_arcs=1)
    frame.wait_for_function("() => window.atlasState.overlayPoints > 0")
    element = frame.frame_element()
    element.scroll_into_view_if_needed()
    page.wait_for_timeout(2000)  # the map frames the network's ties first
    frame.evaluate("() => { window.AtlasMap.getMap().setView([51.5085, -0.1257], 6, {animate: false}); }")
    page.wait_for_timeout(500)
    point = frame.evaluate("""() => { const p = window.AtlasMap.getMap().latLngToContainerPoint([51.5085, -0.1257]);
        return {x: p.x, y: p.y}; }""")
    box = element.bounding_box()
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tip = frame.locator(".atlas-tip")
    tip.wait_for(state="visible", timeout=5000)
    lines = tip.inner_text().split("\n")
    assert lines[0] == "伦敦市" and "伦敦市：组织总部" in lines, lines
    assert any(line.startswith("C40 Cities Climate Leadership Group†，") for line in lines), lines
    assert lines[-1] == "† 资料中没有中文名称，显示英文原名。", lines
    page.screenshot(path=str(ARTIFACTS / "map_network_tip_zh.png"))
    assert visit.errors == []
