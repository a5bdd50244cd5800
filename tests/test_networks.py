"""City networks (ch. 4): the curated tables keep every researched row, every point lies in its country, the
"members of network X" filter picks the member cities' own ties, and the map layer has the agreed shape."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from geo import i18n, networks, paths
from geo._validate import AtlasDataError
from geo.basemap import PACIFIC_CUT_LON
from geo.build import checks

RAW = paths.RAW / "networks"
NETS = networks.book_networks()


def raw(name: str) -> list[dict[str, str]]:
    with (RAW / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- the tables ---------------------------------------------------------------------------------------------------

def test_the_targets_of_issue_12() -> None:
    counts = networks.counts(NETS)
    assert int((counts["cities"] > 0).sum()) >= 6, "at least six networks with sourced Chinese members"
    assert networks.member_cities(NETS) >= 30, "sourced memberships for at least 30 Chinese cities"
    assert (NETS.members["source_url"] != "").all() and (NETS.members["source_outlet"] != "").all()
    by_id = counts.set_index("network_id")
    assert by_id.at["c40", "cities"] == 12 and by_id.at["metropolis", "cities"] == 21
    assert by_id.at["unesco_ccn", "cities"] == 19 and by_id.at["wcsmf", "cities"] == 0  # hosting is not membership
    assert by_id.at["wcsmf", "hosts"] == 1 and by_id.at["owhc", "observers"] == 4


def test_every_researched_membership_is_kept_with_its_facts() -> None:
    rows = raw("verified_memberships.csv")
    assert len(NETS.members) == len(rows)
    for ours, theirs in zip(NETS.members.to_dict("records"), rows, strict=True):
        for col in ("network_id", "city_zh", "city_en", "role", "since", "until", "checked", "source_url",
                    "evidence"):
            assert ours[col] == theirs[col], (col, theirs)
        # Blank province or outlet (rows only the second reader found) are filled and the note says so.
        for col in ("province_en", "source_outlet"):
            assert ours[col] == theirs[col] or (not theirs[col] and "curator:" in ours["note"]), (col, theirs)
    second = NETS.members[NETS.members["check"] == "second_only"]
    assert len(second) == sum(r["checked"] == "second reading only" for r in rows) == 29


def test_every_member_abroad_and_network_is_kept() -> None:
    rows = raw("foreign_members.csv")
    assert len(NETS.abroad) == len(rows)
    for ours, theirs in zip(NETS.abroad.to_dict("records"), rows, strict=True):
        assert {k: ours[k] for k in theirs} == theirs
    # Unplaced members are listed with the reason, never dropped.
    unplaced = networks.unplaced_abroad(NETS)
    assert list(unplaced["city_en"]) == ["Yongin"] and "not placed" in unplaced["note"].iloc[0]
    for ours, theirs in zip(NETS.networks.to_dict("records"), raw("networks.csv"), strict=True):
        assert {k: ours[k] for k in theirs} == theirs


def test_every_point_lies_in_its_country_and_province() -> None:
    own = {r["place_id"]: {**r, "side": "cn" if r["country_iso3"] == "CHN" else "partner"}
           for r in csv.DictReader((paths.DATA / networks.PLACES).open(encoding="utf-8", newline=""))}
    assert checks.point_problems(own) == []
    # Each Chinese member is drawn in its own province (at its own point, or its parent city's, said in the note).
    places = pd.read_csv(paths.PLACES, dtype=str, keep_default_na=False).set_index("place_id")
    for r in NETS.members.to_dict("records"):
        province = places.at[r["place_id"], "province_en"] if r["place_id"] in places.index else \
            own[r["place_id"]]["province_en"]
        assert province == r["province_en"], r
        if r["place_id"] in places.index and places.at[r["place_id"], "name_zh"].rstrip("市") != \
                r["city_zh"].split("(")[0] and not r["place_id"].startswith("cnprov:"):
            assert "parent city" in r["note"] or r["city_en"].startswith("Pingyao"), r
    assert NETS.members["lat"].notna().all()


def test_a_network_headquarters_is_where_the_source_says() -> None:
    hq = NETS.networks.set_index("network_id")
    assert hq.at["uclg", "hq_city_en"] == "Barcelona" and 41 < hq.at["uclg", "hq_lat"] < 42
    assert hq.at["owhc", "hq_lon"] < -70 and hq.at["wtcf", "hq_place_id"] == "cnprov:Beijing"


# --- bad input ----------------------------------------------------------------------------------------------------

@pytest.fixture
def copy_dir(tmp_path: Path) -> Path:
    for name in (networks.NETWORKS, networks.MEMBERS, networks.ABROAD, networks.PLACES, paths.PLACES.name,
                 paths.COUNTRIES.name, paths.PROVINCES.name):
        shutil.copy(paths.DATA / name, tmp_path / name)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("file", "old", "new", "problem"), [
    (networks.MEMBERS, ",member,2018,,two readings agree", ",patron,2018,,two readings agree",
     r"row \d+, column 'role'"),
    (networks.MEMBERS, "gn:1795565", "gn:0", "column 'place_id'"),
    (networks.MEMBERS, ",2008,,single reading", ",2008,,read by nobody", "column 'checked'"),
    (networks.MEMBERS, ",2010,,two readings agree", ",2010-13,,two readings agree", "column 'since'"),
    (networks.ABROAD, "Yongin,KOR,,member,,", "Yongin,KOR,,member,,", "never"),
    (networks.NETWORKS, "uclg,United Cities", "metropolis,United Cities", "network_id"),
    (networks.PLACES, "gn:107304,", "gn:1815286,", "already in places.csv"),
])
def test_a_bad_row_is_named(copy_dir: Path, file: str, old: str, new: str, problem: str) -> None:
    if problem == "never":  # an unplaced member abroad must say why
        path = copy_dir / file
        text = path.read_text(encoding="utf-8")
        line = next(x for x in text.splitlines() if x.startswith("citynet,Yongin"))
        path.write_text(text.replace(line, re.sub(r",[^,]*$", ",", line)), encoding="utf-8")
        with pytest.raises(AtlasDataError, match=r"network_abroad.csv, row \d+, column 'place_id'"):
            networks.load_networks(copy_dir)
        return
    edit(copy_dir / file, old, new)
    with pytest.raises(AtlasDataError, match=problem):
        networks.load_networks(copy_dir)


# --- the filter ---------------------------------------------------------------------------------------------------

def tie(pid: str, cn_zh: str, province: str, level: str) -> dict[str, str]:
    return {"pair_id": pid, "cn_name_zh": cn_zh, "cn_province_en": province, "cn_level": level}


def test_members_of_a_network_are_the_member_cities_own_ties() -> None:
    df = pd.DataFrame([
        tie("a", "北京市", "Beijing", "province"),  # a municipality's own tie counts
        tie("b", "朝阳区", "Beijing", "district"),  # its district's does not
        tie("c", "广州市", "Guangdong", "prefecture"),
        tie("d", "广东省", "Guangdong", "province"),  # the province of a member city is not the city
        tie("e", "开平市", "Guangdong", "county"),
        tie("f", "吉林省", "Jilin", "province"),  # Jilin City is a Metropolis member, Jilin Province is not
        tie("g", "吉林市", "Jilin", "prefecture"),
        tie("h", "都江堰市", "Sichuan", "county"),  # drawn at Chengdu's point, counted as itself
        tie("i", "苏州市", "Anhui", "prefecture"),  # a namesake in another province
        tie("j", "上海市", "Shanghai", "province"),
    ])
    def picked(net: str) -> list[str]:
        return list(df.loc[networks.member_mask(df, NETS, net), "pair_id"])

    assert picked("c40") == ["a", "c", "j"]
    assert picked("metropolis") == ["c", "g", "j"]  # Beijing is not among Metropolis's sourced members
    assert picked("lhc") == ["h"]
    assert picked("owhc") == ["h"]  # Suzhou (Jiangsu) and Dujiangyan are members; observers are not
    with pytest.raises(ValueError, match="no city network"):
        networks.member_mask(df, NETS, "atlantis")


# --- the map layer and the profile --------------------------------------------------------------------------------

def test_overlays_have_the_agreed_shape() -> None:
    layers = networks.overlays(NETS, "en")
    assert [o["id"] for o in layers] == ["net_cn", "net_hq", "net_abroad"]
    for layer in layers:
        assert set(layer) == {"id", "title", "color", "shape", "points"}
        assert re.fullmatch(r"#[0-9a-f]{6}", layer["color"]) and layer["shape"] in ("square", "diamond", "triangle")
        for lon, lat, label, lines in layer["points"]:
            assert PACIFIC_CUT_LON <= lon < PACIFIC_CUT_LON + 360 and -90 <= lat <= 90
            assert isinstance(label, str) and label and all(isinstance(x, str) for x in lines)
    cn = {p[2]: p[3] for p in layers[0]["points"]}
    assert len(cn) == NETS.members["place_id"].nunique()
    assert "Metropolis" in " ".join(cn["Guangzhou"]) and "2022-07-14" in " ".join(cn["Guangzhou"])
    # Dujiangyan is drawn at Chengdu's point, and the tooltip says so.
    assert any("Dujiangyan (drawn at Chengdu)" in line for line in cn["Chengdu"])
    quebec = next(p for p in layers[1]["points"] if p[2] == "Quebec City")
    assert quebec[0] > 180  # the Americas are east of the Pacific in the map's frame
    placed_abroad = NETS.abroad[NETS.abroad["lat"].notna()]
    assert len(layers[2]["points"]) == placed_abroad[["lat", "lon"]].drop_duplicates().shape[0]
    c40 = networks.overlays(NETS, "zh", "c40")
    assert len(c40[0]["points"]) == 12 and len(c40[1]["points"]) == 1 and c40[0]["title"] == "中国成员城市"


def test_overlay_tooltips_name_things_as_the_networks_page_does() -> None:
    """In Chinese, a name the data has only in English is marked † (and the mark explained), never shown bare."""
    mark, note = i18n.t("net_en_only_mark", "zh"), i18n.t("net_en_only_note", "zh", mark="†")
    layers = networks.overlays(NETS, "zh")
    c40 = networks.network_label(NETS, "c40", "zh")
    assert c40 == "C40 Cities Climate Leadership Group" + mark
    english = re.compile(r"[A-Za-z]{4,}")
    for layer in layers:
        for _, _, label, lines in layer["points"]:
            for text in [label, *lines]:
                # Every English word belongs to a marked name, or is the note that explains the mark.
                bare = [w for w in re.split(r"[：，（）、\s]", text.replace(note, "")) if english.search(w)]
                assert not bare or mark in text, (label, text)
            assert (note in lines) == any(mark in x for x in [label, *lines[:-1]] if x != note), (label, lines)
    hq = {p[2]: p[3] for p in layers[1]["points"]}
    assert any(line.startswith(c40 + "，") for lines in hq.values() for line in lines)
    assert mark not in networks.network_label(NETS, "metropolis", "zh"), "a Chinese name is not marked"
    # English: no marks at all.
    assert all(mark not in text for layer in networks.overlays(NETS, "en") for p in layer["points"]
               for text in [p[2], *p[3]])


def test_city_memberships() -> None:
    guangzhou = networks.city_memberships(NETS, "gn:1809858")
    assert {"metropolis", "c40", "uclg", "wtcf", "apcs"} <= set(guangzhou["network_id"])
    president = guangzhou[guangzhou["role"] == "president"].iloc[0]
    assert president["until"] == "2022-07-14"
    auckland = networks.city_memberships(NETS, "gn:2193733")  # a member abroad placed at a partner's point
    assert set(auckland["network_id"]) == {"unesco_ccn", "apcs"} and set(auckland["side"]) == {"abroad"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_role_and_check_has_a_name(lang: str) -> None:
    for role in networks.ROLES:
        assert i18n.has(networks.role_key(role)), role
        assert networks.role_text(role, lang)
    assert networks.role_text("creative city: media arts", "zh") == "创意城市：媒体艺术之都"


# --- the networks page's tables -----------------------------------------------------------------------------------

def test_membership_rows_merge_the_pages_read_about_one_city() -> None:
    rows = networks.membership_rows(NETS)
    assert not rows.duplicated(["network_id", "city_en"]).any()
    assert rows["readings"].sum() == len(NETS.members), "every record is merged into some row"
    gz = rows[(rows["network_id"] == "metropolis") & (rows["city_en"] == "Guangzhou")].iloc[0]
    raw_gz = NETS.members[(NETS.members["network_id"] == "metropolis") & (NETS.members["city_en"] == "Guangzhou")]
    assert gz["readings"] == len(raw_gz) and set(gz["roles"]) == set(raw_gz["role"])
    assert gz["since"] == min(v for v in raw_gz["since"] if v)
    assert gz["until"] == "", "a role still held: the membership has not ended"
    assert gz["check"] == "agree" and set(gz["sources"].split("; ")) == set(raw_gz["source_outlet"])
    c40 = networks.membership_rows(NETS, "c40")
    assert set(c40["network_id"]) == {"c40"} and len(c40) == 12


def test_shown_name_says_when_english_stands_in() -> None:
    assert networks.shown_name("伦敦", "London", "zh") == ("伦敦", False)
    assert networks.shown_name("", "London", "zh") == ("London", True)
    assert networks.shown_name("伦敦", "London", "en") == ("London", False)
    assert networks.shown_name("", "London", "en") == ("London", False)


def test_chinese_names_of_places_abroad_come_from_the_data_only() -> None:
    hq = NETS.networks.set_index("network_id")
    assert hq.at["wcsmf", "hq_name_zh"] == "新加坡"  # a city-state: its country's name
    abroad = NETS.abroad.set_index("city_en")
    assert abroad.at["Macao", "city_zh"] == "澳门" and set(abroad.loc["Hong Kong", "city_zh"]) == {"香港"}
    assert abroad.at["Greater Geelong", "city_zh"] == "吉朗"  # the pairings' name for the same place
    assert abroad.at["Abu Dhabi", "city_zh"] == "", "no Chinese name on file: none is made up"
