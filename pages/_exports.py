"""Download buttons for the current view: slide and print PNG, offline HTML map, CSV and Excel.

Each file is built only when the user clicks its button (streamlit runs a callable `data` on click), so a page
run never pays for exports nobody asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from geo import export, load
from geo.filters import Filters
from geo.i18n import t


def file_name(stem: str, ext: str) -> str:
    """'youcheng-atlas-map-2026-11-05.png': the app, the view and today's date."""
    return f"youcheng-atlas-{stem}-{date.today().isoformat()}.{ext}"


def render_export_buttons(shown: pd.DataFrame, filters: Filters, atlas: load.Atlas, map_args: dict[str, Any]
                          ) -> None:
    """Five download buttons in a row; each file is made lazily on click."""
    lang = filters.lang
    summary = export.filter_summary(filters, atlas, lang)
    title = f"{t('app_title', lang)} — {summary}"

    def png_slide() -> bytes:
        return export.export_png(shown, atlas, filters, lang)

    def png_print() -> bytes:
        return export.export_png(shown, atlas, filters, lang, size=export.PRINT_SIZE, dpi=export.PRINT_DPI)

    def html() -> str:
        return export.export_html(map_args, title, t("data_date", lang, date=export.data_as_of(atlas)))

    def csv() -> bytes:
        return export.export_csv(shown, lang)

    def xlsx() -> bytes:
        return export.export_excel(shown, lang, note=summary)

    st.caption(f"{t('exports', lang)} · {t('exports_help', lang)}")
    cols = st.columns(5)
    buttons: list[tuple[str, Callable[[], str | bytes], str, str, str]] = [
        (t("download_png", lang), png_slide, file_name("slide", "png"), "image/png", "exp_png"),
        (t("download_png_print", lang), png_print, file_name("print-a4", "png"), "image/png", "exp_png_print"),
        (t("download_html", lang), html, file_name("map", "html"), "text/html", "exp_html"),
        (t("download_csv", lang), csv, file_name("pairings", "csv"), "text/csv", "exp_csv"),
        (t("download_xlsx", lang), xlsx, file_name("pairings", "xlsx"),
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "exp_xlsx"),
    ]
    for col, (label, make, name, mime, key) in zip(cols, buttons, strict=True):
        col.download_button(label, data=make, file_name=name, mime=mime, key=key, on_click="ignore",
                            width="stretch")
