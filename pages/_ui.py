"""Streamlit glue shared by app.py and the pages: cached loaders, the shared sidebar, the map component.

Everything worth testing lives in `geo`; this module only reads widgets and the URL and calls it.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from geo import cases as geo_cases
from geo import filters as geo_filters
from geo import load, mapview, paths, stats
from geo.affinity import AFFINITIES
from geo.filters import Filters
from geo.i18n import cn_label, md_escape, partner_label, pick, t
from geo.regions import LEVEL_CLASSES, MACRO_REGIONS

_atlas_map = components.declare_component("atlas_map", path=str(paths.COMPONENT_DIR))

PAGES_DIR = paths.ROOT / "pages"

# Query keys that belong to one page, not to the shared filters; kept when the sidebar rewrites the URL.
PAGE_KEYS = ("case", "city", "pair", "tab")


@st.cache_resource(show_spinner=False)
def embedded_atlas() -> load.Atlas:
    """The embedded dataset, loaded and validated once per server process (read-only by convention)."""
    return load.load_atlas()


@st.cache_resource(show_spinner=False)
def case_list() -> list[dict[str, Any]]:
    return geo_cases.load_cases(paths.CASES)


@st.cache_resource(show_spinner=False)
def country_points() -> pd.DataFrame:
    return load.read_table(paths.COUNTRY_POINTS, ["iso3", "lon", "lat"])


def atlas() -> load.Atlas:
    """The dataset this session works on: an imported one if the user loaded one, else the embedded one."""
    imported = st.session_state.get("imported_atlas")
    return imported if imported is not None else embedded_atlas()


def case_links() -> dict[int, str | None]:
    return geo_cases.resolve(case_list(), atlas().pairings)


def vocabulary() -> geo_filters.Vocabulary:
    a = atlas()
    return geo_filters.vocabulary(a.pairings, a.eras, list(a.bri["bri_group"]), list(a.provinces["province_en"]),
                                  sorted(a.pairings["partner_country_iso3"].unique()))


def lang() -> str:
    return str(st.session_state.get("lang", "zh"))


def current_filters() -> Filters:
    return st.session_state.get("filters", Filters())  # type: ignore[no-any-return]


def _options_label(table: dict[str, tuple[str, str]], language: str):  # type: ignore[no-untyped-def]
    return lambda key: table.get(key, (key, key))[0 if language == "zh" else 1]


def init_from_url() -> list[str]:
    """On a session's first run, seed the widgets from the URL. Returns warnings for bad URL values."""
    if st.session_state.get("_seeded"):
        return []
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    f, warnings = geo_filters.from_query(params, vocabulary())
    st.session_state.update({
        "lang": f.lang, "w_eras": list(f.eras), "w_years": (f.year_min, f.year_max), "w_unknown": f.include_unknown,
        "w_continents": list(f.continents), "w_subregions": list(f.subregions), "w_bri": list(f.bri_groups),
        "w_provinces": list(f.provinces), "w_macro": list(f.macro_regions), "w_levels": list(f.levels),
        "w_countries": list(f.countries), "w_affinities": list(f.affinities), "w_formal": f.formal_only,
        "w_search": f.search, "w_color": f.color_by, "w_mode": f.mode, "_seeded": True,
        "url_warnings": warnings,
    })
    return warnings


def reset_filters() -> None:
    for key in list(st.session_state):
        if key.startswith("w_"):
            del st.session_state[key]
    st.session_state["_seeded"] = False
    st.query_params.clear()
    st.query_params["lang"] = lang()


