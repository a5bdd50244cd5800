"""The network's growth, year by year, as a GIF or an MP4 for slides — made with matplotlib, Pillow and the
ffmpeg that ships inside the imageio-ffmpeg wheel, so no browser is needed.

One frame per year from the view's first year (1973 unless the filters start later) to the last year a shown
pairing was signed: the pairings signed by then, that year's new ones drawn strongly, the year shown large, the
count so far and, on every frame, how many shown pairings have no known year and are therefore left out. The
window is fitted once to all the dated pairings, so the map does not jump. Text is in the interface language.

Frames are drawn incrementally (matplotlib's blitting on the Agg canvas): the basemap and the arcs of past years
are kept as a bitmap and only the new year's arcs, the year and the names are drawn on top, so the cost grows
with the number of arcs, not with arcs × years.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geo import labels, load, mapview
from geo.basemap import pacific_lon_array
from geo.export import image
from geo.export.summary import data_as_of, filter_summary, source_line
from geo.export.view import NO_FOCUS, Focus, shown
from geo.filters import FIRST_YEAR, Filters
from geo.i18n import t

GIF_SIZE, GIF_DPI = (1280, 720), 100
MP4_SIZE, MP4_DPI = (1920, 1080), 150
YEAR_MS = 450  # how long one year stays on screen
HOLD_MS = 3000  # the last year, before the loop starts again
MP4_FPS = 4  # each year is a still: few frames a second are enough, and encode fast
LABELS_PER_FRAME = 12
TRANSPARENT = 255  # the GIF palette index of "unchanged since the last frame"
PAGE_COLORS = ("#eef3f7", "#dcdcdc", "#f1e6e6", "#9a8a8a", "#1d3557", "#c1121f", "#222222", "#555555", "#777777")


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


@dataclass(frozen=True)
class Growth:
    """What the animation shows: the dated, placed pairings by year, and the counts it states."""

    years: list[int]
    dated: pd.DataFrame  # dated pairings shown (placed or not), with `year` as int
    unknown: int  # shown pairings with no known year: left out and said so


def growth(df: pd.DataFrame, filters: Filters) -> Growth:
    """The years to animate and the pairings in them. The first year is the filter's (1973, the first pairing,
    by default); the last is the latest year a shown pairing was signed."""
    known = df["year"].notna()
    dated = df[known].assign(year=lambda d: d["year"].astype(int))
    first = max(FIRST_YEAR, filters.year_min)
    last = int(dated["year"].max()) if len(dated) else first
    return Growth(list(range(first, max(first, last) + 1)), dated, int((~known).sum()))


class _Canvas:
    """One figure with the static parts drawn once, and the frames drawn over it."""

    def __init__(self, g: Growth, args: dict[str, Any], atlas: load.Atlas, filters: Filters,
                 size: tuple[int, int], dpi: int) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        lang = self.lang = filters.lang
        self.font = image.cjk_font()
        w_in, h_in = size[0] / dpi, size[1] / dpi
        self.fig = fig = Figure(figsize=(w_in, h_in), dpi=dpi, facecolor="white")
        self.canvas = FigureCanvasAgg(fig)
        self.scale = scale = min(w_in / 12.8, h_in / 7.2)
        self.dpi = dpi

        def text(x: float, y: float, words: str, pt: float, color: str, **kw: Any) -> Any:
            return fig.text(x, y, words, fontproperties=self.font, fontsize=pt * scale, va="center", color=color,
                            **kw)

        def top(inches: float) -> float:
            return 1 - inches * scale / h_in

        text(0.012, top(0.34), t("anim_title", lang, start=g.years[0], end=g.years[-1]), 22, "#1d3557",
             fontweight="bold")
        lines = image._wrap(filter_summary(filters, atlas, lang), (w_in * 0.62 * 72) / (12.5 * scale), 2)
        y = 0.72
        for line in lines:
            text(0.012, top(y), line, 12.5, "#222222")
            y += 0.27
        y = max(y, 1.66)  # below the year and the two count lines on the right
        map_top = 1 - (y - 0.08) * scale / h_in
        map_bottom = 0.5 * scale / h_in
        self.ax = ax = fig.add_axes((0.008, map_bottom, 0.984, map_top - map_bottom))
        placed = g.dated[g.dated["placed"]]
        box_w, box_h = 0.984 * size[0], (map_top - map_bottom) * size[1]
        xlim, ylim, aspect = image.fit_limits(image.view_extent(placed), box_w, box_h)
        image._draw_basemap(ax, xlim, scale)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_aspect(aspect, adjustable="box", anchor="C")
        image.bare(ax)
        # The legend of the view's colours, less "year unknown": those pairings are not in the animation.
        legend = dict(args["legend"], items=[i for i in args["legend"]["items"] if i[0] != t("unknown_era", lang)])
        box = image._draw_legend(ax, legend, self.font, scale, False, lang)
        ax.apply_aspect()
        self.legend_box = image._place_legend(fig, ax, box, image._cloud(args), scale)
        as_of = data_as_of(atlas)
        footer = t("data_date", lang, date=as_of) + t("footer_sep", lang) if as_of else ""
        text(0.012, 0.29 * scale / h_in, footer + source_line(lang), 9, "#555555")
        text(0.012, 0.11 * scale / h_in, t("png_note", lang), 8, "#777777")
        # The moving parts: the year, the counts, the names (haloed: they may sit over the map's corner).
        import matplotlib.patheffects as pe

        halo = [pe.withStroke(linewidth=3 * scale, foreground="white")]
        self.year = text(0.985, top(0.55), "", 54, "#c1121f", ha="right", fontweight="bold", animated=True,
                         path_effects=halo)
        self.count = text(0.985, top(1.12), "", 14, "#1d3557", ha="right", animated=True, path_effects=halo)
        self.unknown = text(0.985, top(1.4), t("anim_unknown", lang, n=f"{g.unknown:,}") if g.unknown else "",
                            11, "#555555", ha="right", animated=True, path_effects=halo)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(fig.bbox)

    def arcs_artist(self, segs: list[np.ndarray], colors: list[str], new: bool) -> Any:
        from matplotlib.collections import LineCollection

        s = self.scale
        if new:  # this year's: strong, with a dark edge
            made = [LineCollection(segs, colors="#000000", linewidths=2.2 * s, capstyle="round", animated=True),
                    LineCollection(segs, colors=colors, linewidths=1.3 * s, capstyle="round", animated=True)]
        else:
            made = [LineCollection(segs, colors=colors, linewidths=0.9 * s, alpha=0.55, capstyle="round",
                                   animated=True)]
        for m in made:
            self.ax.add_collection(m, autolim=False)
        return made

    def render(self, artists: list[Any]) -> None:
        """Draw only these artists over what the canvas holds."""
        for a in artists:
            self.fig.draw_artist(a)

    def rgb(self) -> np.ndarray:
        return np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()


@dataclass(frozen=True)
class Frame:
    year: int
    rgb: np.ndarray
    words: tuple[str, ...]  # the year and the counts as written on the frame


def frames(atlas: load.Atlas, filters: Filters, size: tuple[int, int] = GIF_SIZE, dpi: int = GIF_DPI
           ) -> Iterator[Frame]:
    """One frame for each year of the view's growth."""
    g = growth(shown(atlas, filters), filters)
    lang = filters.lang
    placed = g.dated[g.dated["placed"]]
    args = mapview.map_args(placed, lang=lang, color_by=filters.color_by, eras=atlas.eras, revision=0)
    c = _Canvas(g, args, atlas, filters, size, dpi)
    palette = [col for _, col in args["legend"]["items"]]
    year_of = dict(zip(placed["pair_id"], placed["year"], strict=True))
    by_year: dict[int, list[list[Any]]] = {}
    for a in args["arcs"]:
        by_year.setdefault(int(year_of[a[6]]), []).append(a)
    counts = g.dated["year"].value_counts()
    bounds = c.ax.get_window_extent()
    height = c.fig.bbox.height
    font_pt = 10 * c.scale
    font_px = font_pt * dpi / 72
    frame_box = (bounds.x0 + 2, height - bounds.y1 + 2, bounds.x1 - 2, height - bounds.y0 - 2)
    places = _Places(placed, lang)
    lb = c.legend_box
    avoid = () if lb is None else ((lb.x0, height - lb.y1, lb.x1, height - lb.y0),)
    so_far = 0
    for year in g.years:
        rows = by_year.get(year, [])
        segs = image._arc_segments(args, rows)
        cols = [palette[min(int(a[4]), len(palette) - 1)] for a in rows]
        so_far += int(counts.get(year, 0))
        c.canvas.restore_region(c.background)
        new_artists = c.arcs_artist(segs, cols, new=True) if rows else []
        c.render(new_artists)
        c.year.set_text(str(year))
        c.count.set_text(t("anim_count", lang, year=year, n=f"{so_far:,}") + t("footer_sep", lang) +
                         t("anim_new", lang, n=f"{int(counts.get(year, 0)):,}"))
        names = _names(c, places.by_year(year), font_pt, font_px, frame_box, avoid)
        c.render([c.year, c.count, c.unknown, *names])
        yield Frame(year, c.rgb(), (c.year.get_text(), c.count.get_text(), c.unknown.get_text()))
        # Bake this year's arcs into the background in their settled style for the years after.
        c.canvas.restore_region(c.background)
        settled = c.arcs_artist(segs, cols, new=False) if rows else []
        c.render(settled)
        c.background = c.canvas.copy_from_bbox(c.fig.bbox)
        for a in new_artists + settled + names:
            a.remove()


