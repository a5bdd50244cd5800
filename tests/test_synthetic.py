"""Synthetic benchmark data: valid for the loader, reproducible, marked, made of real ends, never in data/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo import paths, synthetic
from geo.load import load_atlas, read_table


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic.write_synthetic(tmp_path_factory.mktemp("syn") / "data", 600, seed=7)


def test_folder_loads_with_n_pairings(folder: Path) -> None:
    atlas = load_atlas(folder)
    assert len(atlas.pairings) == 600
    assert atlas.pairings["pair_id"].is_unique
    # placed and dated in about the shares of the embedded data
    real = load_atlas().pairings
    assert atlas.pairings["placed"].mean() > 0.85
    assert abs(atlas.pairings["year"].notna().mean() - real["year"].notna().mean()) < 0.1
    assert (folder / "SYNTHETIC.md").read_text(encoding="utf-8").startswith("# Synthetic benchmark data")


def test_every_made_up_row_says_so_and_only_case_rows_are_real(folder: Path) -> None:
    table = read_table(folder / "pairings.csv")
    real = read_table(paths.ROOT / "data" / "pairings.csv")
    made = table[table["pair_id"].str.startswith("S")]
    kept = table[~table["pair_id"].str.startswith("S")]
    assert made["source"].str.startswith("SYNTHETIC").all()
    assert made["note"].str.startswith("SYNTHETIC").all()
    dated = made[made["established"] != ""]
    assert len(dated) and dated["date_source"].str.startswith("SYNTHETIC").all()
    assert synthetic.is_synthetic(table).sum() == len(made)
    # the kept rows are real rows, unchanged, and only the ones the book's cases link to
    assert 0 < len(kept) <= 20
    merged = kept.merge(real, how="left", indicator=True)
    assert (merged["_merge"] == "both").all()
    # no made-up row repeats a real tie
    assert not synthetic.tie_key(made).isin(set(synthetic.tie_key(real))).any()


def test_ends_are_real_ends_and_places_exist(folder: Path) -> None:
    table = read_table(folder / "pairings.csv")
    real = read_table(paths.ROOT / "data" / "pairings.csv")
    places = set(read_table(folder / "places.csv")["place_id"])
    cn_real = set(map(tuple, real[synthetic.CN_END].to_numpy()))
    partner_real = set(map(tuple, real[synthetic.PARTNER_END].to_numpy()))
    assert set(map(tuple, table[synthetic.CN_END].to_numpy())) <= cn_real
    assert set(map(tuple, table[synthetic.PARTNER_END].to_numpy())) <= partner_real
    used = set(table["cn_place_id"]) | set(table["partner_place_id"])
    assert used - {""} <= places


def test_same_seed_same_bytes_other_seed_other_rows(tmp_path: Path) -> None:
    a = synthetic.write_synthetic(tmp_path / "a", 300, seed=1)
    b = synthetic.write_synthetic(tmp_path / "b", 300, seed=1)
    c = synthetic.write_synthetic(tmp_path / "c", 300, seed=2)
    assert (a / "pairings.csv").read_bytes() == (b / "pairings.csv").read_bytes()
    assert (a / "pairings.csv").read_bytes() != (c / "pairings.csv").read_bytes()


def test_refuses_to_write_into_the_embedded_data() -> None:
    with pytest.raises(ValueError, match="must not be written"):
        synthetic.write_synthetic(paths.ROOT / "data", 10)
    with pytest.raises(ValueError, match="must not be written"):
        synthetic.write_synthetic(paths.ROOT / "data" / "bench", 10)


def test_atlas_data_dir_moves_data_but_not_raw(tmp_path: Path) -> None:
    code = "from geo import paths; print(paths.DATA); print(paths.PAIRINGS); print(paths.RAW)"
    env = {**os.environ, "ATLAS_DATA_DIR": str(tmp_path), "PYTHONPATH": str(paths.ROOT)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                         cwd=paths.ROOT).stdout.splitlines()
    assert out == [str(tmp_path), str(tmp_path / "pairings.csv"), str(paths.ROOT / "data" / "raw")]
    env.pop("ATLAS_DATA_DIR")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                         cwd=paths.ROOT).stdout.splitlines()
    assert out[0] == str(paths.ROOT / "data")
