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
