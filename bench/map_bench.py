"""Measure the map like with like, at 2k, 10k and 50k synthetic pairings, and print ONE JSON line.

What is compared (all served from this machine, Leaflet local, the browser offline, Debian's Chromium):
- ours, app:   the running Streamlit app (`streamlit run app.py` on a synthetic data folder via ATLAS_DATA_DIR);
- ours, html:  our offline HTML export of the same map (geo.export.export_html), a single static page;
- folium best: one GeoJson layer of all arcs, prefer_canvas (bench/baselines.py);
- folium naive: one PolyLine per arc (bench/baselines.py).
All four draw the same places, curves, colours and tooltip text on the same basemap. Static pages are served
gzipped, as any web server would.

Definitions (figures are reported, never asserted):
- first-visit bytes: everything the browser receives for one visit in a fresh browser context until the map
  is painted plus 2 s, counted twice: on the wire by a TCP relay in front of the server (compression and
  WebSocket framing included) and per resource from Chromium's network log (HTTP bytes as transferred,
  WebSocket messages as decompressed payload);
- painted: from navigation start (the page's performance.timeOrigin) to the first animation frame after the
  frame in which the map was complete (ours: arcs drawn and basemap drawn; folium: load event fired), see
  bench/probe.js; each run in a fresh browser context (empty cache); median of --runs with min and max;
- cold: the first visit after the server started (empty caches, dataset not loaded yet), one run;
- filter change: in the app, a key press on the sidebar's year slider (one year less, a new filter state each
  time, so no cached payload) to the map painted again; split into key -> request sent and request -> painted,
  and key -> Streamlit's script finished, and the component's own render-to-painted time (browser share);
  "back": the same presses the other way, to states already cached;
- zoom step / pan: in the page, map.setZoom(z ± 1) / map.panBy(±300 px) without animation, to two animation
  frames later (Leaflet redraws canvas layers synchronously on these calls);
- server memory: the Streamlit process's resident set size (VmRSS) after the first visit, after all the above
  (seven sessions, a dozen cached payloads), and its peak (VmHWM);
- Python: geo functions called directly in this process, each repeated --runs times.
The machine's load is recorded with the figures: they are only as good as the machine was quiet.

Usage: python bench/map_bench.py [--sizes 2000,10000,50000] [--runs 5] [--quick] [--out bench/out]
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as dt
import json
import os
import pickle
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import baselines  # noqa: E402
import wire  # noqa: E402

from geo import export, filters, mapview, paths, synthetic  # noqa: E402
from geo.load import Atlas, load_atlas  # noqa: E402
from pages.ui.state import WIDGET_KEYS  # noqa: E402
from pages.ui.warm_up import wait_for_server  # noqa: E402

YEAR_SLIDER_KEY = WIDGET_KEYS["year_max"]  # the sidebar's year range slider

CHROMIUM = "/usr/bin/chromium"
# Offline for real: every host name but the local one fails to resolve (no request interception, which would
# slow every request down).
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
VIEWPORT = {"width": 1400, "height": 900}
PROBE = (BENCH / "probe.js").read_text(encoding="utf-8")
SUBSET = filters.Filters(bri_groups=("asean", "central_asia", "cis"))  # a typical Belt and Road view
SETTLE_MS = 2000
TIMEOUT_MS = 300_000


# ---------------------------------------------------------------------------------------------- figures

def summary(values: list[float]) -> dict[str, Any]:
    """Median, min, max and every run, rounded to 0.1."""
    return {"median": round(statistics.median(values), 1), "min": round(min(values), 1),
            "max": round(max(values), 1), "n": len(values), "runs": [round(v, 1) for v in values]}


def timed(fn: Callable[[], Any], runs: int) -> tuple[dict[str, Any], Any]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return summary(times), result


# ---------------------------------------------------------------------------------------------- machine

def _cpu_times() -> tuple[float, float]:
    fields = [float(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def busy_share(seconds: float) -> float:
    """Share of all cores' time spent busy over `seconds` (by anyone: call it while this bench is idle)."""
    b0, t0 = _cpu_times()
    time.sleep(seconds)
    b1, t1 = _cpu_times()
    return round((b1 - b0) / (t1 - t0), 3) if t1 > t0 else 0.0


