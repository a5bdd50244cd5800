"""Synthetic datasets for the benchmark: N made-up pairings between real places, reproducibly seeded.

Why: an importer can bring far more pairings than we embed, and speed at that size can only be measured on a
dataset of that size. Each synthetic row joins the Chinese end of one real pairing to the partner end of
another (names, levels, provinces and place ids exactly as in `data/pairings.csv`, so every end is placed by
`data/places.csv`), drawn with the real ends' frequencies so Beijing stays busier than a county. Dates and tie
types follow the real shares (of unknown years too). No synthetic row repeats a real tie.

Every synthetic row says so: pair id `S…`, `source` and `note` start with "SYNTHETIC", a dated row's
`date_source` too. The book's case pairings are kept verbatim (with their real sources) so the case links cost
what they cost in the app. The folder gets a SYNTHETIC.md and is never `data/` itself: point the app at it with
`ATLAS_DATA_DIR=<folder> streamlit run app.py` (see geo/paths.py).

Usage: python -m geo.synthetic OUT_DIR --n 50000 [--seed 13]
"""

from __future__ import annotations

import argparse
import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from geo import cases, paths
from geo.load import read_table
from geo.schema import PAIRING_COLUMNS, PAIRING_REQUIRED

DEFAULT_SEED = 13
# The embedded data the synthetic rows are made from, whatever ATLAS_DATA_DIR says.
EMBEDDED = paths.ROOT / "data"
MARK = "SYNTHETIC"
CN_END = ["cn_name_zh", "cn_name_en", "cn_province_zh", "cn_province_en", "cn_level", "cn_place_id"]
PARTNER_END = ["partner_name_en", "partner_name_zh", "partner_country_iso3", "partner_level", "partner_place_id"]


def source_text(seed: int) -> str:
    return f"{MARK} benchmark row made by geo.synthetic (seed {seed}) from two real pairings' ends: not a real tie"


def tie_key(df: pd.DataFrame) -> pd.Series:
    """The loader's duplicate key: one tie per pair of ends and levels."""
    return (df["cn_name_en"].str.lower() + "|" + df["cn_level"] + "|" + df["partner_name_en"].str.lower() + "|" +
            df["partner_country_iso3"] + "|" + df["partner_level"])


def case_rows(real: pd.DataFrame, cases_path: Path) -> pd.DataFrame:
    """The real pairings the book's cases link to, unchanged."""
    linked = {pid for pid in cases.resolve(cases.load_cases(cases_path), real).values() if pid}
    return real[real["pair_id"].isin(linked)]


def _dates(rng: np.random.Generator, real: pd.DataFrame, n: int) -> tuple[list[str], list[str]]:
    """Dates with the real share of unknown years, the real spread of years and of precision (Y, Y-M, Y-M-D)."""
    dated = real.loc[real["established"] != "", "established"]
    known_share = len(dated) / len(real) if len(real) else 0.0
    years = dated.str.slice(0, 4).to_numpy()
    lengths = dated.str.len().to_numpy()
    known = rng.random(n) < known_share
    pick = rng.integers(0, len(dated), n) if len(dated) else np.zeros(n, dtype=int)
    months, days = rng.integers(1, 13, n), rng.integers(1, 29, n)
    out, sources = [], []
    for i in range(n):
        if not known[i] or not len(dated):
            out.append("")
            sources.append("")
            continue
        text = str(years[pick[i]])
        if lengths[pick[i]] >= 7:
            text += f"-{months[i]:02d}"
        if lengths[pick[i]] >= 10:
            text += f"-{days[i]:02d}"
        out.append(text)
        sources.append(f"{MARK}: random date, not a real one")
    return out, sources


