"""The coverage command's figures match the data it reads."""

from __future__ import annotations

from pathlib import Path

from geo import coverage
from geo.load import load_atlas


def test_coverage_on_fixture(data_dir: Path) -> None:
    c = coverage.coverage(load_atlas(data_dir))
    assert (c.pairings, c.dated, c.placed) == (6, 5, 5)
    assert c.countries == 5 and c.provinces == 4
    assert list(c.unplaced["pair_id"]) == ["P5"]
    assert c.unplaced["reason"].iloc[0] == "partner not in the gazetteer"
    assert c.official_pairs == 3181 and c.official_date == "2026-07"
    report = coverage.format_report(c)
    assert "pairings:            6" in report and "P5  Nanjing (Jiangsu)" in report


def test_cli_runs_on_embedded_data(capsys) -> None:  # type: ignore[no-untyped-def]
    coverage.main(["--summary"])
    out = capsys.readouterr().out
    atlas = load_atlas()
    assert f"pairings:            {len(atlas.pairings):,}" in out
    assert f"not placed:          {int((~atlas.pairings['placed']).sum())}" in out


def test_coverage_by_country_sets_ours_beside_the_official_figure(data_dir: Path) -> None:
    table = coverage.by_country(load_atlas(data_dir)).set_index("iso3")
    # USA: St. Louis and Los Angeles, both formal; the official July 2026 figure is 288.
    assert table.at["USA", "ours"] == 2 and table.at["USA", "official"] == 288
    assert table.at["USA", "gap"] == 286 and table.at["USA", "official_date"] == "2026-07"
    # The exchange tie with Kazakhstan is held but not comparable with the official (formal) count.
    assert table.at["KAZ", "ours_all"] == 1 and table.at["KAZ", "ours"] == 0
    assert table.at["JPN", "name_zh"] == "日本"
    assert table["rank_official"].dropna().min() == 1


def test_coverage_by_province_lists_every_province_with_official_figures(data_dir: Path) -> None:
    table = coverage.by_province(load_atlas(data_dir)).set_index("province_en")
    assert len(table) == 31
    assert table.at["Jiangsu", "ours"] == 1 and table.at["Jiangsu", "official"] == 367
    assert table.at["Tibet", "ours"] == 0 and table.at["Jiangsu", "province_zh"] == "江苏省"
    text = coverage.format_tables(load_atlas(data_dir))
    assert "Jiangsu" in text and "367" in text and "gap" in text


def test_ended_ties_are_not_counted_against_official_figures(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    df = atlas.pairings.copy()
    df.loc[df["pair_id"] == "P2", "status"] = "terminated"
    assert not coverage.comparable(df).loc[df["pair_id"] == "P2"].iloc[0]


def test_readme_coverage_block_is_current() -> None:
    """The README's coverage figures are written from the data (`python -m geo.coverage --readme`); this fails when
    the data changed and the README was not rewritten."""
    from geo import coverage as cov
    from geo import paths as p
    from geo.load import load_atlas

    text = (p.ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(cov.README_BEGIN) + len(cov.README_BEGIN)
    assert text[start:text.index(cov.README_END)].strip() == cov.readme_block(load_atlas()).strip()
