"""Measure the map against the naive way of drawing it, in one run, on this machine.

Ours: one compact payload (place table + one row per arc, Bézier control points) drawn by the Leaflet component on
a canvas; a filter change sends a new payload to the same map. Baseline: folium with one `PolyLine` per arc
(SVG, a tooltip each) and a full rebuild of the map on every filter change. Both use the same offline basemap and
the same local Leaflet, both are loaded in headless Debian Chromium.

Prints its figures, and as its last line one JSON object. Figures are reported, never asserted.
Usage: python bench/map_bench.py [--runs 3] [--no-app]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo import arcs, filters, mapview, paths  # noqa: E402
from geo.basemap import load_basemap  # noqa: E402
from geo.load import load_atlas  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
FILTER = filters.Filters(bri_groups=("asean", "central_asia", "cis"))  # a typical Belt and Road view


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, int]:
    port = free_port()
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, port


def ours(atlas: Any, runs: int, page: Any, port: int) -> dict[str, float]:
    t0 = time.perf_counter()
    full = mapview.map_args(atlas.pairings, lang="zh", color_by="era", eras=atlas.eras, revision=1)
    build_full_ms = (time.perf_counter() - t0) * 1000
    shown = filters.apply(atlas.pairings, FILTER)
    t0 = time.perf_counter()
    subset = mapview.map_args(shown, lang="zh", color_by="era", eras=atlas.eras, revision=2)
    build_subset_ms = (time.perf_counter() - t0) * 1000
    payload_full = json.dumps(full, ensure_ascii=False).encode()
    payload_subset = json.dumps(subset, ensure_ascii=False).encode()

    draws, loads, updates = [], [], []
    for _ in range(runs):
        page.add_init_script(f"window.ATLAS_ARGS = {payload_full.decode()};")
        t0 = time.perf_counter()
        page.goto(f"http://127.0.0.1:{port}/dev_harness.html")
        page.wait_for_function("window.atlasState && window.atlasState.revision === 1 && window.atlasState.arcs > 0",
                               timeout=60000)
        loads.append((time.perf_counter() - t0) * 1000)
        draws.append(float(page.evaluate("window.atlasState.drawMs")))
        ms = page.evaluate("""(args) => {
            const t0 = performance.now();
            window.atlasRender(JSON.parse(args));
            return performance.now() - t0;
        }""", payload_subset.decode())
        page.wait_for_function("window.atlasState.revision === 2")
        updates.append(float(ms))
        assert page.evaluate("window.atlasState.arcs") == len(subset["arcs"])
    return {
        "arcs": len(full["arcs"]), "subset_arcs": len(subset["arcs"]),
        "payload_bytes": len(payload_full), "subset_payload_bytes": len(payload_subset),
        "build_full_ms": build_full_ms, "build_subset_ms": build_subset_ms,
        "load_ms": statistics.median(loads), "draw_ms": statistics.median(draws),
        "browser_update_ms": statistics.median(updates),
        # What a user waits for after changing a filter: the new payload built in Python, then redrawn.
        "filter_update_ms": build_subset_ms + statistics.median(updates),
    }


def folium_map(df: Any, basemap: dict[str, Any], leaflet_dir: Path) -> str:
    """The naive map: every arc a PolyLine with its own tooltip, full HTML rebuilt each time."""
    import folium

    folium.Map.default_js = [("leaflet", (leaflet_dir / "leaflet.js").as_uri())]
    folium.Map.default_css = [("leaflet_css", (leaflet_dir / "leaflet.css").as_uri())]
    m = folium.Map(location=[25, 150], zoom_start=2, tiles=None)
    folium.GeoJson(basemap, style_function=lambda _: {"color": "#fff", "weight": 0.5, "fillColor": "#ddd",
                                                       "fillOpacity": 1}).add_to(m)
    placed = df[df["placed"]]
    cx, cy = arcs.control_points(placed["cn_lon"], placed["cn_lat"], placed["partner_lon"], placed["partner_lat"])
    for n, row in enumerate(placed.itertuples()):
        pts = arcs.sample(row.cn_lon, row.cn_lat, cx[n], cy[n], row.partner_lon, row.partner_lat)
        folium.PolyLine([(float(lat), float(lon)) for lon, lat in pts], weight=1.2, color="#d00000",
                        tooltip=f"{row.cn_name_en} — {row.partner_name_en} ({row.established or 'year unknown'})",
                        ).add_to(m)
    return m.get_root().render()


def baseline(atlas: Any, runs: int, page: Any, tmp: Path) -> dict[str, float]:
    basemap = load_basemap()
    basemap["features"] = [f for f in basemap["features"] if f["properties"].get("kind") == "country"]
    t0 = time.perf_counter()
    html_full = folium_map(atlas.pairings, basemap, paths.LEAFLET_DIR)
    build_full_ms = (time.perf_counter() - t0) * 1000
    shown = filters.apply(atlas.pairings, FILTER)
    t0 = time.perf_counter()
    html_subset = folium_map(shown, basemap, paths.LEAFLET_DIR)
    build_subset_ms = (time.perf_counter() - t0) * 1000
    full_path, subset_path = tmp / "baseline_full.html", tmp / "baseline_subset.html"
    full_path.write_text(html_full, encoding="utf-8")
    subset_path.write_text(html_subset, encoding="utf-8")
    n_full, n_subset = int(atlas.pairings["placed"].sum()), int(shown["placed"].sum())
    count_js = "document.querySelectorAll('path.leaflet-interactive').length"

    def load(path: Path, expected: int) -> float:
        t0 = time.perf_counter()
        page.goto(path.as_uri())
        # basemap polygons are interactive paths too, so wait for at least the arcs.
        page.wait_for_function(f"{count_js} >= {expected}", timeout=120000)
        return (time.perf_counter() - t0) * 1000

    draws = [load(full_path, n_full) for _ in range(runs)]
    reloads = [load(subset_path, n_subset) for _ in range(runs)]
    return {
        "baseline_payload_bytes": len(html_full.encode()),
        "baseline_build_full_ms": build_full_ms,
        "baseline_draw_ms": statistics.median(draws),
        "baseline_filter_update_ms": build_subset_ms + statistics.median(reloads),
    }


def app_first_load(runs: int, browser: Any) -> float | None:
    """Start `streamlit run app.py` and time the map page until its arcs are drawn."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.headless", "true"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.3)
        times = []
        for n in range(runs + 1):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            t0 = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            frame = None
            while frame is None and time.perf_counter() - t0 < 60:
                frame = next((f for f in page.frames if "atlas_map" in f.url), None)
                page.wait_for_timeout(50)  # lets Playwright process events; time.sleep would not
            if frame is None:
                return None
            frame.wait_for_function("window.atlasState && window.atlasState.arcs > 0", timeout=60000)
            if n > 0:  # the first visit warms the server's caches, as any later user finds them
                times.append((time.perf_counter() - t0) * 1000)
            page.close()
        return statistics.median(times)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-app", action="store_true", help="skip timing the running Streamlit app")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    atlas = load_atlas()
    server, port = serve(paths.COMPONENT_DIR)
    results: dict[str, Any] = {}
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        results.update(ours(atlas, args.runs, page, port))
        page.close()
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        results.update(baseline(atlas, args.runs, page, Path(tmp)))
        page.close()
        if not args.no_app:
            results["app_first_load_ms"] = app_first_load(args.runs, browser)
        browser.close()
    server.shutdown()

    r = results
    print(f"arcs drawn (full / filtered):     {r['arcs']} / {r['subset_arcs']}")
    print(f"payload, full dataset:             {r['payload_bytes']:,} B   baseline {r['baseline_payload_bytes']:,} B "
          f"({r['baseline_payload_bytes'] / r['payload_bytes']:.1f}x larger)")
    print(f"python build, full:                {r['build_full_ms']:.0f} ms   "
          f"baseline {r['baseline_build_full_ms']:.0f} ms")
    print(f"draw in browser, full:             {r['draw_ms']:.0f} ms (page load incl. basemap {r['load_ms']:.0f} ms)"
          f"   baseline load-to-drawn {r['baseline_draw_ms']:.0f} ms")
    print(f"filter change to redrawn map:      {r['filter_update_ms']:.0f} ms "
          f"(python {r['build_subset_ms']:.0f} + browser {r['browser_update_ms']:.0f})"
          f"   baseline {r['baseline_filter_update_ms']:.0f} ms")
    if r.get("app_first_load_ms") is not None:
        print(f"map page first load (running app): {r['app_first_load_ms']:.0f} ms")
    print(json.dumps({k: (round(v, 1) if isinstance(v, float) else v) for k, v in r.items()}))


if __name__ == "__main__":
    main()
