"""AppTest of the data page: search, the no-match message, upload and report, using and leaving an import."""

from __future__ import annotations

import json
import os

from streamlit.testing.v1 import AppTest

from tests import apptest
from tests.apptest import rerun


def open_page(**query: str) -> AppTest:
    return apptest.open_page("data", **query)


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def test_search_box_filters_and_no_match_message() -> None:
    at = open_page(lang="en")
    assert not at.exception, at.exception
    total = len(at.dataframe[0].value)
    at.text_input(key="data_q").set_value("Kobe")
    rerun(at)
    assert not at.exception
    rows = at.dataframe[0].value
    assert 0 < len(rows) < total
    assert rows.apply(lambda r: "kobe" in " ".join(map(str, r.values)).lower(), axis=1).all()
    at.text_input(key="data_q").set_value("zzzz-no-such-place")
    rerun(at)
    assert any("No pairings match the current filters and search" in i.value for i in at.info)


def test_upload_csv_shows_report_and_can_be_used_then_reset() -> None:
    at = open_page(lang="zh")
    text = ("中方城市,外方城市,国家,结好时间,来源\n天津市,神户市,日本,1973-06-24,测试\n"
            "南京市,无名城,美国,1990,测试\n,x,y,z\n,,,,\n,,,,\n")
    at.file_uploader(key="import_file_csv").set_value(("list.csv", text.encode("gbk"), "text/csv"))
    rerun(at)
    assert not at.exception, at.exception
    assert any("GB18030/GBK" in s.value for s in at.success)
    assert any("新增 0，合并 1，无法定位 1，拒绝 1，共 3 行" in m.value for m in at.markdown)
    report = at.dataframe[-1].value
    assert list(report["结果"]) == ["拒绝", "无法定位", "合并"], "rejected rows first"
    assert list(report["行号"]) == [4, 3, 2] and (report["说明"].str.strip() != "").all(), "no blank rows"
    assert "已跳过空行：第 5–6 行（共 2 行），其中没有任何内容。" in captions(at)
    at.button(key="import_use").click()
    rerun(at)
    assert not at.exception
    assert at.session_state["imported_token"] and at.session_state["imported_atlas"] is not None
    assert any("正在使用导入的数据" in i.value for i in at.info)
    at.button(key="data_back").click()
    rerun(at)
    assert "imported_atlas" not in at.session_state


def test_upload_bad_registry_json_shows_error() -> None:
    at = open_page(lang="en")
    at.radio(key="import_kind").set_value("json")
    rerun(at)
    upload = ("r.json", json.dumps({"data": []}).encode(), "application/json")
    at.file_uploader(key="import_file_json").set_value(upload)
    rerun(at)
    assert not at.exception
    assert any("expected data" in e.value and "list of rows" in e.value for e in at.error)


def test_fetch_is_off_by_default() -> None:
    at = open_page(lang="en")
    assert at.checkbox(key="fetch_confirm").value is False
    assert at.button(key="fetch_run").disabled


def test_export_buttons_render() -> None:
    script = """
import sys
sys.path.insert(0, {root!r})
from geo.filters import Filters, apply
from geo.load import load_atlas
from geo import mapview
from pages.ui import exports
a = load_atlas()
f = Filters(lang="en", countries=("JPN",))
shown = apply(a.pairings, f)
exports.render(exports.View(shown, f, a, mapview.map_args(shown, lang="en", color_by="era", eras=a.eras, revision=1)))
"""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    at = AppTest.from_string(script.format(root=root), default_timeout=60).run()
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download slide image (PNG)", "Download print image (PNG, A4)", "Download vector (SVG, A4)",
                      "Download print file (PDF, A4)", "Download briefing deck (PPTX)",
                      "Download growth animation (GIF)", "Download growth video (MP4)", "Download offline map (HTML)",
                      "Download CSV", "Download Excel"]


def test_excel_row_cap_is_said_before_the_click(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Where a workbook cannot hold every pairing shown, the page says so beside the buttons."""
    from geo.export import tables

    for page in ("map", "data"):
        at = apptest.open_page(page, lang="en")
        assert not any("An Excel sheet holds at most" in c for c in captions(at)), page
        monkeypatch.setattr(tables, "EXCEL_MAX_ROWS", 10)
        at = apptest.open_page(page, lang="en")
        assert not at.exception, at.exception
        assert any(c.startswith("An Excel sheet holds at most 10 rows: this file has the first 10 of ")
                   for c in captions(at)), page
        monkeypatch.undo()