class _Places:
    """The ends of the dated pairings with their names (`labels.place_labels`), read once, ranked for any year as
    `labels.ranked_places` ranks them (most pairings so far, Chinese ends first, then by name) — ranking afresh
    for each of ~50 frames cost more than drawing them."""

    def __init__(self, placed: pd.DataFrame, lang: str) -> None:
        self.places = labels.place_labels(placed, lang).set_index("place_id")
        ends = pd.concat([placed[["cn_place_id", "year"]].set_axis(["place_id", "year"], axis=1),
                          placed[["partner_place_id", "year"]].set_axis(["place_id", "year"], axis=1)])
        self.per_year = ends.groupby(["year", "place_id"]).size().unstack(fill_value=0).sort_index().cumsum()

    def by_year(self, year: int) -> pd.DataFrame:
        rows = self.per_year.loc[self.per_year.index <= year]
        if rows.empty:
            return pd.DataFrame(columns=["label", "lon", "lat", "side", "pairings"])
        counts = rows.iloc[-1]
        counts = counts[counts > 0]
        out = self.places.loc[counts.index].assign(pairings=counts.to_numpy()).reset_index()
        return out.sort_values(["pairings", "side", "label"], ascending=[False, True, True]).reset_index(drop=True)


def _names(c: _Canvas, ranked: pd.DataFrame, font_pt: float, font_px: float, bounds: image.Box,
           avoid: tuple[image.Box, ...]) -> list[Any]:
    """The busiest places so far, named without overlaps (`image.fit_sides`)."""
    import matplotlib.patheffects as pe

    ranked = ranked.head(LABELS_PER_FRAME * 4)
    if ranked.empty:
        return []
    plon = pacific_lon_array(ranked["lon"].astype(float))
    xy = c.ax.transData.transform(np.column_stack([plon, ranked["lat"].to_numpy(float)]))
    x, y = xy[:, 0], c.fig.bbox.height - xy[:, 1]
    ranked = ranked.assign(plon=plon)
    chosen = image.fit_sides(ranked, x, y, font_px * 1.05, limit=LABELS_PER_FRAME, bounds=bounds, avoid=avoid)
    out = []
    for row in chosen.itertuples(index=False):
        right = row.side_of_point == "right"
        out.append(c.ax.annotate(
            str(row.label), xy=(float(row.plon), float(row.lat)),  # type: ignore[arg-type]
            xytext=((4 if right else -4) * 72 / c.dpi, 0),
            textcoords="offset points", va="center", ha="left" if right else "right", fontproperties=c.font,
            fontsize=font_pt, color=mapview.CN_COLOR if row.side == "cn" else mapview.PARTNER_COLOR, zorder=8,
            annotation_clip=False, animated=True,
            path_effects=[pe.withStroke(linewidth=2.6 * c.scale, foreground="white")]))
    return out


