"""City international organisations (the book's ch. 4): which Chinese cities belong to which network of cities and
local governments, since when and on what source; each network's headquarters and members abroad where sourced.

Curated tables in data/ (from the research copied unchanged into data/raw/networks/; see data/SOURCES.md):
`networks.csv` (one row per network), `network_members.csv` (one row per membership claim of a Chinese city, with
its page and whether a second, independent reading agreed: `checked`), `network_abroad.csv` (members outside the
mainland) and `network_places.csv` (points for cities that data/places.csv lacks, from GeoNames). Everything is
checked on load; a problem raises `AtlasDataError` naming the file, row and column. A member abroad that cannot be
placed is kept (without a point) and listed, never dropped.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from geo import paths
from geo._validate import AtlasDataError, check_columns, check_unique, parse_date
from geo.basemap import pacific_lon
from geo.i18n import pick, t
from geo.names import strip_cn_suffix

NETWORKS = "networks.csv"
MEMBERS = "network_members.csv"
ABROAD = "network_abroad.csv"
PLACES = "network_places.csv"

NETWORK_COLUMNS = ["network_id", "name_en", "name_zh", "founded", "hq_city_en", "hq_country_iso3", "hq_place_id",
                   "url", "source_url", "source_outlet", "note"]
MEMBER_COLUMNS = ["network_id", "city_zh", "city_en", "province_en", "place_id", "role", "since", "until", "checked",
                  "source_url", "source_outlet", "evidence", "note"]
ABROAD_COLUMNS = ["network_id", "city_en", "country_iso3", "place_id", "role", "since", "source_url",
                  "source_outlet", "note"]
PLACE_COLUMNS = ["place_id", "name_en", "name_zh", "country_iso3", "province_en", "lat", "lon", "precision",
                 "geonames_id", "note"]

# Each role a membership row may state, and what it makes the city: a member (a governing seat or a designation
# implies membership), an observer, or only the host of a meeting (which is not membership).
ROLES: dict[str, str] = {
    "member": "member", "founding member": "member", "board": "member", "co-president": "member",
    "president": "member", "creative city": "member", "creative city: design": "member",
    "creative city: gastronomy": "member", "creative city: crafts and folk art": "member",
    "creative city: media arts": "member", "creative city: film": "member", "creative city: literature": "member",
    "creative city: music": "member", "president (chair city)": "member", "member (former chair city)": "member",
    "observer": "observer", "host": "host",
}
# How a membership was checked (`checked` starts with one of these): two independent readings of the page agreed,
# the page was read once, or only the second reader found it.
CHECKS = ("two readings agree", "single reading", "second reading only")
# Places outside the mainland that the research codes as their own territory; they are drawn inside China.
SAR = {"HKG": ("Hong Kong SAR", "香港特别行政区"), "MAC": ("Macao SAR", "澳门特别行政区")}
MUNICIPALITIES = ("Beijing", "Tianjin", "Shanghai", "Chongqing")

# Overlay colours and shapes on the map (one layer each for members in China, headquarters and members abroad).
OVERLAY_STYLE = {"cn": ("#b5179e", "square"), "hq": ("#3a0ca3", "diamond"), "abroad": ("#f77f00", "triangle")}


def role_kind(role: str) -> str:
    """'member', 'observer' or 'host' for a role as the tables write it."""
    return ROLES[role]


def check_kind(checked: str) -> str:
    """'agree', 'single' or 'second_only' for a `checked` value."""
    for prefix, kind in zip(CHECKS, ("agree", "single", "second_only"), strict=True):
        if checked.startswith(prefix):
            return kind
    raise ValueError(f"checked {checked!r} does not start with one of {', '.join(CHECKS)}")


def role_key(role: str) -> str:
    """The catalogue key naming a role ('role_creative_city_media_arts')."""
    return "role_" + "".join(ch if ch.isalnum() else "_" for ch in role.lower()).strip("_").replace("__", "_")


@dataclass(frozen=True)
class Networks:
    """The networks, their Chinese member cities and their members abroad, each row placed where it can be."""

    networks: pd.DataFrame  # NETWORK_COLUMNS + hq_lat, hq_lon, hq_name_zh
    members: pd.DataFrame  # MEMBER_COLUMNS + kind, check, lat, lon, place_name_en, place_name_zh
    abroad: pd.DataFrame  # ABROAD_COLUMNS + lat, lon (NaN when not placed), city_zh, country_en, country_zh

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.networks["network_id"])

    def name(self, network_id: str, lang: str) -> str:
        return self.names(lang).get(network_id, network_id)

    def names(self, lang: str) -> dict[str, str]:
        """Network id -> its name in `lang` (the English name where no Chinese one was seen on a page)."""
        return _names(self.networks, lang)


_NAME_CACHE: dict[tuple[int, str], dict[str, str]] = {}


def _names(networks: pd.DataFrame, lang: str) -> dict[str, str]:
    key = (id(networks), lang)  # the tables of a loaded Networks are never changed
    if key not in _NAME_CACHE:
        _NAME_CACHE[key] = {str(r["network_id"]): pick(r, "name", lang) for r in networks.to_dict("records")}
    return _NAME_CACHE[key]


def _read(data_dir: Path, name: str, columns: list[str]) -> pd.DataFrame:
    from geo.load import read_table

    return read_table(data_dir / name, columns)


def _chinese_name(name_zh: str, name_en: str, iso3: str, countries: pd.DataFrame) -> str:
    """A place's Chinese name as the places tables give it; for a city that is its own country or region
    (Singapore, Hong Kong, Macao) the country's Chinese name; else '' (no Chinese name is made up)."""
    if name_zh:
        return name_zh
    if iso3 in SAR and name_en == SAR[iso3][0].removesuffix(" SAR"):
        return SAR[iso3][1].removesuffix("特别行政区")
    if iso3 in countries.index and name_en == str(countries.at[iso3, "name_en"]):
        return str(countries.at[iso3, "name_zh"])
    return ""


