"""Exports: CSV/Excel safety and headers, the slide image (size, not blank, Chinese renders), filter summary."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from PIL import Image

from geo import export
from geo.export import tables
from geo.filters import Filters, apply
from geo.load import Atlas, load_atlas

ARTIFACTS = Path(__file__).resolve().parent / "browser" / "artifacts"
EVIL = "=cmd|' /C calc'!A0"


@pytest.fixture
def atlas(data_dir: Path) -> Atlas:
    return load_atlas(data_dir)


def evil_frame(atlas: Atlas) -> pd.DataFrame:
    df = atlas.pairings.copy()
    df.loc[df.index[0], "partner_name_en"] = EVIL
    df.loc[df.index[1], "source"] = "+1+1"
    df.loc[df.index[2], "note"] = "@SUM(A1)"
    df.loc[df.index[3], "cn_name_en"] = "\t-2"
    return df


def test_csv_has_bom_headers_and_defuses_formulas(atlas: Atlas) -> None:
    data = export.export_csv(evil_frame(atlas), "zh")
    assert data.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert "外方城市（英文）" in table.columns and "来源" in table.columns and "结好时间" in table.columns
    assert table["外方城市（英文）"].iloc[0] == "'" + EVIL
    assert table["来源"].iloc[1] == "'+1+1" and table["备注"].iloc[2] == "'@SUM(A1)"
    assert table["中方城市（英文）"].iloc[3] == "'\t-2"
    for col in table.columns:
        assert not table[col].str.startswith(("=", "+", "-", "@")).any(), col
    assert len(table) == len(atlas.pairings)
    en = pd.read_csv(io.BytesIO(export.export_csv(atlas.pairings, "en")), encoding="utf-8-sig")
    assert {"Partner", "Source", "Established", "Country"} <= set(en.columns)


def test_excel_opens_and_defuses_formulas(atlas: Atlas) -> None:
    data = export.export_excel(evil_frame(atlas), "en", note="All pairings")
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert "Partner" in header and "Source" in header
    values = [c.value for row in ws.iter_rows(min_row=2) for c in row if c.value is not None]
    assert "'" + EVIL in values
    assert all(c.data_type == "s" for row in ws.iter_rows() for c in row if c.value is not None)
    assert not any(str(v).startswith(("=", "+", "-", "@")) for v in values)
    assert ws.max_row == len(atlas.pairings) + 1
    assert wb.worksheets[1]["B1"].value is None and wb.worksheets[1]["A2"].value == "All pairings"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_png_slide_size_and_saved(lang: str) -> None:
    atlas = load_atlas()
    f = Filters(lang=lang)
    png = export.export_png(atlas.pairings, atlas, f, lang)
    img = Image.open(io.BytesIO(png)).convert("RGB")
    assert img.size == (1920, 1080)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"export_{lang}.png").write_bytes(png)


def _pixels(fig: object) -> np.ndarray:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi, facecolor="white")  # type: ignore[attr-defined]
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"), dtype=int)


def test_png_draws_the_arc_where_it_belongs(atlas: Atlas) -> None:
    """Nanjing–St. Louis crosses the Pacific: the picture is fitted to it, pixels along the arc change when it is
    drawn, pixels in the empty parts of the same window do not."""
    from geo import arcs
    from geo.basemap import pacific_lon

    f = Filters(lang="en")
    one = atlas.pairings[atlas.pairings["pair_id"] == "P2"]
    pic = export.draw_map(one, atlas, f, "en", size=(960, 540), dpi=75)
    ax = pic.ax
    with_arc = _pixels(pic.fig)
    window = (*ax.get_xlim(), *ax.get_ylim())
    assert window[0] < 118 and window[1] > pacific_lon(-90.2) and window[1] - window[0] < 230, "fitted to the arc"
    empty = export.draw_map(one.iloc[0:0], atlas, f, "en", size=(960, 540), dpi=75, extent=window)
    without = _pixels(empty.fig)
    height = with_arc.shape[0]
    changed = np.abs(with_arc - without).sum(axis=2) > 60

    def near(lon: float, lat: float, r: int = 3) -> bool:
        x, y = ax.transData.transform((lon, lat))
        row, col = int(round(height - y)), int(round(x))
        return bool(changed[row - r:row + r + 1, col - r:col + r + 1].any())

    row = one.iloc[0]
    cx, cy = arcs.control_points([row["cn_lon"]], [row["cn_lat"]], [row["partner_lon"]], [row["partner_lat"]])
    path = arcs.sample(row["cn_lon"], row["cn_lat"], cx[0], cy[0], pacific_lon(row["partner_lon"]),
                       row["partner_lat"], segments=8)
    assert all(near(lon, lat) for lon, lat in path[1:-1]), "the arc is drawn along its path"
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    mid = (x0 + x1) / 2
    # The arc bows north: the bottom of the window, away from both ends, stays as it was.
    assert not any(near(lon, y0 + 0.08 * (y1 - y0), r=6) for lon in (mid - 20, mid, mid + 20)), \
        "nothing is drawn where no arc goes"
    assert set(pic.labels["label"]) == {"Nanjing", "St. Louis"}, "both ends are named"


def test_png_print_and_flow(atlas: Atlas) -> None:
    f = Filters(lang="zh", mode="flow")
    png = export.export_png(atlas.pairings, atlas, f, "zh", size=export.PRINT_SIZE, dpi=export.PRINT_DPI)
    img = Image.open(io.BytesIO(png))
    assert img.size == (3508, 2480)


def test_png_with_nothing_shown(atlas: Atlas) -> None:
    f = Filters(lang="en", search="zzzz")
    png = export.export_png(apply(atlas.pairings, f), atlas, f, "en", size=(800, 450), dpi=72)
    assert Image.open(io.BytesIO(png)).size == (800, 450)


def test_filter_summary(atlas: Atlas) -> None:
    assert export.filter_summary(Filters(lang="zh"), atlas, "zh") == "全部友城（未筛选）"
    f = Filters(lang="en", year_min=1990, countries=("USA", "JPN"), formal_only=True, search="Kobe")
    text = export.filter_summary(f, atlas, "en")
    assert "1990" in text and "United States" in text and "Japan" in text and "formal" in text and "Kobe" in text
    zh = export.filter_summary(replace(f, lang="zh"), atlas, "zh")
    assert "美国" in zh and "日本" in zh


def test_filter_summary_names_the_lens_and_the_network(atlas: Atlas) -> None:
    f = Filters(lens="japan", network="c40", year_min=1990)
    zh = export.filter_summary(f, atlas, "zh")
    assert zh.startswith("书中章节（第5—11章）：第7章 日本；城市国际组织的成员城市：")
    en = export.filter_summary(f, atlas, "en")
    assert en.startswith("Book chapter (ch. 5–11): Ch. 7 Japan; Member cities of a city network: C40 Cities")
    assert "1990" in en
    assert "Ch. 11 Sub-Saharan Africa" in export.filter_summary(Filters(lens="subsaharan_africa"), atlas, "en")


def test_export_html_is_self_contained(atlas: Atlas) -> None:
    from geo import mapview

    args = mapview.map_args(atlas.pairings, lang="en", color_by="era", eras=atlas.eras, revision=1)
    html = export.export_html(args, "Atlas <b>", note="as of 2026")
    assert html.startswith("<!DOCTYPE html>") and "Atlas &lt;b&gt;" in html and "as of 2026" in html
    assert "http://" not in html.split("<script>")[0]


def test_coded_values_are_translated(atlas: Atlas) -> None:
    zh = pd.read_csv(io.BytesIO(export.export_csv(atlas.pairings, "zh")), encoding="utf-8-sig", dtype=str,
                     keep_default_na=False).set_index("编号")
    assert zh.at["P1", "中方级别"] == "省级" and zh.at["P1", "外方级别"] == "城市"
    assert zh.at["P5", "关系类型"] == "友好交流关系" and zh.at["P1", "关系类型"] == "正式友城"
    assert zh.at["P1", "状态"] == "有效" and zh.at["P1", "已定位"] == "是"
    assert set(zh.at["P1", "五缘（推断）"].split("、")) <= {"地缘", "俗缘", "语缘", "情缘", "机缘"}
    en = pd.read_csv(io.BytesIO(export.export_csv(atlas.pairings, "en")), encoding="utf-8-sig", dtype=str,
                     keep_default_na=False).set_index("ID")
    assert en.at["P2", "Chinese-side level"] == "prefecture city" and en.at["P5", "Tie type"] == "friendly-exchange tie"


AFRICA = (-18.0, 52.0, -35.0, 38.0)  # lon0, lon1, lat0, lat1 of the African partners
CHINA = (74.0, 135.0, 18.0, 54.0)


def _region_px(ax: object, region: tuple[float, float, float, float], height: int) -> tuple[int, int, int, int]:
    """(col0, row0, col1, row1) of a lon/lat box in the picture's pixels."""
    (c0, r1), (c1, r0) = ax.transData.transform([(region[0], region[2]), (region[1], region[3])])  # type: ignore
    return int(c0), int(height - r0), int(c1), int(height - r1)


