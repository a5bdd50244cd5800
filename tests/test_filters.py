"""Filters: URL round trip, bad URL values fall back with a warning, and applying them."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo import filters
from geo.filters import Filters
from geo.load import Atlas, load_atlas


@pytest.fixture
def atlas(data_dir: Path) -> Atlas:
    return load_atlas(data_dir)


@pytest.fixture
def vocab(atlas: Atlas) -> filters.Vocabulary:
    return filters.vocabulary(atlas.pairings, atlas.eras, list(atlas.bri["bri_group"]),
                              list(atlas.provinces["province_en"]), sorted(atlas.pairings["partner_country_iso3"]))


def ids(df) -> set[str]:  # type: ignore[no-untyped-def]
    return set(df["pair_id"])


def test_round_trip(vocab: filters.Vocabulary) -> None:
    f = Filters(lang="en", eras=("II", "V"), year_min=1979, year_max=2000, include_unknown=False,
                bri_groups=("asean",), provinces=("Jiangsu",), levels=("county",), countries=("USA",),
                affinities=("geography",), formal_only=True, search="南京", color_by="level", mode="flow",
                flow_level="continent", flow_min=25)
    query = filters.to_query(f)
    assert query["flow"] == "continent" and query["fmin"] == "25"
    back, warnings = filters.from_query(query, vocab)
    assert back == f and warnings == []


def test_default_has_empty_query() -> None:
    assert filters.to_query(Filters()) == {}


@pytest.mark.parametrize(("params", "key"), [
    ({"era": "IX"}, "era"), ({"y0": "19x9"}, "y0"), ({"y1": "1800"}, "y1"), ({"unk": "maybe"}, "unk"),
    ({"bri": "atlantis"}, "bri"), ({"color": "plaid"}, "color"), ({"mode": "3d"}, "mode"),
    ({"lang": "fr"}, "lang"), ({"y0": "2010", "y1": "1990"}, "y0"), ({"lens": "atlantis"}, "lens"),
    ({"net": "<b>c40</b>"}, "net"),
    ({"lang": "fr"}, "lang"), ({"y0": "2010", "y1": "1990"}, "y0"), ({"flow": "planet"}, "flow"),
    ({"fmin": "-3"}, "fmin"), ({"fmin": "many"}, "fmin"), ({"fmin": "9999999"}, "fmin"),
])
def test_bad_values_warn_and_fall_back(vocab: filters.Vocabulary, params: dict[str, str], key: str) -> None:
    f, warnings = filters.from_query(params, vocab)
    assert len(warnings) == 1 and warnings[0].key == key and not warnings[0].unknown_key
    defaults = Filters(lang=f.lang)
    assert f == defaults


def test_partial_list_keeps_good_values(vocab: filters.Vocabulary) -> None:
    f, warnings = filters.from_query({"bri": "asean,<script>,CIS", "lang": "en"}, vocab)
    assert f.bri_groups == ("asean", "cis")
    # The value is handed back as typed; the UI escapes it where it shows it (tests/test_pages.py checks that).
    assert warnings == [filters.UrlProblem("bri", "<script>")]


def test_unknown_keys_are_named_only_when_asked(vocab: filters.Vocabulary) -> None:
    params = {"lang": "en", "bri": "asean", "case": "3", "zoom": "5"}
    assert filters.from_query(params, vocab)[1] == []
    _, problems = filters.from_query(params, vocab, other_keys=("case",))
    assert problems == [filters.UrlProblem("zoom", "5", unknown_key=True)]


def test_last_year_is_computed_the_same_way_everywhere(atlas: Atlas, monkeypatch: pytest.MonkeyPatch) -> None:
    # Both the default filter and the vocabulary ask current_year() when they are made, never at import: on
    # 1 January the slider, the URL check and the default range all move on together.
    monkeypatch.setattr(filters, "current_year", lambda: 2031)
    later = filters.vocabulary(atlas.pairings, atlas.eras, ["asean"], ["Jiangsu"], ["USA"])
    assert Filters().year_max == later.last_year == 2031
    f, warnings = filters.from_query({"y1": "2031"}, later)
    assert f.year_max == 2031 and warnings == []
    assert filters.to_query(f) == {}


def test_hiding_names_the_filters_that_hide_a_pairing(atlas: Atlas) -> None:
    kobe = atlas.pairings[atlas.pairings["pair_id"] == "P1"]  # Tianjin–Kobe, 1973, Japan
    assert filters.hiding(kobe, Filters()) == []
    assert filters.hiding(kobe, Filters(countries=("USA",), formal_only=True)) == ["countries"]
    assert filters.hiding(kobe, Filters(year_min=1990, countries=("USA",))) == ["year_min", "countries"]
    # Neither filter alone hides it, together they do: both are named.
    both = Filters(search="Kobe", countries=("JPN",), eras=("V",))
    assert filters.hiding(kobe, both) == ["eras"]


def test_apply_years_and_unknown(atlas: Atlas) -> None:
    df = atlas.pairings
    assert ids(filters.apply(df, Filters(year_min=1979, year_max=1990))) == {"P2", "P3", "P4"}
    assert ids(filters.apply(df, Filters(year_min=1979, year_max=1990, include_unknown=False))) == {"P2", "P4"}
    assert ids(filters.apply(df, Filters(eras=("I",), include_unknown=False))) == {"P1"}
    assert ids(filters.apply(df, Filters(eras=("I",)))) == {"P1"}  # an era never brings in unknown years
    assert ids(filters.apply(df, Filters(eras=("I", "unknown")))) == {"P1", "P3"}
    assert ids(filters.apply(df, Filters(eras=("unknown",)))) == {"P3"}


def test_apply_regions_levels_search(atlas: Atlas) -> None:
    df = atlas.pairings
    assert ids(filters.apply(df, Filters(bri_groups=("asean",)))) == {"P3", "P6"}
    assert ids(filters.apply(df, Filters(continents=("Americas",)))) == {"P2", "P4"}
    assert ids(filters.apply(df, Filters(macro_regions=("west",)))) == {"P3"}
    assert ids(filters.apply(df, Filters(levels=("province_state",)))) == {"P1"}
    assert ids(filters.apply(df, Filters(countries=("USA",)))) == {"P2", "P4"}
    assert ids(filters.apply(df, Filters(search="神户"))) == {"P1"}
    assert ids(filters.apply(df, Filters(search="st. louis"))) == {"P2"}
    assert ids(filters.apply(df, Filters(formal_only=True))) == {"P1", "P2", "P3", "P4", "P6"}
    assert filters.apply(df, Filters(search="no such place")).empty


def test_lens_and_network_in_the_url(vocab: filters.Vocabulary) -> None:
    f, warnings = filters.from_query({"lens": "japan", "net": "C40"}, vocab)
    assert (f.lens, f.network, warnings) == ("japan", "c40", [])
    assert filters.to_query(f) == {"lens": "japan", "net": "c40"}
    assert filters.from_query(filters.to_query(f), vocab)[0] == f
    assert {"usa", "eu", "japan", "brics", "asean", "central_asia"} <= set(vocab.lenses)
    assert {"uclg", "metropolis", "c40", "unesco_ccn"} <= set(vocab.networks)


def test_apply_lens_and_network(atlas: Atlas) -> None:
    df = atlas.pairings
    assert ids(filters.apply(df, Filters(lens="japan"))) == {"P1"}
    assert ids(filters.apply(df, Filters(lens="usa"))) == {"P2", "P4"}
    assert ids(filters.apply(df, Filters(lens="asean"))) == {"P3", "P6"}
    assert ids(filters.apply(df, Filters(lens="central_asia"))) == {"P5"}
    # Nanjing and Guangzhou are C40 members; Tianjin (a UCLG member) and Hekou are not.
    assert ids(filters.apply(df, Filters(network="c40"))) == {"P2", "P4", "P5", "P6"}
    assert ids(filters.apply(df, Filters(network="uclg"))) == {"P1", "P4", "P6"}
    assert ids(filters.apply(df, Filters(network="c40", lens="usa"))) == {"P2", "P4"}
    assert filters.hiding(df[df["pair_id"] == "P1"], Filters(lens="usa")) == ["lens"]
    with pytest.raises(ValueError, match="no chapter lens"):
        filters.apply(df, Filters(lens="atlantis"))


def test_apply_affinity(atlas: Atlas) -> None:
    geography = filters.apply(atlas.pairings, Filters(affinities=("geography",)))
    assert {"P1", "P3"} <= ids(geography)
    assert "P2" not in ids(geography)


def test_view_settings_are_not_filters() -> None:
    # Colouring, the view mode and the flow settings say how the map is drawn: a view with only those changed
    # is still "everything", and a reset keeps them.
    f = Filters(lang="en", color_by="affinity", mode="flow", flow_level="macro", flow_min=3)
    assert f.is_default()
    assert Filters(lang="en", mode="flow", countries=("JPN",)).view_only() == Filters(lang="en", mode="flow")
    assert not set(filters.VIEW_FIELDS) & set(filters.FILTER_FIELDS)


def test_apply_affinity_matches_a_tag_by_tag_test() -> None:
    """The affinity filter (tested once per distinct tag list) keeps exactly the pairings holding a chosen tag."""
    from geo.affinity import AFFINITIES

    df = filters.apply(load_atlas().pairings, Filters())  # the other filters at their defaults
    tags = df["affinities"].map(lambda text: set(text.split(";")))
    for chosen in [(a,) for a in AFFINITIES] + [tuple(AFFINITIES[:2]), tuple(AFFINITIES[2:])]:
        expected = set(df.loc[tags.map(lambda ts, c=set(chosen): bool(ts & c)), "pair_id"])
        assert ids(filters.apply(df, Filters(affinities=chosen))) == expected, chosen
