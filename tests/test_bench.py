"""The benchmark's bookkeeping (no browser): every export is timed, one added later included by name; the README
table names each export the run timed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import map_bench  # noqa: E402
import readme_table  # noqa: E402


def test_the_exports_table_takes_the_export_modules_builders(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []

    def deck(atlas: Any, filters: Any, focus: Any) -> bytes:
        seen.append((atlas, filters, focus))
        return b"deck"

    monkeypatch.setattr(map_bench.export, "BUILDERS", {"pptx_deck": deck, "csv": deck}, raising=False)
    monkeypatch.setattr(map_bench.export, "NO_FOCUS", "no focus", raising=False)
    makers = map_bench.export_makers()
    assert list(makers)[:5] == ["csv", "excel", "png_slide", "png_print", "html"] and "pptx_deck" in makers
    view = map_bench.ExportInput(atlas="A", filters="F", lang="zh", note="", args={})  # type: ignore[arg-type]
    assert makers["pptx_deck"](view) == b"deck" and makers["csv"](view) == b"deck"  # a builder replaces a line
    assert seen == [("A", "F", "no focus")] * 2


def test_readme_rows_name_every_export_timed() -> None:
    size = {"exports": {"csv_ms": {"median": 40.0, "n": 1}, "gif_growth_ms": {"median": 1500.0, "n": 1},
                        "new_thing_ms": {"median": 5.0, "n": 1}, "csv_bytes": 10}}
    rows = dict(readme_table.rows({"2000": size}))
    assert rows["export CSV"] == ["40 ms"]
    assert rows["export growth animation (GIF)"] == ["1.50 s"]
    assert rows["export new_thing"] == ["5 ms"]
    assert rows["… of which WebSocket (page and map data)"] == ["–"]
    assert "… of which WebSocket (page and map data, compressed)" in dict(readme_table.rows({"2000": size}, True))


def test_the_filter_probe_finds_the_year_slider_by_its_key() -> None:
    from pages.ui.state import WIDGET_KEYS

    assert map_bench.YEAR_SLIDER_KEY == WIDGET_KEYS["year_min"] == WIDGET_KEYS["year_max"]


def test_the_profile_times_the_pages_own_unplaced_list(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """bench/profile_map.py times the unplaced list through pages/ui/blocks.unplaced_text, not a copy of it."""
    import profile_map

    from geo import synthetic
    from geo.load import load_atlas
    from pages.ui import blocks

    calls: list[tuple[int, str]] = []
    real = blocks.unplaced_text

    def spy(shown: Any, lang: str) -> str:
        calls.append((len(shown), lang))
        return real(shown, lang)

    monkeypatch.setattr(blocks, "unplaced_text", spy)
    atlas = load_atlas(synthetic.write_synthetic(tmp_path / "data", 300, synthetic.DEFAULT_SEED))
    figures = profile_map.pieces(atlas, runs=1)
    assert figures["per view: unplaced list text"] >= 0
    assert calls and all(lang == "zh" for _, lang in calls)
    assert not hasattr(profile_map, "unplaced_text"), "no copy of the page's code left in the bench"


def test_the_embedded_export_table_names_every_export_timed() -> None:
    import export_bench

    result = {"pairings": 3218, "shown": 3150, "runs": 3,
              "exports": {"csv_ms": {"median": 40.0, "min": 38.0, "max": 45.0, "n": 3}, "csv_bytes": 1_200_000,
                          "pptx_deck_ms": {"median": 1500.0, "min": 1400.0, "max": 1700.0, "n": 3},
                          "pptx_deck_bytes": 1_500_000}}
    lines = export_bench.table(result).splitlines()
    assert lines[0].startswith("Exports of the embedded dataset (3,218 pairings, 3,150 in the default view)")
    rows = [line for line in lines if line.startswith("| ") and "---" not in line][1:]
    assert len(rows) == 2 and rows[0].endswith("| 1.20 MB |") and "1.50 s" in rows[1]
