"""Data and import: browse the filtered pairings with their sources, download them, import a list of one's own."""

from __future__ import annotations

import hashlib
import re

import pandas as pd
import streamlit as st

from geo import export
from geo._validate import AtlasDataError
from geo.i18n import label, t
from geo.sources import merge, registry_fetch, registry_json, user_csv
from geo.sources.report import ImportResult
from pages.ui import blocks, exports, session, state
from pages.ui.text import caption, error, info, markdown, say

lang = session.lang()
f = state.current()
shown = session.filtered(f)
SEARCHED = ["cn_name_zh", "cn_name_en", "cn_province_zh", "cn_province_en", "partner_name_en", "partner_name_zh",
            "partner_country_en", "partner_country_zh", "source", "established", "pair_id", "tie_basis"]
# Column of the table -> its header key; the country column follows the interface language.
COLUMNS = {"pair_id": "col_pair_id", "cn_name_zh": "col_cn_zh", "cn_name_en": "col_cn_en",
           "cn_province_zh": "col_province_zh", "partner_name_zh": "col_partner_zh",
           "partner_name_en": "col_partner_en", f"partner_country_{lang}": f"col_country_{lang}",
           "established": "col_established", "tie_type": "col_tie_type", "tie_basis": "col_tie_basis",
           "status": "col_status", "source": "col_source"}
_URL = re.compile(r"https?://[^\s)|;,]+")


def browse() -> None:
    """The filtered pairings, narrowed by a search box, with sources and downloads."""
    needle = st.text_input(t("data_search", lang), key="data_q", max_chars=100).strip().lower()
    table = shown
    if needle:
        mask = pd.Series(False, index=table.index)
        for col in SEARCHED:
            mask |= table[col].astype(str).str.lower().str.contains(needle, regex=False, na=False)
        table = table[mask]
    if table.empty:
        st.info(t("data_no_match", lang))
        return
    st.caption(t("data_rows", lang, n=f"{len(table):,}"))
    view = table[[c for c in COLUMNS if c in table.columns]].copy()
    view["tie_type"] = [label("tie", str(v), lang) for v in view["tie_type"]]
    if "status" in view:
        view["status"] = [label("status", str(v) or "active", lang) for v in view["status"]]
    view["source_url"] = table["source"].map(lambda s: (m.group(0) if (m := _URL.search(str(s))) else None))
    config = {k: st.column_config.TextColumn(t(v, lang)) for k, v in COLUMNS.items()}
    config["source_url"] = st.column_config.LinkColumn(t("data_source_link", lang))
    st.dataframe(view, hide_index=True, width="stretch", column_config=config, height=420)
    exports.table_downloads(table, lang, "data", "data")


def show_report(result: ImportResult, token: str) -> None:
    """Counts, the row-by-row table (problems first), and the button that makes the result this session's data."""
    counts = result.counts
    st.success(say("import_done", file=result.file, encoding=result.encoding))
    markdown("import_counts", **{k: f"{v:,}" for k, v in counts.items()})
    if result.blank_rows:
        caption("import_blank", n=f"{len(result.blank_rows):,}", rows=result.blank_spans())
    report = result.report.copy()
    report["status"] = report["status"].map(lambda s: t(f"report_status_{s}", lang))
    report.columns = [t(k, lang) for k in ("report_row", "report_status", "report_pair", "report_message")]
    # As tall as its rows (up to ten, then it scrolls): a fixed height drew empty grid lines under a short report.
    st.dataframe(report, hide_index=True, width="stretch", height=35 * (min(len(report), 10) + 1) + 3)
    exports.button(st, t("report_download", lang), lambda: report.to_csv(index=False).encode("utf-8-sig"),
                   "import-report", "csv", "text/csv", "report_csv")
    usable = session.dataset_token() != token and counts["total"] > counts["rejected"]
    if usable and st.button(t("import_use", lang), key="import_use", type="primary"):
        session.use_import(merge.to_atlas(session.embedded_atlas(), result), token, result.file)
        st.rerun()


def run_import(data: bytes, name: str, json_file: bool) -> None:
    """Import once per file content (kept for the session), then show the report."""
    token = hashlib.sha256(data).hexdigest()[:16]
    cached = st.session_state.get("import_result")
    if cached is None or cached[0] != token:
        try:
            base = session.embedded_atlas()
            result = registry_json.import_registry(data, base, file=name, lang=lang) if json_file else \
                user_csv.import_csv(data, base, file=name, lang=lang)
        except AtlasDataError as exc:
            error("import_failed", error=exc.problem)
            return
        st.session_state["import_result"] = (token, result)
    else:
        result = cached[1]
    show_report(result, token)


def importer() -> None:
    st.header(t("import_title", lang))
    kind = st.radio(t("import_kind", lang), ["csv", "json"], key="import_kind", horizontal=True,
                    format_func=lambda k: t(f"import_kind_{k}", lang))
    st.caption(t(f"import_help_{kind}", lang))
    upload = st.file_uploader(t("import_file", lang), type=["csv", "txt", "tsv"] if kind == "csv" else ["json", "txt"],
                              key=f"import_file_{kind}")
    if upload is not None:
        run_import(upload.getvalue(), upload.name, kind == "json")
    if session.imported_name() is not None:
        merged = session.atlas().pairings
        exports.button(st, t("data_save_merged", lang), lambda: export.export_csv(merged, lang), "merged", "csv",
                       "text/csv", "data_merged")
    with st.expander(t("fetch_title", lang), expanded=False):
        st.warning(t("fetch_warning", lang))
        agreed = st.checkbox(t("fetch_confirm", lang), value=False, key="fetch_confirm")
        if st.button(t("fetch_run", lang), key="fetch_run", disabled=not agreed):
            try:
                st.session_state["fetched_registry"] = registry_fetch.fetch_registry(lang=lang)
            except AtlasDataError as exc:
                error("fetch_failed", error=exc.problem)
        fetched: bytes | None = st.session_state.get("fetched_registry")
        if fetched:
            exports.button(st, t("fetch_save", lang), lambda: fetched, "registry", "json", "application/json",
                           "fetch_save")
            run_import(fetched, registry_json.NAME, True)


blocks.header("data_title", t("data_intro", lang))
if session.imported_name() is not None:
    c1, c2 = st.columns([3, 1])
    with c1:
        info("data_using_import", name=session.imported_name())
    c2.button(t("data_back", lang), key="data_back", on_click=session.drop_import)
blocks.figures(shown)
browse()
importer()
