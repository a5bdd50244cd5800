"""Exports: CSV/Excel safety and headers, the slide image (size, not blank, Chinese renders), filter summary."""

from __future__ import annotations

import io
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
    """Nanjing–St. Louis crosses the Pacific: pixels along that arc change when it is drawn, pixels over the
    Atlantic and Africa do not."""
    from geo import arcs
    from geo.basemap import pacific_lon

    f = Filters(lang="en")
    one = atlas.pairings[atlas.pairings["pair_id"] == "P2"]
    fig, ax = export.map_figure(one, atlas, f, "en", size=(960, 540), dpi=75)
    with_arc = _pixels(fig)
    fig, _ = export.map_figure(one.iloc[0:0], atlas, f, "en", size=(960, 540), dpi=75)
    without = _pixels(fig)
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
    assert not any(near(lon, lat, r=6) for lon, lat in [(325, -20), (20, 0), (-20, 30)]), \
        "nothing is drawn where no arc goes"
    assert changed[:int(height * 0.8)].mean() < 0.05  # the change is the arc (and the count), not the whole map


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
