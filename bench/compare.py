"""Before/after table of two map_bench.py runs (medians, with the after/before ratio), as Markdown.

Usage: python bench/compare.py BEFORE.json AFTER.json [AFTER2.json ...]
With several "after" runs each gets its own column (run-to-run noise shows), the ratio uses the first.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from readme_table import export_label, exports, mb, ms

Getter = Callable[[dict[str, Any]], Any]


def _median(stat: Any) -> float | None:
    if stat is None:
        return None
    return float(stat["median"]) if isinstance(stat, dict) else float(stat)


def figures(sizes: list[dict[str, Any]]) -> list[tuple[str, str, Getter]]:
    """(label, kind, getter) for each compared figure; kind 'ms', 'bytes' or 'mb_rss'."""
    app: Callable[[str], Getter] = lambda key: lambda r: r["ours_app"][key]  # noqa: E731
    rows: list[tuple[str, str, Getter]] = [
        ("first visit → painted (warm server)", "ms", app("painted_ms")),
        ("first visit after server start (1 run)", "ms", app("cold_painted_ms")),
        ("first-visit bytes on the wire", "bytes", lambda r: r["ours_app"]["bytes"]["wire"]["down"]),
        ("… of which WebSocket", "bytes", lambda r: r["ours_app"]["bytes"]["wire"]["down_websocket"]),
        ("filter change → repainted", "ms", app("filter_change_ms")),
        ("… key → script finished", "ms", app("filter_key_to_script_done_ms")),
        ("… drawing in the browser", "ms", app("filter_browser_render_ms")),
        ("back to a view built before", "ms", app("filter_back_ms")),
        ("zoom step", "ms", app("zoom_step_ms")),
        ("pan", "ms", app("pan_ms")),
        ("server RSS after first visit", "mb_rss", app("rss_after_first_visit_mb")),
        ("server RSS after all", "mb_rss", app("rss_mb")),
        ("server RSS peak", "mb_rss", app("peak_rss_mb")),
        ("load and check the dataset", "ms", lambda r: r["python"]["load_atlas_ms"]),
        ("map payload, all arcs (Python)", "ms", lambda r: r["python"]["map_args_full_ms"]),
    ]
    names: dict[str, None] = {}
    for size in sizes:
        names.update(dict.fromkeys(exports({"x": size})))
    rows += [(export_label(n), "ms", lambda r, n=n: r["exports"][f"{n}_ms"]) for n in names]
    return rows


def text(kind: str, value: Any) -> str:
    if value is None:
        return "–"
    if kind == "bytes":
        return mb(float(value))
    if kind == "mb_rss":
        return f"{float(value):,.0f} MB"
    return ms(value if isinstance(value, dict) else float(value), spread=False)


def table(before: dict[str, Any], afters: list[dict[str, Any]]) -> str:
    sizes = [n for n in before["sizes"] if all(n in a["sizes"] for a in afters)]
    head = ["figure", "pairings", "before", *(f"after{'' if len(afters) == 1 else f' (run {i + 1})'}"
                                              for i in range(len(afters))), "after / before"]
    lines = ["| " + " | ".join(head) + " |", "| --- | ---: |" + " ---: |" * (len(head) - 2)]
    every = [before["sizes"][n] for n in sizes] + [a["sizes"][n] for a in afters for n in sizes]
    for label, kind, get in figures(every):
        for n in sizes:
            def value(res: dict[str, Any], n: str = n, get: Getter = get) -> Any:
                try:
                    return get(res["sizes"][n])
                except (KeyError, TypeError):
                    return None

            b, a = value(before), [value(x) for x in afters]
            mb_, ma = _median(b), _median(a[0])
            ratio = f"{ma / mb_:.2f}×" if mb_ and ma is not None else "–"
            lines.append(f"| {label} | {int(n):,} | {text(kind, b)} | "
                         + " | ".join(text(kind, x) for x in a) + f" | {ratio} |")
    return "\n".join(lines)


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8").strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path, nargs="+")
    args = parser.parse_args()
    print(table(load(args.before), [load(p) for p in args.after]))


if __name__ == "__main__":
    main()
