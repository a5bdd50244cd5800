"""Where a run of the map page spends its time, at a given number of synthetic pairings.

Two views, both printed (figures, never asserted):
1. `pieces`: each piece of work the map page does, called here the way pages/ui/*.py and pages/views/map.py
   call it (same geo functions, same arguments), timed with repeats: what every run does, and what is built once
   per filter value or per dataset. No Streamlit involved.
2. `--py-spy`: the running app sampled by py-spy while the year slider is moved (as map_bench.py does), and the
   samples of the script thread summed per function (inclusive), so Streamlit's own work shows too.
3. `--js`: Chromium's profiler over zoom and pan steps of our offline HTML map (self time per function).

Usage: python bench/profile_map.py [--sizes 2000,50000] [--runs 5] [--py-spy] [--changes 8] [--js]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import map_bench  # noqa: E402
import wire  # noqa: E402

from geo import cases, choices, export, filters, mapview, paths, stats, synthetic  # noqa: E402
from geo.load import Atlas, load_atlas  # noqa: E402
from pages.ui import blocks  # noqa: E402


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def pieces(atlas: Atlas, runs: int) -> dict[str, float]:
    """Median ms of each piece of the map page, default filters, Chinese interface: first what every run does,
    then what is built once per filter value or per dataset (cached by the pages; here for scale)."""
    p = atlas.pairings
    f = filters.Filters()
    case_list = cases.load_cases(atlas.data_dir / paths.CASES.name)
    shown = filters.apply(p, f)
    links = cases.resolve(case_list, p)
    args = mapview.map_args(shown, lang="zh", color_by="era", eras=atlas.eras, revision=1,
                            case_numbers=cases.case_of_pair(links))
    blob = pickle.dumps(args)
    linked = [pid for pid in links.values() if pid]

    def sidebar_names() -> None:  # pages/ui/session.py option_labels and sort keys (cached per dataset)
        for name in ("continents", "subregions", "countries"):
            names = choices.option_labels(atlas, name, "zh")
            choices.sorted_by_name(list(names), names, "zh")

    work: dict[str, Callable[[], Any]] = {
        "per run: filters.apply (session.filtered)": lambda: filters.apply(p, f),
        "per run: stats.summary (headline figures)": lambda: stats.summary(shown, len(p)),
        "per run: case pairs shown (one isin)": lambda: tuple(sorted(shown.loc[shown["pair_id"].isin(linked),
                                                                              "pair_id"])),
        "per run: component args to JSON (Streamlit)": lambda: json.dumps(args),
        "per view: mapview.map_args": lambda: mapview.map_args(
            shown, lang="zh", color_by="era", eras=atlas.eras, revision=1, case_numbers=cases.case_of_pair(links)),
        # The page's own function (a plain function; the page caches it per view): a copy here drifted from it.
        "per view: unplaced list text": lambda: blocks.unplaced_text(shown, "zh"),
        "per dataset: cases.resolve": lambda: cases.resolve(case_list, p),
        "per dataset: filters.vocabulary": lambda: filters.vocabulary(
            p, atlas.eras, list(atlas.bri["bri_group"]), list(atlas.provinces["province_en"]),
            sorted(p["partner_country_iso3"].unique())),
        "per dataset and language: sidebar names and sort keys": sidebar_names,
        "not done any more: unpickle the payload (a st.cache_data hit)": lambda: pickle.loads(blob),
        "not done any more: set(shown.pair_id) per linked case": lambda: tuple(sorted(
            pid for pid in links.values() if pid and pid in set(shown["pair_id"]))),
    }
    return {name: round(median_ms(fn, runs), 1) for name, fn in work.items()}


def collapse(raw: Path) -> tuple[Counter[str], int]:
    """Inclusive samples per function from py-spy's raw (collapsed) output, for the threads running the script."""
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        frames = stack.split(";")
        if not any("exec_func_with_error_handling" in fr or "_run_script" in fr for fr in frames):
            continue
        count = int(count_text)
        total += count
        seen = set()
        for fr in frames:
            name = fr.split(" (", 1)[0]
            where = fr.split(" (", 1)[1].rstrip(")") if " (" in fr else ""
            where = where.rsplit(":", 1)[0]
            label = f"{name} ({Path(where).name})"
            if label not in seen:
                seen.add(label)
                inclusive[label] += count
    return inclusive, total