def sidebar() -> Filters:
    """Draw the shared filter widgets and write the filters to the URL. The page has already read them
    (`filters_from_state`); a change here reruns the script, which then reads the new values first."""
    init_from_url()
    a = atlas()
    vocab = vocabulary()
    language = lang()
    sb = st.sidebar
    sb.radio(t("language", language), ["zh", "en"], key="lang", horizontal=True,
             format_func=lambda code: "中文" if code == "zh" else "English")
    language = lang()
    sb.header(t("filters", language))
    era_names = {e.era_id: (f"{e.era_id} {e.label_zh} {e.start_year}–{e.end_year or '至今'}",
                            f"{e.era_id} {e.label_en} {e.start_year}–{e.end_year or 'now'}") for e in a.eras.itertuples()}
    era_names["unknown"] = (t("unknown_era", "zh"), t("unknown_era", "en"))
    sb.multiselect(t("era", language), vocab.eras, key="w_eras", format_func=_options_label(era_names, language),
                   placeholder=t("all", language))
    sb.slider(t("years", language), geo_filters.FIRST_YEAR, vocab.last_year, key="w_years")
    sb.checkbox(t("include_unknown", language), key="w_unknown")
    continent_names = dict(zip(a.pairings["continent_en"], zip(a.pairings["continent_zh"], a.pairings["continent_en"],
                                                                strict=True), strict=True))
    sb.multiselect(t("continent", language), vocab.continents, key="w_continents",
                   format_func=_options_label(continent_names, language), placeholder=t("all", language))
    sub_names = dict(zip(a.pairings["subregion_en"], zip(a.pairings["subregion_zh"], a.pairings["subregion_en"],
                                                         strict=True), strict=True))
    sb.multiselect(t("subregion", language), vocab.subregions, key="w_subregions",
                   format_func=_options_label(sub_names, language), placeholder=t("all", language))
    bri_names = {r.bri_group: (r.group_zh, r.group_en) for r in a.bri.itertuples()}
    bri_names["none"] = ("非沿线国家", "Not on the list")
    sb.multiselect(t("bri_group", language), vocab.bri_groups, key="w_bri",
                   format_func=_options_label(bri_names, language), placeholder=t("all", language))
    sb.multiselect(t("macro_region", language), vocab.macro_regions, key="w_macro",
                   format_func=_options_label(MACRO_REGIONS, language), placeholder=t("all", language))
    prov_names = {r.province_en: (r.province_zh, r.province_en) for r in a.provinces.itertuples()}
    sb.multiselect(t("province", language), vocab.provinces, key="w_provinces",
                   format_func=_options_label(prov_names, language), placeholder=t("all", language))
    sb.multiselect(t("level", language), vocab.levels, key="w_levels",
                   format_func=_options_label(LEVEL_CLASSES, language), placeholder=t("all", language))
    ctry_names = {r.iso3: (r.name_zh, r.name_en) for r in a.countries.itertuples()}
    sb.multiselect(t("country", language), vocab.countries, key="w_countries",
                   format_func=_options_label(ctry_names, language), placeholder=t("all", language))
    sb.multiselect(t("affinity", language), vocab.affinities, key="w_affinities",
                   format_func=_options_label(AFFINITIES, language), placeholder=t("all", language))
    sb.checkbox(t("formal_only", language), key="w_formal")
    sb.text_input(t("search", language), key="w_search", max_chars=geo_filters.MAX_SEARCH)
    sb.button(t("reset", language), on_click=reset_filters)

    sync_url(current_filters())
    return current_filters()


def filters_from_state() -> Filters:
    """The shared filters as the widgets hold them at the start of this run (seeded from the URL on a session's
    first run). Read before the sidebar is drawn, so the page can be sent to the browser first."""
    init_from_url()
    ss = st.session_state
    years = ss.get("w_years", (geo_filters.FIRST_YEAR, vocabulary().last_year))
    f = Filters(
        lang=lang(), eras=tuple(ss.get("w_eras", ())), year_min=int(years[0]), year_max=int(years[1]),
        include_unknown=bool(ss.get("w_unknown", True)), continents=tuple(ss.get("w_continents", ())),
        subregions=tuple(ss.get("w_subregions", ())), bri_groups=tuple(ss.get("w_bri", ())),
        provinces=tuple(ss.get("w_provinces", ())), macro_regions=tuple(ss.get("w_macro", ())),
        levels=tuple(ss.get("w_levels", ())), countries=tuple(ss.get("w_countries", ())),
        affinities=tuple(ss.get("w_affinities", ())), formal_only=bool(ss.get("w_formal", False)),
        search=str(ss.get("w_search", "")), color_by=str(ss.get("w_color", "era")),
        mode=str(ss.get("w_mode", "arcs")),
    )
    ss["filters"] = f
    return f


def sync_url(f: Filters) -> None:
    """Write the filters to the URL, keeping page-specific keys (case, city, pair)."""
    kept = {k: st.query_params[k] for k in PAGE_KEYS if k in st.query_params}
    wanted = {**geo_filters.to_query(f), **kept}
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def stats_header(title: str, intro: str, shown: pd.DataFrame) -> bool:
    """Title, intro, URL warnings and figures of a statistics page; False (after saying so) when nothing matches."""
    st.title(title)
    st.caption(intro)
    show_url_warnings()
    figures(shown)
    if shown.empty:
        st.info(t("no_match", lang()))
        return False
    return True


def show_url_warnings() -> None:
    for w in st.session_state.pop("url_warnings", []) or []:
        st.warning(w, icon="⚠️")


def filtered() -> pd.DataFrame:
    return geo_filters.apply(atlas().pairings, current_filters())


def figures(shown: pd.DataFrame) -> None:
    """The headline figures above a map or chart."""
    language = lang()
    s = stats.summary(shown, len(atlas().pairings))
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric(t("shown", language), f"{s.shown:,}", help=t("of_total", language, total=f"{s.total:,}"))
    c1.caption(t("of_total", language, total=f"{s.total:,}"))
    c2.metric(t("countries_n", language), s.countries)
    c3.metric(t("provinces_n", language), s.provinces)
    c4.metric(t("dated_share", language), f"{s.dated_share:.0%}")
    c5.metric(t("placed_share", language), f"{s.placed_share:.0%}")