def synthetic_pairings(real: pd.DataFrame, n: int, seed: int = DEFAULT_SEED,
                       keep: pd.DataFrame | None = None) -> pd.DataFrame:
    """`n` pairings: the rows of `keep` (real, unchanged) followed by synthetic rows made from `real`'s ends."""
    keep = real.iloc[0:0] if keep is None else keep.iloc[:n]
    rng = np.random.default_rng(seed)
    cn_ends = real.groupby(CN_END, sort=True).size()
    partner_ends = real.groupby(PARTNER_END, sort=True).size()
    want = n - len(keep)
    taken = set(tie_key(real))  # never a real tie (also keeps the case rows unique)
    chosen: list[pd.DataFrame] = []
    got, rounds = 0, 0
    while got < want:
        rounds += 1
        if rounds > 50:  # cannot happen with the real data; guards an endless loop on tiny inputs
            raise ValueError(f"only {got} distinct synthetic ties can be made from these ends, {want} asked for")
        batch = max(2 * (want - got), 64)
        cn_idx = rng.choice(len(cn_ends), batch, p=(cn_ends / cn_ends.sum()).to_numpy())
        pa_idx = rng.choice(len(partner_ends), batch, p=(partner_ends / partner_ends.sum()).to_numpy())
        cand = pd.concat([
            pd.DataFrame(list(cn_ends.index[cn_idx]), columns=CN_END),
            pd.DataFrame(list(partner_ends.index[pa_idx]), columns=PARTNER_END),
        ], axis=1)
        keys = tie_key(cand)
        fresh = ~keys.isin(taken) & ~keys.duplicated()
        cand, keys = cand[fresh].iloc[:want - got], keys[fresh].iloc[:want - got]
        taken.update(keys)
        chosen.append(cand)
        got += len(cand)
    synth = pd.concat(chosen, ignore_index=True) if chosen else pd.DataFrame(columns=CN_END + PARTNER_END)
    m = len(synth)
    established, date_sources = _dates(rng, real, m)
    ties = real["tie_type"].to_numpy()
    synth = synth.assign(
        pair_id=[f"S{i:07d}" for i in range(1, m + 1)],
        established=established, date_source=date_sources,
        tie_type=ties[rng.integers(0, len(ties), m)] if m else [],
        source=source_text(seed), note=f"{MARK} (benchmark data)",
    )
    columns = [c for c in PAIRING_COLUMNS if c in real.columns or c in PAIRING_REQUIRED]
    out = pd.concat([keep, synth], ignore_index=True).reindex(columns=columns)
    return out.fillna("")


def write_synthetic(out_dir: Path, n: int, seed: int = DEFAULT_SEED, source_dir: Path = EMBEDDED) -> Path:
    """A complete data folder at `out_dir` (created or overwritten): every reference table of `source_dir`
    copied unchanged, `pairings.csv` with `n` rows (the case pairings, then synthetic ones), and SYNTHETIC.md."""
    out_dir = Path(out_dir).resolve()
    guarded = EMBEDDED.resolve()
    if out_dir == guarded or guarded in out_dir.parents:
        raise ValueError(f"synthetic data must not be written into {guarded}")
    real = read_table(source_dir / paths.PAIRINGS.name)
    keep = case_rows(real, source_dir / paths.CASES.name)
    table = synthetic_pairings(real, n, seed, keep)
    out_dir.mkdir(parents=True, exist_ok=True)
    for item in sorted(source_dir.iterdir()):
        # The alias table names the real pairings' old ids; it means nothing beside synthetic ones.
        if item.is_file() and item.name not in (paths.PAIRINGS.name, paths.PAIR_ALIASES.name):
            shutil.copy(item, out_dir / item.name)
    with (out_dir / paths.PAIRINGS.name).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows(table.itertuples(index=False, name=None))
    n_real = int((~table["pair_id"].str.startswith("S")).sum())
    (out_dir / "SYNTHETIC.md").write_text(
        f"# Synthetic benchmark data — not real pairings\n\n"
        f"Made by `python -m geo.synthetic` (seed {seed}): {len(table):,} pairings, of which {len(table) - n_real:,} "
        f"are synthetic (pair id `S…`, source starting with \"{MARK}\") and {n_real} are the real pairings the "
        f"book's cases link to, kept unchanged. The other files are copies of `{source_dir.name}/`.\n"
        f"For measuring speed only; never publish or merge these rows.\n", encoding="utf-8")
    return out_dir


def is_synthetic(pairings: pd.DataFrame) -> pd.Series:
    """True for the rows this module made."""
    return pairings["source"].str.startswith(MARK)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--n", type=int, default=50000, help="number of pairings (default 50,000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    out = write_synthetic(args.out_dir, args.n, args.seed)
    print(f"{args.n:,} pairings written to {out}; run the app on them with ATLAS_DATA_DIR={out}")


if __name__ == "__main__":
    main()
