"""How many arcs the live map can draw one by one and stay interactive: zoom and pan steps in Chromium.

For each size, the first N placed pairings of a data folder are drawn by the component (through the offline HTML
page, the same atlas_map.js the app serves) twice: with every arc drawn ("detail", the reduction switched off)
and as the app draws them (above `mapview.DETAIL_LIMIT` arcs in view, province → country flows). A step is one
zoom in or out, or a 300 px pan, from the call to the second painted frame (as bench/map_bench.py times it);
figures are medians of --runs steps. Also timed: the first render of the payload (prepare + draw, and until painted,
as a filter change costs in the browser) and the Python payload build (`mapview.map_args`).

Point --data at a synthetic folder of 50,000 pairings (geo.synthetic) to reach large sizes; sizes above what the
folder holds become all of it. Prints a table, and as its last line one JSON object. Nothing is asserted.
Usage: python bench/map_detail.py [--data DIR] [--sizes 2000,5000,10000,20000,50000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from map_bench import zoom_pan_js  # noqa: E402

from geo import export, filters, mapview, paths  # noqa: E402
from geo.load import load_atlas, read_table  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
VIEWPORT = {"width": 1400, "height": 900}
STEP_JS = zoom_pan_js("[performance.now() - t0, window.atlasState.lastDrawMs, window.atlasState.reduced, "
                      "window.atlasState.drawnArcs, window.atlasState.flowsDrawn]")


def median(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def measure(page: Any, html: Path, runs: int, start_zoom: float) -> dict[str, Any]:
    page.goto(html.as_uri())
    page.wait_for_function("window.atlasState && window.atlasState.paintMs !== null && "
                           "window.atlasState.paintMs !== undefined", timeout=120000)
    first = page.evaluate("[window.atlasState.drawMs, window.atlasState.paintMs]")
    page.evaluate(f"() => {{ window.AtlasMap.getMap().setView([30, 150], {start_zoom}, {{animate: false}}); }}")
    zooms, pans, draws, reduced, drawn = [], [], [], [], []
    for i in range(runs):
        for op, bucket in (("in" if i % 2 == 0 else "out", zooms), ("left" if i % 2 == 0 else "right", pans)):
            total, draw, red, arcs_drawn, flows = page.evaluate(STEP_JS, op)
            bucket.append(total)
            draws.append(draw)
            reduced.append(bool(red))
            drawn.append(arcs_drawn or flows)
    return {"render_ms": round(first[0], 1), "render_painted_ms": round(first[1], 1),
            "zoom_step_ms": median(zooms), "pan_ms": median(pans), "draw_ms": median(draws),
            "reduced_share": round(sum(reduced) / len(reduced), 2), "drawn_median": int(statistics.median(drawn))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="a data folder (default: the embedded data)")
    parser.add_argument("--sizes", default="2000,5000,10000,20000,50000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--zoom", type=float, default=2.0, help="the zoom the steps start from (2: the world)")
    args = parser.parse_args()
    atlas = load_atlas(args.data) if args.data else load_atlas()
    points = read_table((args.data or paths.DATA) / paths.COUNTRY_POINTS.name, ["iso3", "lon", "lat"])
    placed = filters.apply(atlas.pairings, filters.Filters())
    placed = placed[placed["placed"]]
    from playwright.sync_api import sync_playwright

    result: dict[str, Any] = {"bench": "map_detail", "viewport": VIEWPORT, "runs": args.runs, "sizes": {}}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        sizes = sorted({min(int(s), len(placed)) for s in args.sizes.split(",")})  # beyond the data: all of it
        for n in sizes:
            rows = placed.head(n)
            entry: dict[str, Any] = {}
            for mode, limit in (("detail", 10**9), ("app", mapview.DETAIL_LIMIT)):
                t0 = time.perf_counter()
                payload = mapview.map_args(rows, lang="zh", color_by="era", eras=atlas.eras, revision=1,
                                           provinces=atlas.provinces, country_points=points, detail_limit=limit)
                build_ms = (time.perf_counter() - t0) * 1000
                html = Path(tmp) / f"map_{n}_{mode}.html"
                html.write_text(export.export_html(payload, "bench"), encoding="utf-8")
                entry[mode] = {"map_args_ms": round(build_ms, 1), **measure(page, html, args.runs, args.zoom)}
                if mapview.DETAIL_LIMIT >= len(rows):  # nothing to reduce: the app draws the detail too
                    entry["app"] = dict(entry[mode])
                    break
            result["sizes"][str(n)] = entry
            d, a = entry["detail"], entry["app"]
            print(f"{n:>7,} arcs  detail: zoom {d['zoom_step_ms']:>7.1f} ms  pan {d['pan_ms']:>7.1f} ms  "
                  f"draw {d['draw_ms']:>7.1f} ms  |  app: zoom {a['zoom_step_ms']:>7.1f} ms  pan {a['pan_ms']:>7.1f}"
                  f" ms  draw {a['draw_ms']:>7.1f} ms  flows instead {a['reduced_share']:.0%}  "
                  f"render {a['render_ms']:.0f} ms (painted {a['render_painted_ms']:.0f} ms)  "
                  f"map_args {a['map_args_ms']:.0f} ms", file=sys.stderr)
        browser.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
