"""Property tests: URL parsing never raises, the CSV importer accounts for every row, exports stay formula-safe."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import filters as geo_filters
from geo._validate import AtlasDataError
from geo.export import export_csv, export_table, safe_cell
from geo.filters import Filters
from geo.load import Atlas, load_atlas
from geo.sources.user_csv import import_csv

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
KEYS = st.sampled_from(list(geo_filters.URL_KEYS.values()) + ["x", ""])
TEXT = st.text(max_size=30)
CELL = st.one_of(TEXT, st.sampled_from(["天津市", "神户市", "日本", "JPN", "1973-06-24", "1979年11月", "=1+1",
                                         "南京市", "Los Angeles", "美国", "src", "-", "@x", "\"", "\n", ";"]))
HEADERS = ["中方城市", "外方城市", "国家", "结好时间", "来源"]

_ATLAS: dict[str, Atlas] = {}


@pytest.fixture
def atlas(data_dir: Path) -> Atlas:
    if "a" not in _ATLAS:
        _ATLAS["a"] = load_atlas(data_dir)
    return _ATLAS["a"]


@SETTINGS
@given(st.dictionaries(KEYS, st.one_of(TEXT, st.lists(TEXT, max_size=3)), max_size=8))
def test_from_query_never_raises(params: dict[str, str | list[str]]) -> None:
    atlas = _ATLAS.get("real") or _ATLAS.setdefault("real", load_atlas())
    vocab = geo_filters.vocabulary(atlas.pairings, atlas.eras, list(atlas.bri["bri_group"]),
                                   list(atlas.provinces["province_en"]), sorted(atlas.countries["iso3"]))
    f, warnings = geo_filters.from_query(params, vocab)
    assert isinstance(f, Filters) and isinstance(warnings, list)
    assert f.lang in ("zh", "en") and f.color_by in geo_filters.COLOR_BY and f.mode in geo_filters.MODES
    assert geo_filters.FIRST_YEAR <= f.year_min <= f.year_max <= vocab.last_year
    assert set(f.eras) <= set(vocab.eras) and set(f.countries) <= set(vocab.countries)
    assert len(f.search) <= geo_filters.MAX_SEARCH
    geo_filters.apply(atlas.pairings, f)  # and the filters apply


@SETTINGS
@given(st.lists(st.lists(CELL, min_size=0, max_size=7), max_size=12), st.sampled_from([",", ";", "\t"]),
       st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_csv_importer_accounts_for_every_row(atlas: Atlas, rows: list[list[str]], delim: str, encoding: str) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delim)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    try:
        result = import_csv(buf.getvalue().encode(encoding, errors="replace"), atlas)
    except AtlasDataError:
        return
    n_records = len(list(csv.reader(io.StringIO(buf.getvalue(), newline=""), delimiter=delim))) - 1
    reported = sorted([r.row for r in result.rows] + result.blank_rows)
    assert reported == list(range(2, 2 + n_records)), "every data row has one report row or is named as blank"
    assert not set(result.blank_rows) & {r.row for r in result.rows}
    assert all(r.status in ("imported", "merged", "unplaced", "rejected") and r.message for r in result.rows)
    new = {r.pair_id for r in result.rows if r.status in ("imported", "unplaced")}
    assert new == set(result.imported["pair_id"])
    assert result.pairings["pair_id"].is_unique
    assert len(result.pairings) == len(atlas.pairings) + len(new)


@SETTINGS
@given(st.binary(max_size=400))
def test_csv_importer_on_arbitrary_bytes(atlas: Atlas, data: bytes) -> None:
    try:
        result = import_csv(b"\xef\xbb\xbf" + ",".join(HEADERS).encode() + b"\n" + data, atlas)
    except AtlasDataError:
        return
    rows = [r.row for r in result.rows]
    assert len(rows) == len(set(rows)) and rows == sorted(rows)
    assert result.counts["total"] == len(rows)


@SETTINGS
@given(st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=5))
def test_exports_never_start_a_cell_with_a_formula(atlas: Atlas, values: list[tuple[str, str, str]]) -> None:
    df = pd.concat([atlas.pairings.head(1)] * len(values), ignore_index=True)
    for n, (a, b, c) in enumerate(values):
        df.loc[n, "partner_name_en"], df.loc[n, "source"], df.loc[n, "note"] = a, b, c
    table = export_table(df, "en")
    for col in table.columns:
        assert not table[col].str.lstrip(" \u3000\n").str.startswith(("=", "+", "-", "@", "\t", "\r")).any()
    parsed = pd.read_csv(io.BytesIO(export_csv(df, "zh")), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    for col in parsed.columns:
        assert not parsed[col].str.startswith(("=", "+", "-", "@")).any()


@given(st.text(max_size=20))
@settings(max_examples=100, deadline=None)
def test_safe_cell(text: str) -> None:
    out = safe_cell(text)
    assert out == text or out == "'" + text
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))