def _places(data_dir: Path) -> pd.DataFrame:
    """data/places.csv and network_places.csv, one row per place id; a place without a Chinese name takes the one
    the pairings give the partner drawn at that very place (data/places.csv keeps GeoNames' names only)."""
    own = _read(data_dir, PLACES, PLACE_COLUMNS)
    check_unique(PLACES, own["place_id"], "place_id")
    base = _read(data_dir, paths.PLACES.name, ["place_id", "name_en", "name_zh", "country_iso3", "lat", "lon"])
    clash = sorted(set(own["place_id"]) & set(base["place_id"]))
    if clash:
        raise AtlasDataError(PLACES, f"place id {clash[0]!r} is already in places.csv; refer to it instead",
                             column="place_id")
    both = pd.concat([base[["place_id", "name_en", "name_zh", "lat", "lon"]],
                      own[["place_id", "name_en", "name_zh", "lat", "lon"]]], ignore_index=True)
    for col in ("lat", "lon"):
        both[col] = pd.to_numeric(both[col], errors="coerce")
    if (data_dir / paths.PAIRINGS.name).exists():  # a source of names only: a folder of network tables may lack it
        pairs = _read(data_dir, paths.PAIRINGS.name, ["partner_place_id", "partner_name_zh"])
        pairs = pairs[(pairs["partner_place_id"] != "") & (pairs["partner_name_zh"] != "")]
        named = pairs.drop_duplicates("partner_place_id").set_index("partner_place_id")["partner_name_zh"]
        both["name_zh"] = both["name_zh"].where(both["name_zh"] != "", both["place_id"].map(named).fillna(""))
    return both.set_index("place_id")


def _check_date(value: str) -> None:
    parse_date(value)


def _known(values: set[str], what: str, allow_empty: bool = False):  # type: ignore[no-untyped-def]
    def check(value: str) -> None:
        if (value or not allow_empty) and value not in values:
            raise ValueError(f"{what} {value!r} is not known")
    return check


def _nonempty(value: str) -> None:
    if not value.strip():
        raise ValueError("is empty")


def _year(value: str) -> None:
    if value and not (value.isdigit() and len(value) == 4):
        raise ValueError(f"founding year {value!r} is not YYYY")


