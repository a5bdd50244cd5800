"""Exports as a person gets them: the offline HTML map opened from disk in Chromium, and the slide PNG
downloaded from the running app."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo import export, filters, mapview
from geo.load import load_atlas
from tests.browser.conftest import ARTIFACTS, Visit

pytestmark = pytest.mark.browser


def test_exported_html_works_offline_from_disk(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    atlas = load_atlas()
    shown = filters.apply(atlas.pairings, filters.Filters(bri_groups=("central_asia",), lang="en"))
    args = mapview.map_args(shown, lang="en", color_by="era", eras=atlas.eras, revision=1)
    path = tmp_path / "atlas.html"
    path.write_text(export.export_html(args, "Youcheng Atlas — Central Asia", "Data as of 2026-07"),
                    encoding="utf-8")
    visit = Visit(browser)
    try:
        visit.page.goto(path.as_uri())
        visit.page.wait_for_function("window.atlasState && window.atlasState.revision === 1", timeout=30000)
        assert visit.page.evaluate("window.atlasState.arcs") == len(args["arcs"]) > 0
        assert visit.page.evaluate("window.atlasState.basemap") == "ok"
        visit.page.wait_for_timeout(500)
        visit.page.screenshot(path=str(ARTIFACTS / "export_html_offline.png"))
        assert all(u.startswith("file://") for u in visit.requests), visit.requests
        assert visit.errors == []
    finally:
        visit.close()


def test_slide_png_downloads_from_the_app(visit: Visit, app_url: str) -> None:
    page = visit.open(app_url + "/?lang=en&bri=central_asia")
    visit.map_frame(min_arcs=1)
    button = page.get_by_role("button", name="Download slide image (PNG)")
    button.wait_for(timeout=30000)
    with page.expect_download(timeout=120000) as info:
        button.click()
    target = ARTIFACTS / "downloaded_slide_en.png"
    info.value.save_as(target)
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == export.SLIDE_SIZE == (1920, 1080)


def test_deck_and_gif_download_from_the_app_in_chinese(visit: Visit, app_url: str) -> None:
    """One click each on the map page (Chinese interface, a focused case): the deck opens in python-pptx with the
    case's slide in Chinese, the GIF is an animation with a frame per year. Both are built on the click."""
    import io

    from PIL import Image
    from pptx import Presentation

    page = visit.open(app_url + "/?cont=Asia&ctry=JPN&case=1")
    visit.map_frame(min_arcs=1)
    deck_button = page.get_by_role("button", name="下载简报（PPTX）")
    deck_button.wait_for(timeout=30000)
    with page.expect_download(timeout=180000) as info:
        deck_button.click()
    assert info.value.suggested_filename.endswith(".pptx")
    target = ARTIFACTS / "downloaded_deck_zh.pptx"
    info.value.save_as(target)
    prs = Presentation(str(target))
    titles = [s.shapes.title.text_frame.text for s in prs.slides if s.shapes.title is not None]
    assert titles[0] == "友城地图 · 简报" and any(x.startswith("书中案例 1") for x in titles), titles
    assert "日本" in prs.slides[0].placeholders[1].text_frame.text

    gif_button = page.get_by_role("button", name="下载成长动画（GIF）")
    with page.expect_download(timeout=180000) as info:
        gif_button.click()
    target = ARTIFACTS / "downloaded_growth_zh.gif"
    info.value.save_as(target)
    gif = Image.open(io.BytesIO(target.read_bytes()))
    assert gif.format == "GIF" and gif.size == (1280, 720) and gif.n_frames > 40
    page.screenshot(path=str(ARTIFACTS / "map_exports_zh.png"), full_page=True)
    assert visit.errors == []
