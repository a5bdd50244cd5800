"""Turn map_bench.py's JSON into the README's performance table, so the README's figures come from a run.

Writes between the README's `<!-- bench:begin -->` and `<!-- bench:end -->` markers; `--print` only prints.
Usage: python bench/readme_table.py [bench/out/latest.json] [--readme README.md] [--print]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def ms(stat: dict[str, Any] | float | None, spread: bool = True) -> str:
    """'530 ms (480–610)' or '1.83 s (1.70–2.10)'; the spread only when there were several runs."""
    if stat is None:
        return "–"
    if not isinstance(stat, dict):
        stat = {"median": stat, "n": 1}

    def one(v: float, unit: bool = True) -> str:
        if stat["median"] >= 1000:
            return f"{v / 1000:.2f}" + (" s" if unit else "")
        return f"{v:.0f}" + (" ms" if unit else "")

    text = one(stat["median"])
    if spread and stat.get("n", 1) > 1:
        text += f" ({one(stat['min'], False)}–{one(stat['max'], False)})"
    return text


def mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB"


def _app_parts(size: dict[str, Any]) -> tuple[int, int, int]:
    """Streamlit's own files, the map's files (component, Leaflet, basemap) as transferred (browser's log), and
    the WebSocket bytes on the wire (the relay's count, compression and framing included)."""
    by_kind = size["ours_app"]["bytes"]["by_kind"]
    own = sum(by_kind.get(k, {}).get("transferred", 0) for k in ("page", "streamlit_static", "streamlit_api",
                                                                  "other"))
    ours = sum(by_kind.get(k, {}).get("transferred", 0) for k in ("component", "leaflet", "basemap"))
    return own, ours, size["ours_app"]["bytes"]["wire"]["down_websocket"]


def rows(sizes: dict[str, Any], compressed: bool = False) -> list[tuple[str, list[str]]]:
    def col(fn: Any) -> list[str]:
        out = []
        for r in sizes.values():
            try:
                out.append(fn(r))
            except (KeyError, TypeError):
                out.append("–")
        return out

    return [
        ("arcs drawn (placed pairings)", col(lambda r: f"{r['arcs']:,}")),
        ("**first visit → map painted**, app (fresh browser, warm server)",
         col(lambda r: ms(r["ours_app"]["painted_ms"]))),
        ("… the first visit after the server started (1 run)", col(lambda r: ms(r["ours_app"]["cold_painted_ms"]))),
        ("… our offline HTML export", col(lambda r: ms(r["ours_html"]["painted_ms"]))),
        ("… folium, best form (one GeoJson, canvas)", col(lambda r: ms(r["folium_best"]["painted_ms"]))),
        ("… folium, naive (one PolyLine per arc)", col(lambda r: ms(r["folium_naive"]["painted_ms"]))),
        ("**first-visit bytes on the wire**, app", col(lambda r: mb(r["ours_app"]["bytes"]["wire"]["down"]))),
        ("… of which Streamlit's own files", col(lambda r: mb(_app_parts(r)[0]))),
        ("… of which component, Leaflet, basemap", col(lambda r: mb(_app_parts(r)[1]))),
        ("… of which WebSocket (page and map data" + (", compressed)" if compressed else ")"),
         col(lambda r: mb(_app_parts(r)[2]))),
        ("… our offline HTML export", col(lambda r: mb(r["ours_html"]["bytes"]["wire"]["down"]))),
        ("… folium, best form", col(lambda r: mb(r["folium_best"]["bytes"]["wire"]["down"]))),
        ("… folium, naive", col(lambda r: mb(r["folium_naive"]["bytes"]["wire"]["down"]))),
        ("**filter change → map repainted**, app", col(lambda r: ms(r["ours_app"]["filter_change_ms"]))),
        ("… of which drawing in the browser", col(lambda r: ms(r["ours_app"]["filter_browser_render_ms"]))),
        ("… until the script has finished", col(lambda r: ms(r["ours_app"]["filter_key_to_script_done_ms"]))),
        ("… back to a view built before (cached)", col(lambda r: ms(r["ours_app"]["filter_back_ms"]))),
        ("**zoom step**, app / folium best / naive", col(lambda r: " / ".join(
            ms(r[k]["zoom_step_ms"], spread=False) for k in ("ours_app", "folium_best", "folium_naive")))),
        ("**pan**, app / folium best / naive", col(lambda r: " / ".join(
            ms(r[k]["pan_ms"], spread=False) for k in ("ours_app", "folium_best", "folium_naive")))),
        ("server memory after one visit / after all / peak", col(
            lambda r: f"{r['ours_app']['rss_after_first_visit_mb']:,.0f} / {r['ours_app']['rss_mb']:,.0f} / "
                      f"{r['ours_app']['peak_rss_mb']:,.0f} MB")),
        ("load and check the dataset (Python)", col(lambda r: ms(r["python"]["load_atlas_ms"]))),
        ("map payload, all arcs (Python; size)", col(lambda r: f"{ms(r['python']['map_args_full_ms'])}; "
                                                               f"{mb(r['python']['payload_full_bytes'])}")),
    ] + [(export_label(name), col(lambda r, name=name: ms(r["exports"][f"{name}_ms"]))) for name in exports(sizes)]


# How each export the bench times is named in the table; one without a line here is named by its JSON key.
EXPORT_LABELS = {
    "csv": "export CSV", "excel": "export Excel", "png_slide": "export slide PNG (1920×1080)",
    "png_print": "export print PNG (A4, 300 dpi)", "svg_print": "export print SVG", "pdf_print": "export print PDF",
    "gif_growth": "export growth animation (GIF)", "mp4_growth": "export growth animation (MP4)",
    "pptx_deck": "export briefing deck (PPTX)", "html": "export offline HTML",
}


def export_label(name: str) -> str:
    return EXPORT_LABELS.get(name, f"export {name}")


def exports(sizes: dict[str, Any]) -> list[str]:
    """The exports the run timed, in the order it timed them (any size)."""
    names: dict[str, None] = {}
    for r in sizes.values():
        names.update(dict.fromkeys(k[:-3] for k in r.get("exports", {}) if k.endswith("_ms")))
    return list(names)


def render(res: dict[str, Any]) -> str:
    sizes = res["sizes"]
    m, cfg, git = res["machine"], res["config"], res["git"]
    loads = [r["machine_load"] for r in sizes.values()]
    head = "| | " + " | ".join(f"{int(n):,} pairings" for n in sizes) + " |"
    lines = [head, "| --- |" + " --- |" * len(sizes)]
    compressed = bool(res.get("streamlit_config", {}).get("server.enableWebsocketCompression"))
    lines += [f"| {name} | " + " | ".join(cells) + " |" for name, cells in rows(sizes, compressed)]
    busy = [x["busy_share_before"] for x in loads]
    dirty = " with local changes" if git["dirty"] else ""
    note = (f"`make bench` ({res['started'][:10]}, commit {git['commit']}{dirty}) on {m['cores']} cores "
            f"({m['cpu']}), Chromium {m['chromium'].split('.')[0]}, Streamlit "
            f"{m['streamlit']}; synthetic pairings between real places (`geo/synthetic.py`, seed {cfg['seed']}); "
            f"median of {cfg['runs']} run{'s' if cfg['runs'] != 1 else ''} (min–max). The machine was shared: "
            f"other work used {min(busy):.0%}–{max(busy):.0%} of the CPU just before each size, and the 1-minute "
            f"load was {min(x['load1_median'] for x in loads):.1f}–{max(x['load1_max'] for x in loads):.1f} "
            f"during the runs (this benchmark included).")
    defs = ("Painted: navigation start to the first animation frame after the map (arcs and basemap) is drawn, "
            "in a fresh browser context; bytes: everything the browser received until then plus 2 s, counted on the "
            "wire (static pages served gzipped); filter change: a key press on the year slider to the map painted "
            "again; zoom and pan: one step without animation to two frames later. Definitions in "
            "`bench/map_bench.py`.")
    return "\n".join([textwrap.fill(note, 115), "", *lines, "", textwrap.fill(defs, 115)])


def replace_between_markers(text: str, body: str) -> str:
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"README has no {BEGIN} … {END} markers")
    return pattern.sub(lambda _: f"{BEGIN}\n{body}\n{END}", text, count=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", nargs="?", type=Path, default=BENCH / "out" / "latest.json")
    parser.add_argument("--readme", type=Path, default=BENCH.parent / "README.md")
    parser.add_argument("--print", action="store_true", help="print the table instead of writing the README")
    args = parser.parse_args()
    res = json.loads(args.json.read_text(encoding="utf-8").strip().splitlines()[-1])
    body = render(res)
    if args.print:
        print(body)
        return
    args.readme.write_text(replace_between_markers(args.readme.read_text(encoding="utf-8"), body), encoding="utf-8")
    print(f"{args.readme.name}: performance table updated from {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
