"""Time every export of the map page on the embedded dataset (the whole data, default view, Chinese).

`python bench/export_bench.py [--runs N]` prints one JSON line (also kept as bench/out/exports-embedded.json)
and a Markdown table: the median build time (min–max) and the file size of each export, built the way the map
page's buttons build them (bench/map_bench.py's export table, so the two benchmarks time the same calls).
The synthetic 2k/10k/50k sizes are timed by bench/map_bench.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from map_bench import export_figures, git_state  # noqa: E402
from readme_table import export_label, ms  # noqa: E402

from geo import filters, mapview  # noqa: E402
from geo.load import load_atlas  # noqa: E402


def table(result: dict[str, Any]) -> str:
    """The Markdown table of one run's figures."""
    lines = [f"Exports of the embedded dataset ({result['pairings']:,} pairings, {result['shown']:,} in the default "
             f"view), median of {result['runs']} builds:", "",
             "| export | build time | file |", "| --- | ---: | ---: |"]
    figures = result["exports"]
    for key in figures:
        if key.endswith("_ms"):
            name = key[:-3]
            lines.append(f"| {export_label(name)} | {ms(figures[key])} | {figures[f'{name}_bytes'] / 1e6:.2f} MB |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="builds of each export (median reported)")
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    args = parser.parse_args()
    atlas = load_atlas()
    shown = filters.apply(atlas.pairings, filters.Filters())
    payload = mapview.map_args(shown, lang="zh", color_by="era", eras=atlas.eras, revision=1)
    t0 = time.perf_counter()
    figures, _ = export_figures(atlas, payload, args.runs)
    result = {"bench": "export_bench", "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
              "git": git_state(), "pairings": len(atlas.pairings), "shown": len(shown), "runs": args.runs,
              "exports": figures, "seconds": round(time.perf_counter() - t0, 1)}
    line = json.dumps(result, ensure_ascii=False)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "exports-embedded.json").write_text(line + "\n", encoding="utf-8")
    print(line)
    print(table(result))


if __name__ == "__main__":
    main()
