"""Old pair ids lead to the rows they became (geo.build.aliases, data/pair_aliases.csv, geo.find.resolve_pair)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geo import deck, paths
from geo._validate import AtlasDataError
from geo.build.aliases import Alias, check, derive, read_aliases, update, write_aliases
from geo.find import resolve_pair
from geo.load import read_pair_aliases


def row(pair_id: str, partner_en: str, place: str = "", partner_zh: str = "", iso3: str = "JPN",
        cn_zh: str = "南京市", cn_en: str = "Nanjing") -> dict[str, str]:
    return {"pair_id": pair_id, "cn_name_zh": cn_zh, "cn_name_en": cn_en, "cn_province_en": "Jiangsu",
            "partner_country_iso3": iso3, "partner_name_en": partner_en, "partner_name_zh": partner_zh,
            "partner_place_id": place}


OLD = [
    row("Pkeep", "Nagoya", "gn:1"),
    row("Prenamed", "Matto", "gn:2", "松任市"),           # renamed: same place, new name
    row("Pplaced", "Gimje", ""),                          # re-placed: same name, now at a point
    row("Pmerged", "Kaga Town", "gn:9"),                  # merged into Pkeep by the build
    row("Premoved", "Atlantis", "gn:7"),                  # removed: nothing of that place or name is left
    row("Pother", "Nagoya", "gn:1", cn_zh="苏州市", cn_en="Suzhou"),  # another unit: never a candidate
    row("Ptwo", "Fuchu", ""),                             # two rows now carry its name: no certain successor
]
NEW = [
    row("Pkeep", "Nagoya", "gn:1"),
    row("Pnew1", "Hakusan", "gn:2", "白山市"),
    row("Pnew2", "Gimje", "gn:5"),
    row("Psuz", "Nagoya", "gn:1", cn_zh="苏州市", cn_en="Suzhou"),
    row("Pf1", "Fuchu", "gn:11"),
    row("Pf2", "Fuchu", "gn:12"),
]


def test_each_gone_id_gets_its_successor_or_the_reason_it_has_none() -> None:
    table = derive(OLD, NEW, {"Pmerged": ("Pkeep", "one tie: the names differ only in spelling")})
    assert set(table) == {"Prenamed", "Pplaced", "Pmerged", "Premoved", "Pother", "Ptwo"}, "live ids are no aliases"
    assert table["Prenamed"].new_id == "Pnew1" and "renamed 'Matto' -> 'Hakusan'" in table["Prenamed"].reason
    assert table["Pplaced"].new_id == "Pnew2" and "same partner name" in table["Pplaced"].reason
    assert table["Pmerged"].new_id == "Pkeep" and "merged into Pkeep" in table["Pmerged"].reason
    assert table["Premoved"].new_id == "" and table["Premoved"].reason.startswith("no successor")
    # Suzhou's Nagoya row is the same place, but another Chinese unit: only its own unit's rows count.
    assert table["Pother"].new_id == "Psuz"
    assert table["Ptwo"].new_id == "" and "Pf1" in table["Ptwo"].reason and "Pf2" in table["Ptwo"].reason


def test_a_chinese_name_alone_finds_the_successor() -> None:
    old = [row("Pa", "Kure", "", "吴市")]
    new = [row("Pb", "Kure City", "gn:3", "吴市"), row("Pc", "Hiroshima", "gn:4", "广岛市")]
    assert derive(old, new)["Pa"].new_id == "Pb"


def test_merges_inside_one_build_chain_to_the_surviving_row() -> None:
    old = [row("Pa", "A", "gn:1"), row("Pb", "B", "gn:2"), row("Pc", "C", "gn:3")]
    new = [row("Pc", "C", "gn:3")]
    table = derive(old, new, {"Pa": ("Pb", "spelling"), "Pb": ("Pc", "tie_decisions.csv")})
    assert table["Pa"] == Alias("Pc", table["Pa"].reason) and "spelling; then tie_decisions.csv" in table["Pa"].reason


def test_aliases_chain_across_rebuilds_and_an_id_live_again_is_dropped() -> None:
    v1 = [row("PA", "Matto", "gn:2"), row("PX", "Kaga", "gn:8")]
    v2 = [row("PB", "Matto", "gn:22"), row("PX2", "Kaga", "gn:8", cn_zh="", cn_en="Nanjing")]
    v3 = [row("PC", "Hakusan", "gn:22"), row("PX", "Kaga", "gn:8")]
    t1 = update({}, v1, v2)
    assert t1["PA"].new_id == "PB"
    t2 = update(t1, v2, v3)
    assert t2["PA"].new_id == "PC", "A -> B, then B -> C gives A -> C"
    assert t2["PB"].new_id == "PC" and "PX" not in t2, "PX exists again, so it is no alias"
    check(t2, {"PC", "PX"})
    # A successor that is later removed leaves the old id without one, and says so.
    t3 = update(t2, v3, [row("PX", "Kaga", "gn:8")])
    assert t3["PA"].new_id == "" and "PC" in t3["PA"].reason
    # A rebuild that changes nothing keeps the table as it is (the build is byte-for-byte stable).
    assert update(t3, [row("PX", "Kaga", "gn:8")], [row("PX", "Kaga", "gn:8")]) == t3


def test_check_refuses_an_alias_to_no_pairing() -> None:
    with pytest.raises(AssertionError):
        check({"PA": Alias("PZ", "x")}, {"PB"})
    with pytest.raises(AssertionError):
        check({"PB": Alias("", "x")}, {"PB"})


def test_the_table_round_trips_through_its_file(tmp_path: Path) -> None:
    table = {"Pb": Alias("", "no successor: gone"), "Pa": Alias("Pc", "renamed, 'quoted', with | and ,")}
    write_aliases(tmp_path / "a.csv", table)
    assert read_aliases(tmp_path / "a.csv") == table
    assert (tmp_path / "a.csv").read_text(encoding="utf-8").splitlines()[1].startswith("Pa,Pc,")


def test_every_committed_alias_leads_to_a_pairing_of_the_data() -> None:
    with paths.PAIRINGS.open(encoding="utf-8") as fh:
        ids = {r["pair_id"] for r in csv.DictReader(fh)}
    table = read_aliases(paths.PAIR_ALIASES)
    assert table, "data/pair_aliases.csv holds the ids earlier builds gave"
    assert all(a.new_id in ids for a in table.values() if a.new_id)
    assert not set(table) & ids, "no old id is a live one"
    assert all(a.reason for a in table.values()), "every alias says why"


def test_the_loader_names_a_bad_alias_row(tmp_path: Path) -> None:
    path = tmp_path / "pair_aliases.csv"
    path.write_text("old_id,new_id,reason\nPold,Pnew,renamed\nPx,Pmissing,renamed\n", encoding="utf-8")
    with pytest.raises(AtlasDataError, match="row 3.*new_id"):
        read_pair_aliases(path, {"Pnew"})
    path.write_text("old_id,new_id,reason\nPnew,,x\n", encoding="utf-8")
    with pytest.raises(AtlasDataError, match="row 2"):
        read_pair_aliases(path, {"Pnew"})
    assert read_pair_aliases(tmp_path / "absent.csv", {"Pnew"}) == {}


def test_resolve_pair_names_what_a_link_id_is() -> None:
    aliases = {"Pold": ("Pnew", "renamed"), "Pgone": ("", "no successor: removed"), "Pelse": ("Pimported", "x")}
    known = {"Pnew", "Plive"}
    assert resolve_pair("Plive", known, aliases).kind == "found"
    hit = resolve_pair("Pold", known, aliases)
    assert (hit.kind, hit.pair_id, hit.asked) == ("alias", "Pnew", "Pold")
    gone = resolve_pair("Pgone", known, aliases)
    assert (gone.kind, gone.pair_id, gone.reason) == ("gone", "", "no successor: removed")
    assert resolve_pair("Pelse", known, aliases).kind == "gone", "a successor the dataset lacks opens nothing"
    assert resolve_pair("P-nope", known, aliases).kind == "unknown"


def test_a_saved_view_takes_the_new_pair_id_and_keeps_the_rest() -> None:
    view = "cont=Asia&pair=Pold&view=30%2C120%2C5"
    assert deck.with_pair(view, "Pnew") == "cont=Asia&pair=Pnew&view=30%2C120%2C5"
    assert deck.with_pair("cont=Asia", "Pnew") == "cont=Asia"


def test_the_seed_reads_a_merge_back_from_the_conflicts_of_its_build() -> None:
    from geo.build.seed_aliases import merges_from_conflicts

    old = [row("Pa", "Matto", "gn:2"), row("Pk", "Hakusan", "gn:3"), row("Pw", "Kobe", "gn:4")]
    new = [row("Pk", "Hakusan", "gn:3")]
    conflicts = [
        {"tie": "南京市 (Jiangsu) – Hakusan (JPN)", "field": "partner_name_en", "other": "Matto",
         "decision": "one tie: the names differ only in spelling"},
        {"tie": "南京市 (Jiangsu) – Hakusan (JPN)", "field": "partner_name_en", "other": "Kobe",
         "decision": "kept the official list's name"},  # not a merge
    ]
    assert merges_from_conflicts(conflicts, old, new) == {
        "Pa": ("Pk", "one tie: the names differ only in spelling (CONFLICTS.csv of that build)")}