def py_spy(n: int, seed: int, changes: int, out_dir: Path) -> dict[str, Any]:
    """Sample the app's server while the year slider is moved `changes` times."""
    from playwright.sync_api import sync_playwright

    data_dir = synthetic.write_synthetic(out_dir / f"data_{n}", n, seed)
    raw = out_dir / f"py-spy_{n}.txt"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=map_bench.CHROMIUM, args=map_bench.CHROME_ARGS)
        with map_bench.running_app(data_dir, out_dir / f"streamlit_profile_{n}.log") as (port, proc, _):
            url = f"http://127.0.0.1:{port}/"
            visit = map_bench.Visit(browser, url)  # warms the caches, as map_bench's filter changes find them
            spy = subprocess.Popen(["py-spy", "record", "--pid", str(proc.pid), "--format", "raw", "--rate", "200",
                                    "--output", str(raw)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1.0)
            figures = map_bench.filter_changes(visit, changes)
            visit.close()
            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=60)
        browser.close()
    inclusive, total = collapse(raw)
    top = [(name, round(100 * c / total, 1)) for name, c in inclusive.most_common(60)] if total else []
    return {"filter_change_ms": figures["filter_change_ms"], "script_samples": total, "top_inclusive_pct": top}


def js_profile(atlas: Atlas, out_dir: Path, steps: int = 6) -> dict[str, Any]:
    """Chromium's sampling profiler over zoom and pan steps of our offline HTML map: self time per function."""
    from playwright.sync_api import sync_playwright

    args = mapview.map_args(atlas.pairings, lang="zh", color_by="era", eras=atlas.eras, revision=1)
    site = out_dir / "site_profile"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(paths.LEAFLET_DIR, site / "leaflet")
    (site / "ours_html.html").write_text(export.export_html(args, "profile"), encoding="utf-8")
    server, port = wire.serve_static(site)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=map_bench.CHROMIUM, args=map_bench.CHROME_ARGS)
            visit = map_bench.Visit(browser, f"http://127.0.0.1:{port}/ours_html.html")
            cdp = visit.context.new_cdp_session(visit.page)
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 200})
            cdp.send("Profiler.start")
            ops = ["in", "out", "left", "right"] * (steps // 4 + 1)
            step_ms = [float(visit.page.evaluate(map_bench.ZOOM_PAN_JS, op)) for op in ops[:steps]]
            profile = cdp.send("Profiler.stop")["profile"]
            visit.close()
            browser.close()
    finally:
        server.shutdown()
    nodes = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    self_us: Counter[str] = Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"][1:] + [0], strict=True):
        frame = nodes[sample]
        self_us[f"{frame['functionName'] or '(anonymous)'}:{frame['lineNumber']}"] += delta
    total = sum(self_us.values()) or 1
    return {"step_ms": [round(x, 1) for x in step_ms],
            "top_self_pct": [(name, round(100 * us / total, 1)) for name, us in self_us.most_common(15)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,50000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED)
    parser.add_argument("--py-spy", action="store_true", help="also sample the running app with py-spy")
    parser.add_argument("--changes", type=int, default=8, help="filter changes while py-spy samples")
    parser.add_argument("--js", action="store_true", help="also profile zoom and pan in Chromium")
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    args = parser.parse_args()
    out_dir = args.out.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"load": os.getloadavg(), "sizes": {}}
    for n in [int(s) for s in args.sizes.split(",")]:
        atlas = load_atlas(synthetic.write_synthetic(out_dir / f"data_{n}", n, args.seed))
        entry: dict[str, Any] = {"pieces_ms": pieces(atlas, args.runs)}
        print(f"\n{n:,} pairings, median of {args.runs} (ms):", file=sys.stderr)
        for name, value in entry["pieces_ms"].items():
            print(f"  {value:>9.1f}  {name}", file=sys.stderr)
        if args.py_spy:
            entry["py_spy"] = py_spy(n, args.seed, args.changes, out_dir)
            print(f"  py-spy, share of the script thread's samples during {args.changes} filter changes "
                  f"(filter change median {entry['py_spy']['filter_change_ms']['median']:.0f} ms):", file=sys.stderr)
            for name, pct in entry["py_spy"]["top_inclusive_pct"][:40]:
                print(f"  {pct:>6.1f}%  {name}", file=sys.stderr)
        if args.js:
            entry["js"] = js_profile(atlas, out_dir)
            print(f"  zoom/pan steps {entry['js']['step_ms']} ms; self time in the browser:", file=sys.stderr)
            for name, pct in entry["js"]["top_self_pct"]:
                print(f"  {pct:>6.1f}%  {name}", file=sys.stderr)
        result["sizes"][str(n)] = entry
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