def _records(df: pd.DataFrame) -> list[dict[str, str]]:
    return [{str(k): str(v) for k, v in r.items()} for r in df.to_dict("records")]


def load_networks(data_dir: Path = paths.DATA) -> Networks:
    """Read and check the network tables in `data_dir` (the embedded data by default) and place every row."""
    places = _places(data_dir)
    countries = _read(data_dir, paths.COUNTRIES.name, ["iso3", "name_en", "name_zh"]).set_index("iso3")
    provinces = set(_read(data_dir, paths.PROVINCES.name, ["province_en"])["province_en"])
    iso3 = set(countries.index) | set(SAR)
    place_ids = set(places.index)

    nets = _read(data_dir, NETWORKS, NETWORK_COLUMNS)
    check_unique(NETWORKS, nets["network_id"], "network_id")
    check_columns(NETWORKS, nets, {
        "network_id": _nonempty, "name_en": _nonempty, "source_url": _nonempty, "source_outlet": _nonempty,
        "founded": _year, "hq_country_iso3": _known(iso3, "country code"),
        "hq_place_id": _known(place_ids, "place id (in places.csv or network_places.csv)"),
    })
    ids = set(nets["network_id"])
    members = _read(data_dir, MEMBERS, MEMBER_COLUMNS)
    check_columns(MEMBERS, members, {
        "network_id": _known(ids, "network"), "city_zh": _nonempty, "city_en": _nonempty,
        "province_en": _known(provinces, "province"), "role": _known(set(ROLES), "role"),
        "place_id": _known(place_ids, "place id (in places.csv or network_places.csv)"),
        "since": _check_date, "until": _check_date, "checked": check_kind, "source_url": _nonempty,
        "source_outlet": _nonempty,
    })
    abroad = _read(data_dir, ABROAD, ABROAD_COLUMNS)
    check_columns(ABROAD, abroad, {
        "network_id": _known(ids, "network"), "city_en": _nonempty, "country_iso3": _known(iso3, "country code"),
        "place_id": _known(place_ids, "place id (in places.csv or network_places.csv)", allow_empty=True),
        "role": _known(set(ROLES), "role"), "since": _check_date, "source_url": _nonempty,
        "source_outlet": _nonempty,
    })
    for n, row in enumerate(_records(abroad), start=2):
        if not row["place_id"] and not row["note"].strip():
            raise AtlasDataError(ABROAD, "a member without a place must say why in 'note'", n, "place_id")
    for n, row in enumerate(_records(members), start=2):
        if row["until"] and row["since"] and row["until"] < row["since"]:
            raise AtlasDataError(MEMBERS, f"'until' {row['until']} is before 'since' {row['since']}", n, "until")

    hq = places.reindex(nets["hq_place_id"])
    nets = nets.assign(hq_lat=hq["lat"].to_numpy(), hq_lon=hq["lon"].to_numpy(),
                       hq_name_zh=[_chinese_name(str(z), str(e), str(c), countries) for z, e, c in zip(
                           hq["name_zh"].fillna(""), nets["hq_city_en"], nets["hq_country_iso3"], strict=True)])
    at = places.reindex(members["place_id"])
    members = members.assign(
        kind=members["role"].map(ROLES), check=members["checked"].map(check_kind),
        lat=at["lat"].to_numpy(), lon=at["lon"].to_numpy(),
        place_name_en=at["name_en"].fillna("").to_numpy(), place_name_zh=at["name_zh"].fillna("").to_numpy())
    at = places.reindex(abroad["place_id"].where(abroad["place_id"] != "", "—"))
    abroad = abroad.assign(
        kind=abroad["role"].map(ROLES), lat=at["lat"].to_numpy(), lon=at["lon"].to_numpy(),
        city_zh=[_chinese_name(str(z), str(e), str(c), countries) for z, e, c in zip(
            at["name_zh"].fillna(""), abroad["city_en"], abroad["country_iso3"], strict=True)],
        country_en=[SAR[c][0] if c in SAR else str(countries.at[c, "name_en"]) for c in abroad["country_iso3"]],
        country_zh=[SAR[c][1] if c in SAR else str(countries.at[c, "name_zh"]) for c in abroad["country_iso3"]])
    return Networks(nets.reset_index(drop=True), members.reset_index(drop=True), abroad.reset_index(drop=True))