def growth_gif(atlas: load.Atlas, filters: Filters, focus: Focus = NO_FOCUS) -> bytes:
    """The growth as a looping GIF (1280×720): one shared palette, so colours do not flicker between frames."""
    from PIL import Image

    shots = [Image.fromarray(f.rgb) for f in frames(atlas, filters, GIF_SIZE, GIF_DPI)]
    # One palette for all frames (no flicker): the page's own colours exactly, and the arcs' colours as the first,
    # middle and last frames have them.
    sample = Image.new("RGB", (shots[0].width, shots[0].height * 3))
    for n, shot in enumerate((shots[0], shots[len(shots) // 2], shots[-1])):
        sample.paste(shot, (0, shot.height * n))
    fixed = [(255, 255, 255), *(_rgb(c) for c in PAGE_COLORS)]
    found = sample.quantize(colors=254 - len(fixed), method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    entries = [c for rgb in fixed for c in rgb] + (found.getpalette() or [])[:3 * (254 - len(fixed))]
    palette = Image.new("P", (1, 1))
    palette.putpalette(entries + [0] * (768 - len(entries)))
    indexed = [np.asarray(s.quantize(palette=palette, dither=Image.Dither.NONE)) for s in shots]
    # Each frame after the first keeps only what changed; the rest is transparent and shows the frame before,
    # which makes the file several times smaller than whole frames.
    frames_out = [Image.fromarray(indexed[0], "P")]
    for before, now in zip(indexed, indexed[1:], strict=False):
        delta = np.where(now == before, TRANSPARENT, now).astype(np.uint8)
        frames_out.append(Image.fromarray(delta, "P"))
    for f in frames_out:
        f.putpalette(entries + [0] * (768 - len(entries)))
    durations = [YEAR_MS] * (len(frames_out) - 1) + [HOLD_MS]
    buf = io.BytesIO()
    frames_out[0].save(buf, format="GIF", save_all=True, append_images=frames_out[1:], duration=durations, loop=0,
                       optimize=False, disposal=1, transparency=TRANSPARENT)
    return buf.getvalue()


def growth_mp4(atlas: load.Atlas, filters: Filters, focus: Focus = NO_FOCUS) -> bytes:
    """The growth as an H.264 MP4 (1920×1080, yuv420p, fast start): what PowerPoint and WPS play."""
    import imageio_ffmpeg

    per_year = max(1, round(YEAR_MS / 1000 * MP4_FPS))
    hold = round(HOLD_MS / 1000 * MP4_FPS)
    fd, path = tempfile.mkstemp(suffix=".mp4")
    os.close(fd)
    try:
        writer = imageio_ffmpeg.write_frames(
            path, MP4_SIZE, fps=MP4_FPS, codec="libx264", pix_fmt_out="yuv420p", macro_block_size=8,
            quality=None, bitrate=None, ffmpeg_log_level="error",
            output_params=["-crf", "23", "-preset", "veryfast", "-movflags", "+faststart"])
        writer.send(None)
        last = None
        for frame in frames(atlas, filters, MP4_SIZE, MP4_DPI):
            for _ in range(per_year):
                writer.send(frame.rgb)
            last = frame.rgb
        for _ in range(hold if last is not None else 0):
            writer.send(last)
        writer.close()
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.unlink(path)
