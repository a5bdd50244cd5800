"""The 20 cases: schema, sources, and every pairing case resolves to a pairing in the dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo import cases, paths
from geo._validate import AtlasDataError
from geo.load import load_atlas

CASES = cases.load_cases(paths.CASES)


def test_twenty_cases_with_sources() -> None:
    assert [c["number"] for c in CASES] == list(range(1, 21))
    for case in CASES:
        assert 3 <= len(case["facts"]) <= 5, case["number"]
        assert all(f["source_outlet"] for f in case["facts"])
        assert case["affinities"], case["number"]


def test_every_case_resolves_or_is_forum() -> None:
    resolved = cases.resolve(CASES, load_atlas().pairings)
    for case in CASES:
        if case["kind"] == "pairing":
            assert resolved[case["number"]], f"case {case['number']} has no pairing in the dataset"
        else:
            assert resolved[case["number"]] is None
    assert {CASES[9]["kind"], CASES[10]["kind"]} == {"forum", "city_country"}


def test_unconfirmed_facts_stay_unconfirmed() -> None:
    jincheng = next(c for c in CASES if c["number"] == 19)
    assert jincheng["verification"] == "per_book"
    assert jincheng["established"] in ("", None)


def test_bad_case_file(tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text("- number: 1\n  kind: pairing\n", encoding="utf-8")
    with pytest.raises(AtlasDataError, match="case #1 lacks 'title_zh'"):
        cases.load_cases(path)
    path.write_text("{not: a list}", encoding="utf-8")
    with pytest.raises(AtlasDataError, match="expected a list"):
        cases.load_cases(path)