@cache
def book_networks() -> Networks:
    """The embedded network tables, loaded once (they do not change with a user's import)."""
    return load_networks(paths.DATA)


# --- Which pairings are a member city's ---------------------------------------------------------------------------

def _city_key(province: str, name_zh: str) -> str:
    return f"{province}|{strip_cn_suffix(name_zh.split('(')[0].split('（')[0].strip())}"


def member_keys(nets: Networks, network_id: str) -> set[str]:
    """'province|bare Chinese name' of each city that is a member (not only an observer or host) of a network."""
    rows = nets.members[(nets.members["network_id"] == network_id) & (nets.members["kind"] == "member")]
    return {_city_key(p, z) for p, z in zip(rows["province_en"], rows["city_zh"], strict=True)}


def member_mask(pairings: pd.DataFrame, nets: Networks, network_id: str) -> pd.Series:
    """Pairings whose Chinese side is a member city of the network: the same province and Chinese name (without
    its unit word), so a district's tie or its province's tie is not counted for the city, and a county-level city
    drawn at its parent's point (Dujiangyan at Chengdu) still counts as itself. A province-level row counts only
    for a municipality (Beijing, Tianjin, Shanghai, Chongqing)."""
    if network_id not in nets.ids:
        raise ValueError(f"no city network {network_id!r}")
    keys = member_keys(nets, network_id)
    row_keys = [_city_key(p, z) for p, z in zip(pairings["cn_province_en"], pairings["cn_name_zh"], strict=True)]
    level_ok = (pairings["cn_level"] != "province") | pairings["cn_province_en"].isin(MUNICIPALITIES)
    return pd.Series([k in keys for k in row_keys], index=pairings.index) & level_ok


# --- Figures and tables -------------------------------------------------------------------------------------------

def counts(nets: Networks) -> pd.DataFrame:
    """Per network: Chinese member cities (any reading; and those with a membership two readings agree on),
    observers, hosts, membership rows, sourced members abroad (placed or not), the earliest 'since' in China."""
    m = nets.members
    members = m[m["kind"] == "member"]
    rows = []
    for r in nets.networks.to_dict("records"):
        nid = r["network_id"]
        mine = members[members["network_id"] == nid]
        dated = mine.loc[mine["since"] != "", "since"]
        rows.append({
            "network_id": nid,
            "cities": int(mine["city_en"].nunique()),
            "cities_agreed": int(mine.loc[mine["check"] == "agree", "city_en"].nunique()),
            "observers": int(m[(m["network_id"] == nid) & (m["kind"] == "observer")]["city_en"].nunique()),
            "hosts": int(m[(m["network_id"] == nid) & (m["kind"] == "host")]["city_en"].nunique()),
            "rows": int((m["network_id"] == nid).sum()),
            "abroad": int((nets.abroad["network_id"] == nid).sum()),
            "first_since": str(dated.min()) if len(dated) else "",
        })
    return pd.DataFrame(rows)


def shown_name(name_zh: str, name_en: str, lang: str) -> tuple[str, bool]:
    """The name to show in `lang`, and whether it is the English one standing in for a Chinese name the data
    lacks (so the page can mark it rather than mix languages silently)."""
    if lang == "zh" and name_zh:
        return name_zh, False
    return name_en or name_zh, lang == "zh" and bool(name_en)


def marked_name(name_zh: str, name_en: str, lang: str) -> str:
    """`shown_name` with an English stand-in marked (net_en_only_mark, explained by net_en_only_note): the
    networks page's tables and the map's networks layer name places and networks the same way."""
    text, stand_in = shown_name(name_zh, name_en, lang)
    return text + t("net_en_only_mark", lang) if stand_in else text


