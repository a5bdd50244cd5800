"""The loader's validation errors name file, row, column and problem; valid data joins correctly."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geo._validate import AtlasDataError, parse_date
from geo.load import load_atlas


def rewrite(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell (row numbered as in a spreadsheet: header is row 1)."""
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rows[row - 2][column] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_fixture_loads_and_joins(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    df = atlas.pairings.set_index("pair_id")
    assert len(df) == 6
    assert df.at["P1", "era_id"] == "I"
    assert df.at["P3", "era_id"] == "unknown"
    assert df.at["P2", "year"] == 1979
    assert not df.at["P5", "placed"]  # no partner place: kept, flagged
    assert df.at["P1", "partner_country_zh"] == "日本"
    assert df.at["P3", "bri_group"] == "asean"
    assert df.at["P1", "bri_group"] == "none"
    assert df.at["P2", "macro_region"] == "east"
    assert df.at["P3", "macro_region"] == "west"
    assert df.at["P1", "level_class"] == "province_state"
    assert df.at["P3", "level_class"] == "county"
    assert df.at["P4", "continent_en"] == "Americas"
    assert 0 < df.at["P3", "distance_km"] < 10


@pytest.mark.parametrize(("column", "value", "problem"), [
    ("established", "1979-13", "not a real date (month must be in 1..12)"),
    ("established", "1900", "outside"),
    ("established", "soon", "is not YYYY"),
    ("partner_country_iso3", "XXX", "country code 'XXX'"),
    ("cn_level", "village", "level 'village'"),
    ("partner_place_id", "gn:999", "not in places.csv"),
    ("pair_id", "", "is empty"),
    ("source", "", "is empty"),
])
def test_bad_cell_names_row_and_column(data_dir: Path, column: str, value: str, problem: str) -> None:
    rewrite(data_dir / "pairings.csv", 3, column, value)
    with pytest.raises(AtlasDataError) as err:
        load_atlas(data_dir)
    assert err.value.file == "pairings.csv"
    assert err.value.row == 3
    assert err.value.column == column
    assert problem in str(err.value)


def test_duplicate_pair_id(data_dir: Path) -> None:
    rewrite(data_dir / "pairings.csv", 3, "pair_id", "P1")
    with pytest.raises(AtlasDataError, match=r"row 3, column 'pair_id': duplicate value 'P1' \(first on row 2\)"):
        load_atlas(data_dir)


def test_duplicate_pairing_under_two_ids(data_dir: Path) -> None:
    rewrite(data_dir / "pairings.csv", 3, "cn_name_en", "Tianjin")
    rewrite(data_dir / "pairings.csv", 3, "cn_level", "province")
    rewrite(data_dir / "pairings.csv", 3, "partner_name_en", "KOBE")
    rewrite(data_dir / "pairings.csv", 3, "partner_country_iso3", "JPN")
    with pytest.raises(AtlasDataError, match="duplicate"):
        load_atlas(data_dir)


def test_date_without_source(data_dir: Path) -> None:
    rewrite(data_dir / "pairings.csv", 2, "date_source", "")
    with pytest.raises(AtlasDataError, match="row 2, column 'date_source': a date without a source"):
        load_atlas(data_dir)


def test_bad_coordinates(data_dir: Path) -> None:
    rewrite(data_dir / "places.csv", 4, "lat", "123")
    with pytest.raises(AtlasDataError, match=r"places.csv, row 4, column 'lat/lon': .*out of range"):
        load_atlas(data_dir)


def test_missing_column_and_ragged_row(data_dir: Path) -> None:
    path = data_dir / "pairings.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tie_type,", "kind_of_tie,", 1), encoding="utf-8")
    with pytest.raises(AtlasDataError, match="missing column.*tie_type"):
        load_atlas(data_dir)
    path.write_text(text + "P9,only,three\n", encoding="utf-8")
    with pytest.raises(AtlasDataError, match=r"row 8: has 3 fields"):
        load_atlas(data_dir)


def test_not_utf8(data_dir: Path) -> None:
    path = data_dir / "pairings.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    with pytest.raises(AtlasDataError, match="not valid UTF-8"):
        load_atlas(data_dir)


def test_missing_file(data_dir: Path) -> None:
    (data_dir / "places.csv").unlink()
    with pytest.raises(AtlasDataError, match="places.csv: file not found"):
        load_atlas(data_dir)


@pytest.mark.parametrize(("text", "expected"), [
    ("", (None, "unknown")), ("1973", (1973, "year")), ("1979-11", (1979, "month")), ("2013-06-20", (2013, "day")),
])
def test_parse_date(text: str, expected: tuple[int | None, str]) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["1979-02-30", "79", "1979/11", "2999"])
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_embedded_dataset_is_valid() -> None:
    atlas = load_atlas()
    df = atlas.pairings
    assert len(df) > 2000
    assert df["pair_id"].is_unique
    assert (df["source"] != "").all()
    # Every date carries its source, and every pairing has at least one affinity with a basis.
    assert (df.loc[df["established"] != "", "date_source"] != "").all()
    assert (df["affinities"] != "").all() and (df["affinity_basis"] != "").all()


def test_quoted_line_breaks_survive(data_dir: Path) -> None:
    """A note may hold a line break or U+2028 inside quotes; the loader must not split the record there."""
    rewrite(data_dir / "pairings.csv", 2, "note", "first line\nsecond line\u2028third")
    atlas = load_atlas(data_dir)
    assert atlas.pairings.set_index("pair_id").at["P1", "note"] == "first line\nsecond line\u2028third"


def test_status_defaults_to_active_and_needs_a_source(data_dir: Path) -> None:
    assert set(load_atlas(data_dir).pairings["status"]) == {"active"}
    rewrite(data_dir / "pairings.csv", 2, "status", "terminated")
    with pytest.raises(AtlasDataError, match="row 2.*status_source"):
        load_atlas(data_dir)


def test_a_state_partner_at_a_city_point_is_refused(data_dir: Path) -> None:
    rewrite(data_dir / "pairings.csv", 2, "partner_level", "state")  # Kobe's place says precision "city"
    with pytest.raises(AtlasDataError) as err:
        load_atlas(data_dir)
    assert err.value.row == 2 and err.value.column == "partner_place_id" and "seat" in err.value.problem


def test_a_status_date_needs_an_ended_status(data_dir: Path) -> None:
    rewrite(data_dir / "pairings.csv", 3, "status_date", "2020-01-14")
    with pytest.raises(AtlasDataError) as err:
        load_atlas(data_dir)
    assert err.value.row == 3 and err.value.column == "status_date"