class LoadSampler:
    """1-minute load average every few seconds while the bench runs."""

    def __init__(self, every: float = 5.0) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)
        self._thread.start()

    def _run(self, every: float) -> None:
        while not self._stop.wait(every):
            self.samples.append(os.getloadavg()[0])

    def stop(self) -> dict[str, Any]:
        self._stop.set()
        s = self.samples or [os.getloadavg()[0]]
        return {"load1_median": round(statistics.median(s), 2), "load1_max": round(max(s), 2), "samples": len(s)}


def machine(browser_version: str) -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "")
    mem = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    import streamlit

    return {"cores": os.cpu_count(), "cpu": cpu, "mem_total_mb": mem, "python": platform.python_version(),
            "chromium": browser_version, "streamlit": streamlit.__version__, "kernel": platform.release()}


def git_state() -> dict[str, Any]:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    return {"commit": git("rev-parse", "--short", "HEAD"), "branch": git("rev-parse", "--abbrev-ref", "HEAD"),
            "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def streamlit_config() -> dict[str, Any]:
    """The options the app's .streamlit/config.toml sets (what the app figures were measured with)."""
    import tomllib

    def flat(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in table.items():
            out.update(flat(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}": value})
        return out

    path = ROOT / ".streamlit" / "config.toml"
    return flat(tomllib.loads(path.read_text(encoding="utf-8"))) if path.exists() else {}


# ---------------------------------------------------------------------------------------------- browser

class NetLog:
    """Chromium's network log for one page: bytes per resource and WebSocket payload."""

    def __init__(self, context: Any, page: Any) -> None:
        self.urls: dict[str, str] = {}
        self.transferred: dict[str, int] = {}
        self.body: dict[str, int] = defaultdict(int)
        self.ws_payload = 0
        self.ws_frames = 0
        cdp = context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished",
               lambda e: self.transferred.__setitem__(e["requestId"], int(e["encodedDataLength"])))
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.send("Network.enable")

    def _data(self, e: dict[str, Any]) -> None:
        self.body[e["requestId"]] += int(e["dataLength"])

    def _frame(self, e: dict[str, Any]) -> None:
        frame = e["response"]
        data = frame.get("payloadData", "")
        self.ws_payload += len(base64.b64decode(data)) if frame.get("opcode") == 2 else len(data.encode())
        self.ws_frames += 1

    def by_kind(self) -> dict[str, dict[str, int]]:
        """Transferred and decoded bytes per kind of resource."""
        out: dict[str, dict[str, int]] = defaultdict(lambda: {"transferred": 0, "decoded": 0, "requests": 0})
        for rid, url in self.urls.items():
            if rid not in self.transferred:
                continue  # failed or still loading: nothing received
            kind = resource_kind(url)
            out[kind]["transferred"] += self.transferred[rid]
            out[kind]["decoded"] += self.body.get(rid, 0)
            out[kind]["requests"] += 1
        out["websocket"] = {"transferred": self.ws_payload, "decoded": self.ws_payload, "requests": self.ws_frames}
        return dict(out)

    def other_urls(self) -> list[str]:
        return sorted({u.split("?", 1)[0] for rid, u in self.urls.items() if resource_kind(u) == "other"})


def resource_kind(url: str) -> str:
    path = url.split("://", 1)[-1].split("/", 1)[-1].split("?", 1)[0]
    if "/leaflet/" in f"/{path}":
        return "leaflet"
    if path.endswith("basemap.json"):
        return "basemap"
    if path.startswith("component/"):
        return "component"
    if path.startswith("static/"):
        return "streamlit_static"
    if path.startswith("_stcore/"):
        return "streamlit_api"
    if path in ("", "favicon.ico") or path.endswith(".html"):
        return "page"
    return "other"


class Visit:
    """One page in a fresh browser context (empty cache), with the probe installed."""

    def __init__(self, browser: Any, url: str, netlog: bool = False) -> None:
        self.context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        self.context.add_init_script(PROBE)
        self.page = self.context.new_page()
        self.external: list[str] = []
        self.page.on("request", self._request)
        self.log = NetLog(self.context, self.page) if netlog else None
        self.page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        self.page.wait_for_function("window.__benchProbe && window.__benchProbe.events.length > 0", polling=50,
                                    timeout=TIMEOUT_MS)
        probe = self.page.evaluate("({ev: window.__benchProbe.events[0], origin: performance.timeOrigin})")
        self.painted_ms = float(probe["ev"]["paintedAt"] - probe["origin"])

    def _request(self, request: Any) -> None:
        if not request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")):
            self.external.append(request.url)

    def map_frame(self) -> Any:
        """The frame that holds the Leaflet map (the component's iframe in the app, else the page)."""
        return next((f for f in self.page.frames if "atlas_map" in f.url), self.page.main_frame)

    def close(self) -> None:
        self.context.close()


def zoom_pan_js(result: str = "performance.now() - t0") -> str:
    """A page function doing one zoom or pan step (op: in, out, left, right) on our map or folium's, timed from
    the step to two frames later; it returns `result` (a JS expression that may use t0)."""
    return """async (op) => {
  const map = window.AtlasMap ? window.AtlasMap.getMap()
    : window[Object.keys(window).find((k) => /^map_[0-9a-f]{32}$/.test(k))];
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  await frame();
  const t0 = performance.now();
  if (op === "in") map.setZoom(map.getZoom() + 1, { animate: false });
  else if (op === "out") map.setZoom(map.getZoom() - 1, { animate: false });
  else map.panBy([op === "left" ? -300 : 300, 0], { animate: false });
  await frame();
  await frame();
  return RESULT;
}""".replace("RESULT", result)


ZOOM_PAN_JS = zoom_pan_js()

# Proof that something was drawn: non-transparent pixels per canvas (basemap and arcs), or SVG paths (naive).
CANVAS_CHECK_JS = """() => {
  const inked = [];
  for (const c of document.querySelectorAll("canvas")) {
    const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
    inked.push(n);
  }
  return { inked_pixels_per_canvas: inked, svg_paths: document.querySelectorAll("path.leaflet-interactive").length };
}"""


def zoom_pan(frame: Any, runs: int) -> dict[str, Any]:
    zooms = [float(frame.evaluate(ZOOM_PAN_JS, "in" if i % 2 == 0 else "out")) for i in range(max(runs, 2))]
    pans = [float(frame.evaluate(ZOOM_PAN_JS, "left" if i % 2 == 0 else "right")) for i in range(max(runs, 2))]
    return {"zoom_step_ms": summary(zooms), "pan_ms": summary(pans)}


def page_figures(browser: Any, url: str, runs: int, relay_url: str, relay: wire.Relay) -> dict[str, Any]:
    """First-visit bytes (once, through the relay), painted times (fresh context each), zoom and pan."""
    v = Visit(browser, relay_url, netlog=True)
    v.page.wait_for_timeout(SETTLE_MS)
    assert v.log is not None
    bytes_ = {"wire": relay.totals(), "by_kind": v.log.by_kind(), "other_urls": v.log.other_urls()}
    external = list(v.external)
    v.close()
    painted, check, zp = [], {}, {}
    for i in range(runs):
        v = Visit(browser, url)
        painted.append(v.painted_ms)
        external += v.external
        if i == runs - 1:
            frame = v.map_frame()
            check = frame.evaluate(CANVAS_CHECK_JS)
            zp = zoom_pan(frame, runs)
        v.close()
    return {"bytes": bytes_, "painted_ms": summary(painted), "drawn_check": check, **zp,
            "external_requests": sorted(set(external))}


# ---------------------------------------------------------------------------------------------- the app

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_app(data_dir: Path, log: Path, options: dict[str, str] | None = None
                ) -> Iterator[tuple[int, subprocess.Popen[bytes], float]]:
    """`streamlit run app.py` on `data_dir`, with .streamlit/config.toml and any `options` (e.g.
    {"server.enableWebsocketCompression": "false"}, to measure what an option does)."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ATLAS_DATA_DIR": str(data_dir)}
    extra = [arg for name, value in (options or {}).items() for arg in (f"--{name}", value)]
    t0 = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                                 "--server.headless", "true", *extra], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
        try:
            if not wait_for_server(port, 120, alive=lambda: proc.poll() is None, poll_s=0.2):
                raise RuntimeError(f"streamlit did not start; see {log}")
            yield port, proc, (time.perf_counter() - t0) * 1000
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def rss_mb(pid: int) -> dict[str, float]:
    status = {line.split(":")[0]: line.split()[1] for line in Path(f"/proc/{pid}/status").read_text().splitlines()
              if line.startswith(("VmRSS", "VmHWM"))}
    return {"rss_mb": round(int(status["VmRSS"]) / 1024, 1), "peak_rss_mb": round(int(status["VmHWM"]) / 1024, 1)}


FILTER_STATE_JS = """() => ({ ev: window.__benchProbe.events[window.__benchProbe.events.length - 1],
  input: window.__benchProbe.inputAt, sends: window.__benchProbe.wsSends, script: window.__benchProbe.script })"""


def year_slider_end(page: Any) -> Any:
    """The upper thumb of the sidebar's year slider, found by the widget's key (Streamlit marks a keyed widget's
    container with the class st-key-<key>), so other range sliders on the page do not matter."""
    thumbs = page.locator(f'.st-key-{YEAR_SLIDER_KEY} input[type="range"]')
    thumbs.first.wait_for(timeout=TIMEOUT_MS)
    if thumbs.count() != 2:
        raise RuntimeError(f"the year slider (key {YEAR_SLIDER_KEY!r}) should have two thumbs, has {thumbs.count()}")
    return thumbs.last


def filter_changes(v: Visit, runs: int, key: str = "ArrowLeft") -> dict[str, Any]:
    """Press `key` on the year slider's upper thumb. ArrowLeft: each press is a new filter state (one year less),
    so the map payload is not cached; ArrowRight afterwards goes back through states built before."""
    page = v.page
    upper = year_slider_end(page)
    totals, to_request, to_painted, to_done, browser = [], [], [], [], []
    for _ in range(runs):
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS)
        page.wait_for_timeout(500)
        n = page.evaluate("window.__benchProbe.events.length")
        upper.focus()
        page.keyboard.press(key)
        page.wait_for_function(f"window.__benchProbe.events.length > {n}", polling=50, timeout=TIMEOUT_MS)
        page.wait_for_function("""() => { const s = window.__benchProbe.script, t = window.__benchProbe.inputAt;
            return s.some(([state, at]) => state === 'notRunning' && at > t); }""", polling=50, timeout=TIMEOUT_MS)
        st = page.evaluate(FILTER_STATE_JS)
        frame = v.map_frame()
        frame.wait_for_function("window.atlasState && window.atlasState.paintMs !== null", polling=50,
                                timeout=TIMEOUT_MS)
        # the component's own clock: from receiving the arguments to the frame after the redraw
        browser.append(float(frame.evaluate("window.atlasState.paintMs")))
        t_in, painted = st["input"], st["ev"]["paintedAt"]
        sent = min((s for s in st["sends"] if s >= t_in), default=t_in)
        done = min(at for state, at in st["script"] if state == "notRunning" and at > t_in)
        totals.append(painted - t_in)
        to_request.append(sent - t_in)
        to_painted.append(painted - sent)
        to_done.append(done - t_in)
    return {"filter_change_ms": summary(totals), "filter_key_to_request_ms": summary(to_request),
            "filter_request_to_painted_ms": summary(to_painted), "filter_key_to_script_done_ms": summary(to_done),
            "filter_browser_render_ms": summary(browser)}


def app_figures(browser: Any, data_dir: Path, runs: int, log: Path) -> dict[str, Any]:
    with running_app(data_dir, log) as (port, proc, startup_ms):
        url = f"http://127.0.0.1:{port}/"
        v = Visit(browser, url)  # the first visit after start: the server loads the dataset, caches are empty
        cold = v.painted_ms
        v.page.wait_for_timeout(SETTLE_MS)
        first_rss = rss_mb(proc.pid)["rss_mb"]
        v.close()
        relay = wire.Relay(port)
        try:
            figures = page_figures(browser, url, runs, f"http://127.0.0.1:{relay.port}/", relay)
        finally:
            relay.close()
        v = Visit(browser, url)
        figures.update(filter_changes(v, runs))
        back = filter_changes(v, runs, key="ArrowRight")
        v.close()
        figures.update(filter_back_ms=back["filter_change_ms"], startup_ms=round(startup_ms, 1),
                       cold_painted_ms=round(cold, 1), rss_after_first_visit_mb=first_rss, **rss_mb(proc.pid))
    return figures


# ---------------------------------------------------------------------------------------------- one size

def python_figures(atlas_dir: Path, runs: int) -> tuple[dict[str, Any], Atlas, dict[str, Any]]:
    out: dict[str, Any] = {}
    out["load_atlas_ms"], atlas = timed(lambda: load_atlas(atlas_dir), runs)
    p = atlas.pairings
    out["filter_apply_ms"], shown = timed(lambda: filters.apply(p, SUBSET), runs)

    def build(df: Any) -> dict[str, Any]:
        return mapview.map_args(df, lang="zh", color_by="era", eras=atlas.eras, revision=1)

    out["map_args_full_ms"], args = timed(lambda: build(p), runs)
    out["map_args_subset_ms"], sub = timed(lambda: build(shown), runs)
    out["payload_full_bytes"] = len(json.dumps(args, ensure_ascii=False, separators=(",", ":")).encode())
    out["payload_subset_bytes"] = len(json.dumps(sub, ensure_ascii=False, separators=(",", ":")).encode())
    blob = pickle.dumps(args)
    out["payload_pickle_bytes"] = len(blob)
    # What a st.cache_data hit would cost on every run (the app keeps payloads in st.cache_resource instead).
    out["payload_unpickle_ms"], _ = timed(lambda: pickle.loads(blob), runs)
    out["folium_naive_build_ms"], naive = timed(lambda: baselines.naive_html(args), runs)
    out["folium_best_build_ms"], best = timed(lambda: baselines.best_html(args), runs)
    return out, atlas, {"full": args, "naive": naive, "best": best}


@dataclass(frozen=True)
class ExportInput:
    """What an export is made from in the bench: the whole dataset in the default view, as the map page has it."""

    atlas: Atlas
    filters: filters.Filters
    lang: str
    note: str  # the filter summary
    args: dict[str, Any]  # the map payload


# The exports timed: one line each (the name is the JSON key, bench/readme_table.py labels it). Every builder in
# geo.export.BUILDERS (where that table exists) is timed too, by its own name, replacing a line of the same name.
EXPORTS: dict[str, Callable[[ExportInput], bytes | str]] = {
    "csv": lambda v: export.export_csv(v.atlas.pairings, v.lang),
    "excel": lambda v: export.export_excel(v.atlas.pairings, v.lang, note=v.note),
    "png_slide": lambda v: export.export_png(v.atlas.pairings, v.atlas, v.filters, v.lang),
    "png_print": lambda v: export.export_png(v.atlas.pairings, v.atlas, v.filters, v.lang, size=export.PRINT_SIZE,
                                             dpi=export.PRINT_DPI),
    "html": lambda v: export.export_html(v.args, "Youcheng Atlas", v.note),
}


def export_makers() -> dict[str, Callable[[ExportInput], bytes | str]]:
    """`EXPORTS`, with the export modules' own builders (each takes the dataset, the filters and a focus)."""
    makers = dict(EXPORTS)
    no_focus = getattr(export, "NO_FOCUS", None)
    for name, build in getattr(export, "BUILDERS", {}).items():
        makers[name] = lambda v, build=build: build(v.atlas, v.filters, no_focus)
    return makers


def export_figures(atlas: Atlas, args: dict[str, Any], runs: int) -> tuple[dict[str, Any], str]:
    """Every export of the whole dataset (the default view), called as the map page's buttons call them."""
    f, lang = filters.Filters(), "zh"
    view = ExportInput(atlas, f, lang, export.filter_summary(f, atlas, lang), args)
    out: dict[str, Any] = {}
    html = ""
    for name, make in export_makers().items():
        out[f"{name}_ms"], result = timed(lambda make=make: make(view), runs)
        data = result.encode() if isinstance(result, str) else result
        out[f"{name}_bytes"] = len(data)
        if name == "html":
            html = str(result)
    return out, html


def measure_size(browser: Any, n: int, seed: int, runs: int, out_dir: Path) -> dict[str, Any]:
    t_start = time.perf_counter()
    quiet_before = busy_share(3.0)
    load_before = os.getloadavg()
    sampler = LoadSampler()
    data_dir = synthetic.write_synthetic(out_dir / f"data_{n}", n, seed)
    py, atlas, built = python_figures(data_dir, runs)
    exports, offline_html = export_figures(atlas, built["full"], runs)
    result: dict[str, Any] = {
        "pairings": len(atlas.pairings), "arcs": len(built["full"]["arcs"]),
        "places": len(built["full"]["places"]), "python": py, "exports": exports,
    }
    site = out_dir / f"site_{n}"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(paths.LEAFLET_DIR, site / "leaflet")
    pages = {"ours_html": offline_html, "folium_best": built["best"], "folium_naive": built["naive"]}
    for name, html in pages.items():
        (site / f"{name}.html").write_text(html, encoding="utf-8")
    del built, pages
    server, port = wire.serve_static(site)
    relay = wire.Relay(port)
    try:
        for name in ("ours_html", "folium_best", "folium_naive"):
            result[name] = page_figures(browser, f"http://127.0.0.1:{port}/{name}.html", runs,
                                        f"http://127.0.0.1:{relay.port}/{name}.html", relay)
            relay.connections.clear()
    finally:
        relay.close()
        server.shutdown()
    result["ours_app"] = app_figures(browser, data_dir, runs, out_dir / f"streamlit_{n}.log")
    result["machine_load"] = {"busy_share_before": quiet_before, "load_before": [round(x, 2) for x in load_before],
                              **sampler.stop(), "load_after": [round(x, 2) for x in os.getloadavg()]}
    result["seconds"] = round(time.perf_counter() - t_start, 1)
    return result


# ---------------------------------------------------------------------------------------------- main

def print_summary(res: dict[str, Any]) -> None:
    """A few human-readable lines before the JSON line (stderr, so stdout's last line is the JSON)."""
    for n, r in res["sizes"].items():
        app = r["ours_app"]
        print(f"{int(n):>6,} pairings: app first visit painted {app['painted_ms']['median']:,.0f} ms "
              f"({app['bytes']['wire']['down'] / 1e6:.2f} MB), filter {app['filter_change_ms']['median']:,.0f} ms, "
              f"zoom {app['zoom_step_ms']['median']:,.0f} ms, pan {app['pan_ms']['median']:,.0f} ms, "
              f"RSS {app['rss_mb']:,.0f} MB; folium best {r['folium_best']['painted_ms']['median']:,.0f} ms "
              f"({r['folium_best']['bytes']['wire']['down'] / 1e6:.2f} MB), naive "
              f"{r['folium_naive']['painted_ms']['median']:,.0f} ms "
              f"({r['folium_naive']['bytes']['wire']['down'] / 1e6:.2f} MB); excel "
              f"{r['exports']['excel_ms']['median']:,.0f} ms", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,10000,50000", help="pairings per synthetic dataset")
    parser.add_argument("--runs", type=int, default=5, help="repeats of every figure (median reported)")
    parser.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED)
    parser.add_argument("--quick", action="store_true", help="2,000 pairings and one run (for CI)")
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    args = parser.parse_args()
    sizes = [2000] if args.quick else [int(s) for s in args.sizes.split(",")]
    runs = 1 if args.quick else args.runs
    out_dir = args.out.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    started = dt.datetime.now().astimezone()
    res: dict[str, Any] = {"bench": "map_bench", "version": 2, "started": started.isoformat(timespec="seconds"),
                           "git": git_state(), "config": {"sizes": sizes, "runs": runs, "seed": args.seed,
                                                          "quick": args.quick, "viewport": VIEWPORT},
                           "streamlit_config": streamlit_config(), "sizes": {}}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        res["machine"] = machine(browser.version)
        res["machine"]["busy_share_at_start"] = busy_share(5.0)
        for n in sizes:
            print(f"measuring {n:,} pairings ...", file=sys.stderr)
            res["sizes"][str(n)] = measure_size(browser, n, args.seed, runs, out_dir)
        browser.close()
    res["seconds"] = round((dt.datetime.now().astimezone() - started).total_seconds(), 1)
    line = json.dumps(res, ensure_ascii=False, separators=(",", ":"))
    stamp = started.strftime("%Y%m%d-%H%M%S")
    kind = "quick" if args.quick else "full"
    (out_dir / f"map_bench-{kind}-{stamp}.json").write_text(line + "\n", encoding="utf-8")
    # A quick run (CI) never replaces the full run the README's table is made from.
    (out_dir / f"latest{'-quick' if args.quick else ''}.json").write_text(line + "\n", encoding="utf-8")
    print_summary(res)
    print(line)


if __name__ == "__main__":
    main()