def network_label(nets: Networks, network_id: str, lang: str) -> str:
    """A network's name as the networks page shows it (marked where English stands in for Chinese)."""
    rows = nets.networks[nets.networks["network_id"] == network_id]
    if rows.empty:
        return network_id
    return marked_name(str(rows["name_zh"].iloc[0]), str(rows["name_en"].iloc[0]), lang)


_CHECK_ORDER = {"agree": 0, "single": 1, "second_only": 2}


def membership_rows(nets: Networks, network_id: str = "") -> pd.DataFrame:
    """One row per network and Chinese city (the tables hold one row per page read, so a city may have several):
    roles (distinct, in order), the earliest `since`, `until` only when every row has ended (the latest), the best
    check any row has and its `checked` wording, the distinct source outlets, the best row's page, the distinct
    evidence and notes, and how many rows were merged (`readings`). Sorted by network, province, city."""
    m = nets.members if not network_id else nets.members[nets.members["network_id"] == network_id]
    m = m.assign(_rank=m["check"].map(_CHECK_ORDER)).sort_values(["network_id", "province_en", "city_en", "_rank"],
                                                                   kind="stable")

    def distinct(values: pd.Series, sep: str) -> str:
        return sep.join(dict.fromkeys(str(v) for v in values if str(v).strip()))

    rows = []
    for (nid, province, city_en), g in m.groupby(["network_id", "province_en", "city_en"], sort=False):
        best = g.iloc[0]
        since = sorted(v for v in g["since"] if v)
        ended = all(g["until"] != "")
        rows.append({
            "network_id": nid, "city_zh": best["city_zh"], "city_en": city_en, "province_en": province,
            "place_id": best["place_id"], "roles": list(dict.fromkeys(g["role"])), "kind": best["kind"],
            "since": since[0] if since else "", "until": max(g["until"]) if ended else "",
            "check": best["check"], "checked": best["checked"], "sources": distinct(g["source_outlet"], "; "),
            "source_url": best["source_url"], "evidence": distinct(g["evidence"], " / "),
            "note": distinct(g["note"], " / "), "readings": len(g),
        })
    columns = ["network_id", "city_zh", "city_en", "province_en", "place_id", "roles", "kind", "since", "until",
               "check", "checked", "sources", "source_url", "evidence", "note", "readings"]
    return pd.DataFrame(rows, columns=columns)


def member_cities(nets: Networks) -> int:
    """How many distinct Chinese cities are members of at least one network."""
    return int(nets.members.loc[nets.members["kind"] == "member", "city_en"].nunique())


def city_memberships(nets: Networks, place_id: str) -> pd.DataFrame:
    """Every membership row of the Chinese cities drawn at `place_id`, or of the member abroad placed there."""
    cn = nets.members[nets.members["place_id"] == place_id]
    out = cn.assign(side="cn")
    if place_id:
        ab = nets.abroad[nets.abroad["place_id"] == place_id]
        out = pd.concat([out, ab.assign(side="abroad", until="", checked="", check="", evidence="")],
                        ignore_index=True)
    return out.sort_values(["network_id", "since"]).reset_index(drop=True)


def _since_text(row: Mapping[Hashable, Any], lang: str) -> str:
    since, until = str(row.get("since") or ""), str(row.get("until") or "")
    if since and until:
        return t("net_span", lang, since=since, until=until)
    if since:
        return t("net_since", lang, since=since)
    return t("net_since_unknown", lang)


def role_text(role: str, lang: str) -> str:
    return t(role_key(role), lang)


def membership_line(row: Mapping[Hashable, Any], names: Mapping[str, str], lang: str) -> str:
    """'C40 — member, since 2015-09-15' with the network's name from `names` (plain text; the UI escapes it
    before Markdown)."""
    network_id = str(row["network_id"])
    return t("net_line", lang, network=names.get(network_id, network_id), role=role_text(str(row["role"]), lang),
             since=_since_text(row, lang))


# --- The map layer ------------------------------------------------------------------------------------------------

def _point(lon: float, lat: float, label: str, lines: list[str]) -> list[Any]:
    return [round(pacific_lon(float(lon)), 3), round(float(lat), 3), label, lines]