def test_africa_slide_fills_the_frame_with_africa_and_china_and_names_places() -> None:
    """Issue 10's check: the slide of cont=Africa is fitted to Africa and China (no empty Americas), arcs cover
    the African part, and places are named without overlaps, Chinese and African ones both."""
    atlas = load_atlas()
    f = Filters(lang="zh", continents=("Africa",))
    shown = apply(atlas.pairings, f)
    pic = export.draw_map(shown, atlas, f, "zh")
    ax = pic.ax
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert -70 < x0 <= AFRICA[0] and CHINA[1] <= x1 < 180, "the window runs from west Africa to east China only"
    assert y0 <= AFRICA[2] and y1 >= CHINA[3]
    box = ax.get_window_extent()
    assert box.width > 0.95 * 1920, "the map fills the slide's width"
    map_area = box.width * box.height
    a0, ar0, a1, ar1 = _region_px(ax, AFRICA, 1080)
    c0, cr0, c1, cr1 = _region_px(ax, CHINA, 1080)
    assert (a1 - a0) * (ar1 - ar0) + (c1 - c0) * (cr1 - cr0) > 0.33 * map_area, \
        "Africa and China fill the frame (the rest is the Middle East and the Indian Ocean their arcs cross)"
    assert x1 - x0 < 230, "no more than the slide's shape asks for"

    # Ink: arcs and dots change the African part of the picture against the same window with nothing drawn.
    drawn = _pixels(pic.fig)
    empty = _pixels(export.draw_map(shown.iloc[0:0], atlas, f, "zh", extent=(x0, x1, y0, y1)).fig)
    changed = np.abs(drawn - empty).sum(axis=2) > 60
    assert changed[ar0:ar1, a0:a1].mean() > 0.05 and changed[cr0:cr1, c0:c1].mean() > 0.05

    names = pic.labels
    assert len(names) >= 12 and {"cn", "partner"} <= set(names["side"])
    assert names["label"].str.contains(r"[\u4e00-\u9fff]").mean() > 0.8, "names are in the interface language"
    in_africa = names[(names["side"] == "partner") & names["x"].between(a0, a1) & names["y"].between(ar0, ar1)]
    assert len(in_africa) >= 5
    boxes = list(names["box"])
    for i, a in enumerate(boxes):
        assert box.x0 <= a[0] and a[2] <= box.x1, "inside the map"
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), "names never overlap"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "export_africa_zh.png").write_bytes(export.export_png(shown, atlas, f, "zh"))


