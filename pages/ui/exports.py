"""Download buttons. Each file is built only when its button is clicked (Streamlit calls a callable `data` on
click), so a page run never pays for exports nobody asked for.

`MAP_EXPORTS` is the table of the map page's buttons; adding an export is a function in `geo.export` and one
row here.
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


@dataclass(frozen=True)
class View:
    """What an export is made from: the pairings shown, the filters, the dataset and the map payload."""

    shown: pd.DataFrame
    filters: Filters
    atlas: load.Atlas
    map_args: dict[str, Any]

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


MAP_EXPORTS = [
    Export("download_png", "slide", "png", "image/png",
           lambda v: export.export_png(v.shown, v.atlas, v.filters, v.lang)),
    Export("download_png_print", "print-a4", "png", "image/png",
           lambda v: export.export_png(v.shown, v.atlas, v.filters, v.lang, size=export.PRINT_SIZE,
                                       dpi=export.PRINT_DPI)),
    Export("download_html", "map", "html", "text/html", _html),
    Export("download_csv", "pairings", "csv", "text/csv", lambda v: export.export_csv(v.shown, v.lang)),
    Export("download_xlsx", "pairings", "xlsx", XLSX,
           lambda v: export.export_excel(v.shown, v.lang, note=v.summary, about=[export.source_line(v.lang)])),
]


def file_name(stem: str, ext: str) -> str:
    """'youcheng-atlas-map-2026-11-05.png': the app, the view and today's date."""
    return f"youcheng-atlas-{stem}-{date.today().isoformat()}.{ext}"


def button(where: Any, label: str, make: Callable[[], bytes | str], stem: str, ext: str, mime: str,
           key: str) -> None:
    """One lazily made download."""
    where.download_button(label, data=make, file_name=file_name(stem, ext), mime=mime, key=key, on_click="ignore",
                          width="stretch")


def render(view: View, exports: list[Export] = MAP_EXPORTS, key: str = "exp") -> None:
    """A row of download buttons for `view`."""
    st.caption(f"{t('exports', view.lang)} · {t('exports_help', view.lang)}")
    for n, (col, e) in enumerate(zip(st.columns(len(exports)), exports, strict=True)):
        button(col, t(e.label, view.lang), _maker(e, view), e.stem, e.ext, e.mime, f"{key}_{n}")
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