def _grouped(records: list[dict[Hashable, Any]], *keys: str) -> dict[tuple[Any, ...], list[dict[Hashable, Any]]]:
    """Records by the values of `keys`, groups in sorted key order, records in their order (plain Python: the
    groups are small and many, where pandas' per-group overhead would dominate)."""
    out: dict[tuple[Any, ...], list[dict[Hashable, Any]]] = {}
    for r in records:
        out.setdefault(tuple(r[k] for k in keys), []).append(r)
    return dict(sorted(out.items(), key=lambda kv: tuple(str(x) for x in kv[0])))


def _layer(kind: str, title_key: str, lang: str, points: list[list[Any]]) -> dict[str, Any]:
    color, shape = OVERLAY_STYLE[kind]
    return {"id": f"net_{kind}", "title": t(title_key, lang), "color": color, "shape": shape, "points": points}


def overlays(nets: Networks, lang: str, network_id: str = "") -> list[dict[str, Any]]:
    """The map's `overlays` payload: Chinese member cities, each network's headquarters and its sourced members
    abroad, as three layers the map can toggle; for one network only when `network_id` is given. Longitudes are in
    the map's Pacific-centred frame, like the places of the arc payload. Rows without a point are left out here and
    listed by the networks page."""
    def wanted(df: pd.DataFrame) -> list[dict[Hashable, Any]]:
        rows = df[df["network_id"] == network_id] if network_id else df
        if "lat" in rows:
            rows = rows[rows["lat"].notna()]
        return rows.to_dict("records")

    # Names as the networks page gives them: Chinese in Chinese, an English stand-in marked, the mark explained
    # under any tooltip that has one.
    names = {nid: network_label(nets, nid, lang) for nid in nets.ids}
    mark = t("net_en_only_mark", lang)

    def explained(lines: list[str]) -> list[str]:
        if lang == "zh" and any(mark in line for line in lines):
            return [*lines, t("net_en_only_note", lang, mark=mark)]
        return lines

    points = []
    for rows in _grouped(wanted(nets.members), "place_id").values():
        first = rows[0]
        label = marked_name(str(first["place_name_zh"]), str(first["place_name_en"]), lang)
        lines = [label]
        for city_rows in _grouped(rows, "city_en").values():
            head = marked_name(str(city_rows[0]["city_zh"]), str(city_rows[0]["city_en"]), lang)
            if strip_cn_suffix(str(city_rows[0]["city_zh"]).split("(")[0]) != strip_cn_suffix(
                    str(first["place_name_zh"])):
                lines.append(t("net_drawn_at", lang, city=head, place=label))
            lines += list(dict.fromkeys(membership_line(r, names, lang) for r in city_rows))
        points.append(_point(first["lon"], first["lat"], label, explained(lines)))

    hq_points = []
    for rows in _grouped(wanted(nets.networks), "hq_lat", "hq_lon").values():
        first = rows[0]
        city = marked_name(str(first["hq_name_zh"]), str(first["hq_city_en"]), lang)
        lines = [t("net_hq_of", lang, city=city)] + [
            t("net_hq_line", lang, network=names[str(r["network_id"])], founded=r["founded"] or t("year_unknown", lang))
            for r in rows]
        hq_points.append(_point(first["hq_lon"], first["hq_lat"], city, explained(lines)))

    ab_points = []
    for rows in _grouped(wanted(nets.abroad), "lat", "lon").values():
        first = rows[0]
        name = marked_name(str(first["city_zh"]), str(first["city_en"]), lang)
        lines = [t("net_abroad_head", lang, city=name, country=pick(first, "country", lang))]
        lines += list(dict.fromkeys(membership_line(r, names, lang) for r in rows))
        ab_points.append(_point(first["lon"], first["lat"], name, explained(lines)))
    return [_layer("cn", "net_layer_cn", lang, points), _layer("hq", "net_layer_hq", lang, hq_points),
            _layer("abroad", "net_layer_abroad", lang, ab_points)]


def unplaced_abroad(nets: Networks) -> pd.DataFrame:
    """Members abroad without a point (listed, not dropped)."""
    return nets.abroad[nets.abroad["lat"].isna()]
