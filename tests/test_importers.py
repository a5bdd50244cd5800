"""Importers: a user's CSV and the registry's JSON, on the six-pairing fixture dataset."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from geo._validate import AtlasDataError
from geo.load import Atlas, load_atlas
from geo.sources import MAX_BYTES, MAX_ROWS, normalise_date, registry_fetch, to_atlas
from geo.sources.registry_fetch import fetch_registry
from geo.sources.registry_json import import_registry
from geo.sources.user_csv import import_csv

HEADER = "中方城市,外方城市,国家,结好时间,来源\n"


@pytest.fixture
def atlas(data_dir: Path) -> Atlas:
    return load_atlas(data_dir)


def statuses(result) -> dict[int, str]:  # type: ignore[no-untyped-def]
    return {r.row: r.status for r in result.rows}


def test_good_bad_duplicate_and_unplaceable_rows(atlas: Atlas) -> None:
    text = HEADER + (
        "天津市,神户市,日本,1973/6/24,外办名单\n"        # 2: existing pair -> merged
        "南京市,Los Angeles,美国,1982,外办名单\n"         # 3: both ends known, new pair -> imported
        "南京市,Atlantis,USA,1990年5月,外办名单\n"        # 4: partner unknown -> unplaced
        ",Paris,法国,1990,外办名单\n"                    # 5: no Chinese side -> rejected
        "南京市,,法国,1990,外办名单\n"                   # 6: no partner -> rejected
        "南京市,Oz,Narnia,1990,外办名单\n"               # 7: unknown country -> rejected
        "南京市,Los Angeles,United States,1982,另一来源\n"  # 8: duplicate of row 3 -> merged
        "广州市,Kobe,JPN,someday,外办名单\n"             # 9: bad date, kept without date
        "\n"                                           # 10: blank line -> skipped, named apart
        ",,,,\n , ,,,\n"                               # 11, 12: Excel's empty trailing rows -> the same
    )
    result = import_csv(text.encode("utf-8"), atlas)
    s = statuses(result)
    assert s == {2: "merged", 3: "imported", 4: "unplaced", 5: "rejected", 6: "rejected", 7: "rejected",
                 8: "merged", 9: "imported"}
    assert result.blank_rows == [10, 11, 12] and result.blank_spans() == "10–12"
    assert list(result.report["row"]) == [5, 6, 7, 4, 2, 8, 3, 9], "only rows that hold something, problems first"
    assert (result.report["message"].str.strip() != "").all(), "every report row says what happened"
    msgs = {r.row: r.message for r in result.rows}
    assert "merged with P1" in msgs[2] and "added the source" in msgs[2]
    assert "no Chinese-side name" in msgs[5] and "no partner name" in msgs[6] and "Narnia" in msgs[7]
    assert "date not understood" in msgs[9]
    new = result.imported.set_index("partner_name_en")
    assert new.at["Los Angeles", "cn_place_id"] == "gn:1" and new.at["Los Angeles", "partner_place_id"] == "gn:13"
    assert new.at["Los Angeles", "pair_id"].startswith("U")
    assert "另一来源" in new.at["Los Angeles", "source"], "the duplicate row's source was merged"
    assert new.at["Kobe", "established"] == "" and "someday" in new.at["Kobe", "date_note"]
    assert new.at["Atlantis", "established"] == "1990-05"
    assert result.counts == {"rejected": 3, "unplaced": 1, "merged": 2, "imported": 2, "total": 8}

    merged = to_atlas(atlas, result)
    assert len(merged.pairings) == 6 + 3
    row = merged.pairings.set_index("pair_id").loc[new.at["Los Angeles", "pair_id"]]
    assert bool(row["placed"]) and row["affinities"] and row["era_id"] == "II"
    assert not bool(merged.pairings.set_index("partner_name_en").at["Atlantis", "placed"])
    assert len(atlas.pairings) == 6, "the base atlas is not modified"


def test_merge_fills_a_missing_date(atlas: Atlas) -> None:
    result = import_csv((HEADER + "河口瑶族自治县,老街市,越南,1993-05-18,外办\n").encode(), atlas)
    assert statuses(result) == {2: "merged"}
    row = result.pairings.set_index("pair_id").loc["P3"]
    assert row["established"] == "1993-05-18" and row["date_source"] == "外办"
    assert "added date 1993-05-18" in result.rows[0].message


@pytest.mark.parametrize("encoding,label", [("gbk", "GB18030/GBK"), ("utf-8-sig", "UTF-8 (BOM)"), ("utf-8", "UTF-8")])
def test_encodings(atlas: Atlas, encoding: str, label: str) -> None:
    result = import_csv((HEADER + "广州市,吉隆坡,马来西亚,2015-12-01,广州外办\n").encode(encoding), atlas)
    assert result.encoding == label
    assert statuses(result) == {2: "merged"}


@pytest.mark.parametrize("delim", [";", "\t"])
def test_english_headers_and_other_delimiters(atlas: Atlas, delim: str) -> None:
    rows = [["Chinese city", "Partner city", "Country", "Established", "Source", "Province"],
            ["Nanjing", "Kuala Lumpur", "MYS", "2001-02-03", "office list", "Jiangsu"]]
    result = import_csv("\n".join(delim.join(r) for r in rows).encode(), atlas)
    assert statuses(result) == {2: "imported"}
    assert result.imported.iloc[0]["established"] == "2001-02-03"


def test_file_level_errors(atlas: Atlas) -> None:
    with pytest.raises(AtlasDataError, match="empty"):
        import_csv(b"", atlas)
    with pytest.raises(AtlasDataError, match="over the 5 MB limit"):
        import_csv(HEADER.encode() + b"x" * (MAX_BYTES + 1), atlas)
    with pytest.raises(AtlasDataError, match="20,000-row limit"):
        import_csv((HEADER + "a,b,c,,d\n" * (MAX_ROWS + 1)).encode(), atlas)
    with pytest.raises(AtlasDataError, match="missing required column"):
        import_csv("城市,年份\n南京,1990\n".encode(), atlas)
    with pytest.raises(AtlasDataError, match="not a text CSV"):
        import_csv(b"PK\x03\x04 excel", atlas)
    with pytest.raises(AtlasDataError, match="encoding not recognised"):
        import_csv(HEADER.encode() + b"\xff\xff\xff,\x80\x80\n", atlas)


def test_registry_rows_and_dates(atlas: Atlas) -> None:
    doc = {"code": 1, "data": {"lists": [
        {"id": 1, "sn": "1", "prov": "天津市", "city": "天津市", "w_city": "神户市", "w_country": "日本",
         "qzsj": "1973-06-24", "jhsj": "1973"},
        {"id": 2, "sn": 2, "prov": "江苏省", "city": "南京市", "w_city": "吉隆坡", "w_country": "马来西亚",
         "qzsj": 19990101},
        {"id": 3, "prov": "广东省", "city": "广州市", "w_city": "洛杉矶市", "w_country": "美国", "qzsj": 109728000},
        {"id": 4, "prov": "云南省", "city": "", "w_city": "某州", "w_country": "美国", "qzsj": "not a date"},
        "garbage",
    ]}}
    result = import_registry(json.dumps(doc, ensure_ascii=False), atlas)
    s = statuses(result)
    assert s == {1: "merged", 2: "imported", 3: "merged", 4: "unplaced", 5: "rejected"}
    new = result.imported.set_index("partner_name_zh")
    assert new.at["吉隆坡", "established"] == "1999-01-01" and new.at["吉隆坡", "tie_type"] == "formal"
    assert new.at["某州", "cn_level"] == "province" and new.at["某州", "cn_province_en"] == "Yunnan"
    assert "date not understood" in {r.row: r.message for r in result.rows}[4]
    assert result.pairings.set_index("pair_id").at["P4", "established"] == "1981", "existing date kept"


@pytest.mark.parametrize("doc", ['{"data": []}', '[1, 2]', '{"msg": "denied"}', '{"data": {"lists": {}}}'])
def test_registry_shape_not_understood(atlas: Atlas, doc: str) -> None:
    with pytest.raises(AtlasDataError, match="expected data.lists to be a list of rows, got"):
        import_registry(doc, atlas)


def test_registry_bad_json(atlas: Atlas) -> None:
    with pytest.raises(AtlasDataError, match="not valid JSON"):
        import_registry(b"{nope", atlas)


def test_fetch_offline_message(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def no_network(*args: object, **kwargs: object) -> None:
        calls.append(args)
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    with pytest.raises(AtlasDataError, match="offline.*saved file") as info:
        fetch_registry(timeout=1)
    assert calls and calls[0][0].full_url == registry_fetch.REGISTRY_URL and calls[0][0].method == "POST"
    assert "offline" in str(info.value)


class _Endless:
    """A response that never ends: `chunk` bytes per read, `delay` seconds between reads."""

    def __init__(self, chunk: int, delay: float = 0.0) -> None:
        self.chunk, self.delay, self.reads = chunk, delay, 0

    def read(self, n: int) -> bytes:
        import time

        self.reads += 1
        time.sleep(self.delay)
        return b"x" * min(n, self.chunk)

    def __enter__(self) -> _Endless:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def test_fetch_stops_at_the_importers_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    answer = _Endless(64 * 1024)
    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: answer)
    with pytest.raises(AtlasDataError, match="over the 5 MB limit"):
        fetch_registry(lang="en")
    # It read at most one chunk past the limit, never the old 20 MB.
    assert answer.reads * 64 * 1024 <= MAX_BYTES + 2 * 64 * 1024


def test_fetch_has_an_overall_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    # A server that trickles data forever: each read is quick, so only an overall deadline can stop it.
    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: _Endless(10, delay=0.05))
    with pytest.raises(AtlasDataError, match="within 1 seconds"):
        fetch_registry(lang="en", deadline_s=1)


def test_full_width_commas_inside_quoted_fields_are_kept(atlas: Atlas) -> None:
    # A list saved with full-width commas as the delimiter; a quoted note holds full-width commas of its own.
    text = ("中方城市，外方城市，国家，结好时间，来源，备注\n"
            "南京市，Los Angeles，美国，1982，外办名单，\"据报道，双方于当年签约，后续多次互访\"\n")
    result = import_csv(text.encode("utf-8"), atlas)
    assert statuses(result) == {2: "imported"}
    assert "据报道，双方于当年签约，后续多次互访" in result.imported.iloc[0]["note"]
    assert not [r for r in result.rows if "fields" in r.message]


def test_imported_rows_pass_the_embedded_data_validator(atlas: Atlas, monkeypatch: pytest.MonkeyPatch) -> None:
    from geo.load import validate_pairings, with_optional_columns
    from geo.sources import merge

    text = HEADER + "南京市,Los Angeles,美国,1982,外办名单\n南京市,Atlantis,USA,1990,外办名单\n"
    result = import_csv(text.encode(), atlas)
    checked = merge._for_checks(result.pairings)
    validate_pairings(with_optional_columns(checked), set(atlas.countries["iso3"]),
                      set(atlas.provinces["province_en"]), set(atlas.places["place_id"]))
    # A row the validator refuses is rejected with the validator's reason, and leaves the merged table.
    calls: list[int] = []
    real = merge.validate_pairings

    def refuse_first_new_row(df, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(len(df))
        if len(calls) == 1:
            raise AtlasDataError("upload.csv", "status 'x' is not allowed", len(atlas.pairings) + 2, "status")
        return real(df, *args, **kwargs)

    monkeypatch.setattr(merge, "validate_pairings", refuse_first_new_row)
    result = import_csv(text.encode(), atlas)
    assert statuses(result)[2] == "rejected"
    assert "status 'x' is not allowed" in {r.row: r.message for r in result.rows}[2]
    assert len(result.pairings) == len(atlas.pairings) + 1 and calls == [len(atlas.pairings) + 2,
                                                                          len(atlas.pairings) + 1]


@pytest.mark.parametrize("value,expected", [
    ("1979", "1979"), ("1979/11/5", "1979-11-05"), ("1979年11月", "1979-11"), ("1979.11", "1979-11"),
    (19730624, "1973-06-24"), ("19730624", "1973-06-24"), (109728000, "1973-06-24"),
    (109728000000, "1973-06-24"), ("1973-06-24 00:00:00", "1973-06-24"), (1979.0, "1979"), ("", ""),
])
def test_dates(value: object, expected: str) -> None:
    assert normalise_date(value) == (expected, "")


@pytest.mark.parametrize("value", ["someday", 1900, "1979-13-01", True, 12.5, "5/11/1979"])
def test_bad_dates_give_a_reason(value: object) -> None:
    date, reason = normalise_date(value)
    assert date == "" and reason


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_exported_csv_reimports_as_merges_of_the_same_pairs(atlas: Atlas, lang: str) -> None:
    from geo.export import export_csv

    result = import_csv(export_csv(atlas.pairings, lang), atlas)
    assert [(r.status, r.pair_id) for r in sorted(result.rows, key=lambda r: r.row)] == \
        [("merged", pid) for pid in atlas.pairings["pair_id"]]


def test_blank_rows_named_as_spans() -> None:
    from geo.sources.report import ImportResult

    empty = pd.DataFrame()
    result = ImportResult(pairings=empty, places=empty, imported=empty, blank_rows=[12, 5, 9, 6])
    assert result.blank_spans() == "5–6, 9, 12"
