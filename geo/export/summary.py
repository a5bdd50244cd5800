"""Words that go with an exported view: one line naming every active filter, the data date, the sources."""

from __future__ import annotations

import re
import unicodedata

from geo import load
from geo.choices import FIELD_LABEL, option_labels
from geo.filters import FIRST_YEAR, Filters, current_year
from geo.i18n import field, joined, t

MAX_NAMED = 6  # values named per filter before "and N more"


def _names(values: tuple[str, ...], names: dict[str, str], lang: str) -> str:
    shown = [names.get(v, v) for v in values[:MAX_NAMED]]
    more = len(values) - len(shown)
    return joined(shown, lang) + (t("and_more", lang, n=more) if more > 0 else "")


def filter_parts(filters: Filters, atlas: load.Atlas, lang: str) -> list[str]:
    """One phrase per active filter, e.g. '年份：1990–2026' / 'Country: Japan, United States'; the chapter lens
    and the city network first, by name ('书中章节：第7章 日本')."""
    parts: list[str] = []
    for name in ("lens", "network"):
        chosen = getattr(filters, name)
        if chosen:
            parts.append(field(FIELD_LABEL[name], option_labels(atlas, name, lang).get(chosen, chosen), lang))
    if filters.year_min > FIRST_YEAR or filters.year_max < current_year():
        parts.append(field("years", f"{filters.year_min}–{filters.year_max}", lang))
    if not filters.include_unknown:
        parts.append(t("sum_no_unknown", lang))
    for name in ("eras", "continents", "subregions", "bri_groups", "provinces", "macro_regions", "levels",
                 "countries", "affinities"):
        chosen = getattr(filters, name)
        if chosen:
            parts.append(field(FIELD_LABEL[name], _names(chosen, option_labels(atlas, name, lang), lang), lang))
    if filters.formal_only:
        parts.append(t("sum_formal", lang))
    if filters.include_ended:
        parts.append(t("sum_ended", lang))
    if filters.search.strip():
        parts.append(field("sum_search", t("quoted", lang, text=filters.search.strip()[:40]), lang))
    return parts


def filter_summary(filters: Filters, atlas: load.Atlas, lang: str, flow_min_count: int | None = None) -> str:
    """One line naming every active filter ('all pairings' when none is active) and the flow view; given the
    smallest flow drawn, the flow view is described by its grouping and threshold ('Flows: province → country, at
    least 7 pairings each'), as the live map, presentation mode and the pictures draw it."""
    parts = filter_parts(filters, atlas, lang)
    if filters.mode == "flow":
        level = t(f"flow_level_{filters.flow_level}", lang)
        parts.append(t("mode_flow", lang) if flow_min_count is None else
                     t("flow_caption_all", lang, level=level) if flow_min_count <= 1 else
                     t("flow_caption", lang, level=level, k=f"{flow_min_count:,}"))
    return t("sum_sep", lang).join(parts) if parts else t("sum_all", lang)


def data_as_of(atlas: load.Atlas) -> str:
    """The latest date the dataset speaks of: its newest pairing or official total."""
    dates = [d for d in list(atlas.pairings["established"]) + list(atlas.official_totals.get("date", []))
             if isinstance(d, str) and d]
    return max(dates) if dates else ""


def source_line(lang: str) -> str:
    """The sources and licences line printed on images and in workbooks."""
    return t("source_line", lang)


_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")
SLUG_MAX = 60


def _slug_part(value: object) -> str:
    """ASCII letters and digits only, words joined by '-' (accents dropped, other scripts left out)."""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii").lower()
    return _SLUG_UNSAFE.sub("-", text).strip("-")


def view_slug(filters: Filters) -> str:
    """A short file-name part naming the view: 'africa', 'jpn-kor-flows', 'jiangsu-1990-2000'; 'all' with no
    filter. ASCII letters, digits and '-' only (safe on every system), at most `SLUG_MAX` characters."""
    default = Filters()
    parts: list[str] = []
    if filters.lens:
        parts.append(filters.lens)
    if filters.network:
        parts.append(filters.network)
    for name in ("continents", "subregions", "countries", "bri_groups", "macro_regions", "provinces", "levels",
                 "eras", "affinities"):
        parts.extend(str(v) for v in getattr(filters, name))
    if (filters.year_min, filters.year_max) != (default.year_min, default.year_max):
        parts.append(f"{filters.year_min}-{filters.year_max}")
    if filters.formal_only:
        parts.append("formal")
    if filters.include_ended:
        parts.append("with-ended")
    if filters.search:
        parts.append("q-" + filters.search)
    if filters.mode == "flow":
        parts.append("flows")
    words = [w for w in (_slug_part(p) for p in parts) if w]
    slug = "-".join(words) or "all"
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0] or slug[:SLUG_MAX]
    return slug.strip("-") or "all"