def test_focused_case_is_drawn_strongly_named_and_framed() -> None:
    from geo.export.view import focus_for

    atlas = load_atlas()
    f = Filters(lang="en")
    focus = focus_for(atlas, case=1)  # Tianjin–Kobe
    pic = export.draw_map(apply(atlas.pairings, f), atlas, f, "en", focus=focus)
    assert pic.focus_pairs == (focus.pair_id,)
    (x0, x1), _ = pic.ax.get_xlim(), pic.ax.get_ylim()
    assert 90 < x0 < 117 and 135 < x1 < 170, "the window is the pairing, as the map page zooms to it"
    named = set(pic.labels.loc[pic.labels["focus"], "label"])
    assert {"Tianjin", "Kobe"} <= named
    texts = [t.get_text() for t in pic.fig.texts]
    assert any("Tianjin" in s and "Kobe" in s and "case 1" in s for s in texts), texts
    widths = [max(c.get_linewidths()) for c in pic.ax.collections if c.get_zorder() >= 5 and
              hasattr(c, "get_segments") and len(c.get_segments()) == 1]
    assert widths and max(widths) > 3, "the focused arc is drawn thick"


def test_ended_ties_are_dashed_grey_only_when_asked_for() -> None:
    from matplotlib.colors import to_hex

    atlas = load_atlas()
    f = Filters(lang="en", countries=("SWE",), include_ended=True)
    shown = apply(atlas.pairings, f)
    assert shown["status"].isin(("terminated", "suspended")).any()
    pic = export.draw_map(shown, atlas, f, "en")
    grey = [c for c in pic.ax.collections if hasattr(c, "get_segments") and len(c.get_colors()) and
            to_hex(c.get_colors()[0]) == export.image.ENDED_COLOR]
    assert grey and grey[0].get_linestyle()[0][1] is not None, "ended ties are a dashed grey collection"
    n_ended = int((shown["status"].isin(("terminated", "suspended")) & shown["placed"]).sum())
    assert len(grey[0].get_segments()) == n_ended
    legend = [t.get_text() for t in pic.ax.get_legend().get_texts()]
    assert "Ended or suspended (dashed)" in legend
    standing = export.draw_map(apply(atlas.pairings, Filters(lang="en", countries=("SWE",))), atlas, f, "en")
    assert not [c for c in standing.ax.collections if hasattr(c, "get_segments") and len(c.get_colors()) and
                to_hex(c.get_colors()[0]) == export.image.ENDED_COLOR]


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_vector_print_files_hold_chinese_as_vectors(fmt: str) -> None:
    atlas = load_atlas()
    f = Filters(lang="zh", continents=("Africa",))
    data = export.export_vector(apply(atlas.pairings, f), atlas, f, "zh", fmt)
    if fmt == "svg":
        text = data.decode("utf-8")
        assert text.startswith("<?xml") and "<svg" in text and "<image" not in text, "no bitmap inside"
        assert "<text" not in text, "letters are outlines, so Chinese shows without the font"
        import re

        size = re.search(r'<svg[^>]* width="([\d.]+)pt" height="([\d.]+)pt"', text)
        assert size and abs(float(size[1]) - 841.9) < 1 and abs(float(size[2]) - 595.3) < 1, "A4 landscape"
    else:
        assert data.startswith(b"%PDF-") and b"NotoSansCJK" in data, "the Chinese font is embedded"
        assert b"/Subtype /Image" not in data, "no bitmap inside"


