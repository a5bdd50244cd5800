"""Data and import: browse the filtered pairings with their sources, download them, import a list of one's own."""

from __future__ import annotations

import hashlib
import re

import pandas as pd
import streamlit as st

from geo import export, sources
from geo._validate import AtlasDataError
from geo.i18n import md_escape
from geo.i18n import t as translate
from geo.sources import registry_json, user_csv
from geo.sources.report import ImportResult
from pages import _exports, _ui

_ui.ensure_inside_app()

language = _ui.lang()


def t(key: str, **fmt: object) -> str:
    return translate(key, language, **fmt)


def md(text: object) -> str:
    """User-controlled text (file names, header cells) made inert for st.markdown-based messages."""
    return md_escape(str(text), limit=None)


a = _ui.atlas()
shown = _ui.filtered()

st.title(t("data_title"))
st.caption(t("data_intro"))
_ui.show_url_warnings()

if st.session_state.get("imported_atlas") is not None:
    c1, c2 = st.columns([3, 1])
    c1.info(t("data_using_import", name=md(st.session_state.get("imported_name", ""))))
    if c2.button(t("data_back"), key="data_back"):
        for key in ("imported_atlas", "imported_token", "imported_name"):
            st.session_state.pop(key, None)
        st.rerun()

_ui.figures(shown)

needle = st.text_input(t("data_search"), key="data_q", max_chars=100).strip().lower()
table = shown
if needle:
    cols = ["cn_name_zh", "cn_name_en", "cn_province_zh", "cn_province_en", "partner_name_en", "partner_name_zh",
            "partner_country_en", "partner_country_zh", "source", "established", "pair_id"]
    mask = pd.Series(False, index=table.index)
    for col in cols:
        mask |= table[col].astype(str).str.lower().str.contains(needle, regex=False, na=False)
    table = table[mask]

_URL = re.compile(r"https?://[^\s)|;,]+")
if table.empty:
    st.info(t("data_no_match"))
else:
    st.caption(t("data_rows", n=f"{len(table):,}"))
    view = table[["pair_id", "cn_name_zh", "cn_name_en", "cn_province_zh", "partner_name_zh", "partner_name_en",
                  "partner_country_zh" if language == "zh" else "partner_country_en", "established", "tie_type",
                  "source"]].copy()
    view["source_url"] = table["source"].map(lambda s: (m.group(0) if (m := _URL.search(str(s))) else None))
    names = {"pair_id": t("col_pair_id"), "cn_name_zh": t("col_cn_zh"), "cn_name_en": t("col_cn_en"),
             "cn_province_zh": t("col_province_zh"), "partner_name_zh": t("col_partner_zh"),
             "partner_name_en": t("col_partner_en"), "partner_country_zh": t("col_country_zh"),
             "partner_country_en": t("col_country_en"), "established": t("col_established"),
             "tie_type": t("col_tie_type"), "source": t("col_source")}
    config = {k: st.column_config.TextColumn(v) for k, v in names.items()}
    config["source_url"] = st.column_config.LinkColumn(t("data_source_link"))
    st.dataframe(view, hide_index=True, width="stretch", column_config=config, height=420)
    c1, c2 = st.columns(2)
    c1.download_button(t("download_csv"), data=lambda: export.export_csv(table, language),
                       file_name=_exports.file_name("data", "csv"), mime="text/csv", key="data_csv",
                       on_click="ignore")
    c2.download_button(t("download_xlsx"), data=lambda: export.export_excel(table, language),
                       file_name=_exports.file_name("data", "xlsx"), key="data_xlsx", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

# --- import -----------------------------------------------------------------------------------------------------
st.header(t("import_title"))
kind = st.radio(t("import_kind"), ["csv", "json"], key="import_kind", horizontal=True,
                format_func=lambda k: t(f"import_kind_{k}"))
st.caption(t(f"import_help_{kind}"))
upload = st.file_uploader(t("import_file"), type=["csv", "txt", "tsv"] if kind == "csv" else ["json", "txt"],
                          key=f"import_file_{kind}")


def _show_report(result: ImportResult, token: str) -> None:
    """Counts, the row-by-row table (problems first), and the button that makes the result this session's data."""
    counts = result.counts
    st.success(t("import_done", file=md(result.file), encoding=result.encoding))
    st.markdown(t("import_counts", **{k: f"{v:,}" for k, v in counts.items()}))
    report = result.report.copy()
    report["status"] = report["status"].map(lambda s: t(f"status_{s}"))
    report.columns = [t("report_row"), t("report_status"), t("report_pair"), t("report_message")]
    st.dataframe(report, hide_index=True, width="stretch", height=300)
    st.download_button(t("report_download"), data=lambda: report.to_csv(index=False).encode("utf-8-sig"),
                       file_name=_exports.file_name("import-report", "csv"), mime="text/csv", key="report_csv",
                       on_click="ignore")
    usable = st.session_state.get("imported_token") != token and counts["total"] > counts["rejected"]
    if usable and st.button(t("import_use"), key="import_use", type="primary"):
        st.session_state["imported_atlas"] = sources.to_atlas(_ui.embedded_atlas(), result)
        st.session_state["imported_token"] = token
        st.session_state["imported_name"] = result.file
        st.rerun()


def _run_import(data: bytes, name: str, json_file: bool) -> None:
    token = hashlib.sha256(data).hexdigest()[:16]
    cached = st.session_state.get("import_result")
    if cached is None or cached[0] != token:
        try:
            base = _ui.embedded_atlas()
            result = registry_json.import_registry(data, base, file=name, lang=language) if json_file else \
                user_csv.import_csv(data, base, file=name, lang=language)
        except AtlasDataError as exc:
            st.error(t("import_failed", error=md(exc)))
            return
        st.session_state["import_result"] = (token, result)
    else:
        result = cached[1]
    _show_report(result, token)


if upload is not None:
    _run_import(upload.getvalue(), upload.name, kind == "json")

if st.session_state.get("imported_atlas") is not None:
    merged = st.session_state["imported_atlas"].pairings
    st.download_button(t("data_save_merged"), data=lambda: export.export_csv(merged, language),
                       file_name=_exports.file_name("merged", "csv"), mime="text/csv", key="data_merged",
                       on_click="ignore")

with st.expander(t("fetch_title"), expanded=False):
    st.warning(t("fetch_warning"))
    agreed = st.checkbox(t("fetch_confirm"), value=False, key="fetch_confirm")
    if st.button(t("fetch_run"), key="fetch_run", disabled=not agreed):
        try:
            downloaded = registry_json.fetch_registry(lang=language)
        except AtlasDataError as exc:
            st.error(md(exc.problem))
        else:
            st.session_state["fetched_registry"] = downloaded
    fetched: bytes | None = st.session_state.get("fetched_registry")
    if fetched:
        st.download_button(t("fetch_save"), data=fetched, file_name=_exports.file_name("registry", "json"),
                           mime="application/json", key="fetch_save", on_click="ignore")
        _run_import(fetched, "registry.json", True)
