"""Download buttons. Each file is built only when its button is clicked (Streamlit calls a callable `data` on
click), so a page run never pays for exports nobody asked for — the GIF, MP4 and deck take seconds.

`MAP_EXPORTS` is the table of the map page's buttons, drawn in rows of `PER_ROW`; adding an export is a function
in `geo.export` (and its row in `geo.export.BUILDERS`) and one row here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from geo import export, load
from geo.export import tables
from geo.filters import Filters
from geo.i18n import t

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PER_ROW = 5


@dataclass(frozen=True)
class View:
    """What an export is made from: the pairings shown, the filters, the dataset, the map payload and what the
    user focused (a pairing, a book case, a city)."""

    shown: pd.DataFrame
    filters: Filters
    atlas: load.Atlas
    map_args: dict[str, Any]
    focus: export.Focus = export.NO_FOCUS

    @property
    def lang(self) -> str:
        return self.filters.lang

    @property
    def summary(self) -> str:
        return export.filter_summary(self.filters, self.atlas, self.lang)


@dataclass(frozen=True)
class Export:
    label: str  # catalogue key
    stem: str  # file name part
    ext: str
    mime: str
    make: Callable[[View], bytes | str]


def _html(v: View) -> str:
    title = f"{t('app_title', v.lang)} — {v.summary}"
    return export.export_html(v.map_args, title, t("data_date", v.lang, date=export.data_as_of(v.atlas)))


def _built(name: str) -> Callable[[View], bytes]:
    """A file of `geo.export.BUILDERS`, for the view and its focus."""
    return lambda v: export.BUILDERS[name](v.atlas, v.filters, v.focus)


MAP_EXPORTS = [
    Export("download_png", "slide", "png", "image/png", _built("png_slide")),
    Export("download_png_print", "print-a4", "png", "image/png", _built("png_print")),
    Export("download_svg", "print-a4", "svg", "image/svg+xml", _built("svg_print")),
    Export("download_pdf", "print-a4", "pdf", "application/pdf", _built("pdf_print")),
    Export("download_pptx", "briefing", "pptx", PPTX, _built("pptx_deck")),
    Export("download_gif", "growth", "gif", "image/gif", _built("gif_growth")),
    Export("download_mp4", "growth", "mp4", "video/mp4", _built("mp4_growth")),
    Export("download_html", "map", "html", "text/html", _html),
    Export("download_csv", "pairings", "csv", "text/csv", lambda v: export.export_csv(v.shown, v.lang)),
    Export("download_xlsx", "pairings", "xlsx", XLSX,
           lambda v: export.export_excel(v.shown, v.lang, note=v.summary, about=[export.source_line(v.lang)])),
]


def file_name(stem: str, ext: str, slug: str = "") -> str:
    """'youcheng-atlas-slide-africa-2026-11-05.png': the app, the kind of file, the view (`export.view_slug`) and
    today's date, so files of different views do not overwrite each other."""
    return f"youcheng-atlas-{stem}{'-' + slug if slug else ''}-{date.today().isoformat()}.{ext}"


def button(where: Any, label: str, make: Callable[[], bytes | str], stem: str, ext: str, mime: str,
           key: str, slug: str = "") -> None:
    """One lazily made download."""
    where.download_button(label, data=make, file_name=file_name(stem, ext, slug), mime=mime, key=key,
                          on_click="ignore", width="stretch")


def render(view: View, exports: list[Export] = MAP_EXPORTS, key: str = "exp") -> None:
    """Rows of download buttons for `view`."""
    st.caption(f"{t('exports', view.lang)} · {t('exports_help', view.lang)}")
    for start in range(0, len(exports), PER_ROW):
        row = exports[start:start + PER_ROW]
        for n, (col, e) in enumerate(zip(st.columns(PER_ROW), row, strict=False), start=start):
            button(col, t(e.label, view.lang), _maker(e, view), e.stem, e.ext, e.mime, f"{key}_{n}",
                   slug=export.view_slug(view.filters))
    row_cap_note(len(view.shown), view.lang)


def row_cap_note(rows: int, lang: str) -> None:
    """Say before the click when a workbook cannot hold every row (the file says it too)."""
    capped = tables.excel_capped(rows, lang)
    if capped:
        st.caption(capped)


def _maker(e: Export, view: View) -> Callable[[], bytes | str]:
    return lambda: e.make(view)


def table_downloads(rows: pd.DataFrame, lang: str, stem: str, key: str) -> None:
    """CSV and Excel of a table of pairings, side by side."""
    c1, c2 = st.columns(2)
    button(c1, t("download_csv", lang), lambda: export.export_csv(rows, lang), stem, "csv", "text/csv", f"{key}_csv")
    button(c2, t("download_xlsx", lang), lambda: export.export_excel(rows, lang), stem, "xlsx", XLSX, f"{key}_xlsx")
    row_cap_note(len(rows), lang)