def test_flow_caption_names_grouping_and_threshold() -> None:
    from geo.export.summary import filter_summary
    from geo.filters import Filters
    from geo.load import load_atlas

    atlas = load_atlas()
    f = Filters(lang="en", mode="flow", flow_level="macro")
    assert filter_summary(f, atlas, "en").endswith("Flows")
    assert "at least 7 pairings each" in filter_summary(f, atlas, "en", 7)
    assert "every flow drawn" in filter_summary(f, atlas, "en", 1)
    assert "每条至少 7 对" in filter_summary(Filters(mode="flow"), atlas, "zh", 7)


def test_excel_holds_every_cell_as_the_table_does(atlas: Atlas) -> None:
    """The streamed rows read back exactly as the table of safe strings, with odd text kept intact: a leading
    space, a carriage return, markup characters; characters XML cannot hold are removed before defusing, so none
    can hide a formula."""
    df = atlas.pairings.copy()
    df.loc[df.index[0], "note"] = " two  spaces & <b>\r\nline"
    df.loc[df.index[1], "source"] = "\x01=1+1"
    df.loc[df.index[2], "partner_name_en"] = "x" * 40_000
    data = export.export_excel(df, "zh")
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    got = [[c.value if c.value is not None else "" for c in row] for row in ws.iter_rows()]
    table = export.export_table(df, "zh")
    assert got[0] == list(table.columns)
    assert ws["A1"].font.bold and ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:V{len(df) + 1}"
    expected = [list(r) for r in table.itertuples(index=False, name=None)]
    expected[1][table.columns.get_loc("来源")] = "'=1+1"
    expected[2][table.columns.get_loc("外方城市（英文）")] = "x" * 32_767
    assert got[1:] == expected
    assert got[1][table.columns.get_loc("备注")] == " two  spaces & <b>\r\nline"


def test_excel_row_cap_keeps_the_first_rows_and_says_so(atlas: Atlas) -> None:
    data = export.export_excel(atlas.pairings, "en", note="All pairings", max_rows=4)
    wb = load_workbook(io.BytesIO(data))
    ids = [row[0].value for row in wb.worksheets[0].iter_rows(min_row=2)]
    assert ids == list(atlas.pairings["pair_id"].iloc[:4])
    about = [row[0].value for row in wb.worksheets[1].iter_rows()]
    total = len(atlas.pairings)
    message = f"An Excel sheet holds at most 4 rows: this file has the first 4 of {total}; the CSV file has them all."
    assert about[-1] == message == tables.excel_capped(total, "en", cap=4)
    assert tables.excel_capped(4, "en", cap=4) is None
    assert "Excel 工作表最多容纳 1,048,575 行" in str(tables.excel_capped(2_000_000, "zh"))


def test_view_slug_names_the_view_in_safe_ascii() -> None:
    from geo.export import view_slug
    from geo.filters import Filters

    assert view_slug(Filters()) == "all"
    assert view_slug(Filters(lang="zh", color_by="level")) == "all", "language and colouring are not the view"
    assert view_slug(Filters(continents=("Africa",))) == "africa"
    assert view_slug(Filters(countries=("JPN", "KOR"), mode="flow")) == "jpn-kor-flows"
    assert view_slug(Filters(provinces=("Jiangsu",), year_min=1990, year_max=2000)) == "jiangsu-1990-2000"
    assert view_slug(Filters(lens="japan", search="Nürnberg 南京")) == "japan-q-nurnberg"
    assert view_slug(Filters(search="../../etc/passwd")) == "q-etc-passwd"
    assert view_slug(Filters(search="南京")) == "q"
    long = view_slug(Filters(countries=tuple(f"C{n:02d}" for n in range(40))))
    assert len(long) <= 60 and not long.endswith("-") and re.fullmatch(r"[a-z0-9-]+", long)