def atlas_map(args: dict[str, Any], key: str) -> Any:
    """Render the Leaflet component; returns the last click event (or None)."""
    # Each payload field is its own component argument: the browser reads them as `args.arcs`, `args.places`, ...
    return _atlas_map(**args, key=key, default=None)


def with_lang(f: Filters) -> Filters:
    return replace(f, lang=lang())


def unplaced_list(shown: pd.DataFrame) -> None:
    """List, never drop, the pairings that cannot be drawn (as text: cheaper than a table on the map page)."""
    language = lang()
    missing = shown[~shown["placed"]]
    if missing.empty:
        return
    with st.expander(t("unplaced_title", language, n=len(missing))):
        st.caption(t("unplaced_help", language))
        lines = []
        for row in missing.to_dict("records"):
            country = pick(row, "partner_country", language) or row["partner_country_iso3"]
            province = pick(row, "cn_province", language) or "?"
            lines.append(f"- {md_escape(cn_label(row, language), 80)} ({md_escape(province)}) — "
                         f"{md_escape(partner_label(row, language), 80)}, {md_escape(country)}")
        st.markdown("\n".join(lines))


def sidebar_hidden() -> Filters:
    """Presentation mode: filters come from the URL alone and the sidebar is hidden."""
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    f, warnings = geo_filters.from_query(params, vocabulary())
    st.session_state["filters"] = f
    st.session_state["url_warnings"] = warnings
    st.markdown("<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],"
                "header[data-testid='stHeader']{display:none !important;}"
                ".block-container{padding-top:0.6rem;max-width:100% !important;}</style>",
                unsafe_allow_html=True)
    return f


@st.cache_data(show_spinner=False, max_entries=64)
def cached_map_args(f: Filters, highlight: tuple[str, ...], fit_to: tuple[tuple[float, float], ...] | None,
                    tiles_url: str, height: int, revision: int, dataset_token: str,
                    marked: tuple[str, ...] = ()) -> dict[str, Any]:
    """Map payload for a filter state; cached so returning to a view costs nothing."""
    a = atlas()
    shown = geo_filters.apply(a.pairings, f)
    if f.mode == "flow":
        return mapview.flow_args(shown, lang=f.lang, provinces=a.provinces, country_points=country_points(),
                                 revision=revision, tiles_url=tiles_url, height=height)
    return mapview.map_args(shown, lang=f.lang, color_by=f.color_by, eras=a.eras, revision=revision,
                            highlight=highlight, marked=marked, fit_to=[list(p) for p in fit_to] if fit_to else None,
                            tiles_url=tiles_url, height=height,
                            case_numbers=geo_cases.case_of_pair(case_links()))


def dataset_token() -> str:
    """Distinguishes the embedded dataset from an imported one in cache keys."""
    return str(st.session_state.get("imported_token", "embedded"))


PAGE_SPECS = [  # (file, url path, title key, icon)
    ("map.py", "map", "page_map", ":material/map:"),
    ("cases.py", "cases", "page_cases", ":material/menu_book:"),
    ("timeline.py", "timeline", "page_timeline", ":material/timeline:"),
    ("rankings.py", "rankings", "page_rankings", ":material/leaderboard:"),
    ("bri.py", "bri", "page_bri", ":material/explore:"),
    ("city.py", "city", "page_city", ":material/location_city:"),
    ("data.py", "data", "page_data", ":material/table_view:"),
    ("method.py", "method", "page_method", ":material/extension:"),
    ("present.py", "present", "page_present", ":material/slideshow:"),
]


_inside_app = threading.local()


def ensure_inside_app() -> None:
    """Make sure this page runs inside app.py (navigation, sidebar, language), not on its own.

    Until some session has called st.navigation, Streamlit treats a `pages/` folder the old way: a fresh server
    that first receives a deep link such as /timeline runs pages/timeline.py alone. Registering the navigation and
    rerunning hands the same URL to app.py, which then shows the page inside the app.
    """
    if getattr(_inside_app, "active", False):
        return
    st.navigation([st.Page(PAGES_DIR / file, url_path=url) for file, url, _, _ in PAGE_SPECS], position="hidden")
    st.rerun()


def run_app(default_page: str = "map") -> None:
    """Page config, navigation, the shared sidebar (hidden in presentation mode), then the chosen page."""
    st.set_page_config(page_title="友城地图 Youcheng Atlas", page_icon=str(paths.WEB / "favicon.png"), layout="wide")
    init_from_url()
    language = lang()
    pages = [st.Page(PAGES_DIR / file, title=t(title, language), url_path=url, icon=icon,
                     default=(url == default_page)) for file, url, title, icon in PAGE_SPECS]
    page = st.navigation(pages)
    presenting = page.url_path == "present" or (page.url_path == "" and default_page == "present")
    if presenting:
        sidebar_hidden()
    else:
        filters_from_state()
    _inside_app.active = True
    try:
        page.run()
    finally:
        _inside_app.active = False
        if not presenting:
            # Drawn after the page so the map reaches the browser first; the widgets keep their state.
            sidebar()
