"""Saved views for presenting: a deck survives the trip through the URL, and each view comes back as it was."""

from __future__ import annotations

from pathlib import Path

from geo import deck, filters
from geo.filters import Filters
from geo.load import load_atlas


def vocab(data_dir: Path) -> filters.Vocabulary:
    atlas = load_atlas(data_dir)
    return filters.vocabulary(atlas.pairings, atlas.eras, list(atlas.bri["bri_group"]),
                              list(atlas.provinces["province_en"]), sorted(atlas.pairings["partner_country_iso3"]))


def test_views_round_trip_in_the_presenters_language(data_dir: Path) -> None:
    africa = Filters(lang="en", continents=("Asia",), color_by="affinity")
    flows = Filters(lang="en", mode="flow", flow_level="continent", flow_min=4, search="a|b&c=d")
    views = [deck.view_query(africa, {"view": "10.5,30.2,3", "sel": "ignored", "pair": None}),
             deck.view_query(flows, {"case": "3"})]
    assert "lang" not in views[0] and "sel" not in views[0]
    back = deck.decode(deck.encode(views))
    assert back == views, "a '|' typed in the search box cannot split a view"
    first, second = (deck.slide(v, vocab(data_dir), "zh") for v in back)
    assert first.filters == Filters(lang="zh", continents=("Asia",), color_by="affinity")
    assert first.params == {"view": "10.5,30.2,3"} and first.problems == ()
    assert second.filters.search == "a|b&c=d" and second.filters.flow_level == "continent"
    assert second.params == {"case": "3"}


def test_bad_values_in_a_view_are_named_and_dropped(data_dir: Path) -> None:
    s = deck.slide("cont=Atlantis&mode=flow&x=1", vocab(data_dir), "en")
    assert s.filters == Filters(lang="en", mode="flow")
    assert {(p.key, p.unknown_key) for p in s.problems} == {("cont", False), ("x", True)}


def test_a_view_that_is_no_query_string_is_named(data_dir: Path) -> None:
    s = deck.slide("Africa", vocab(data_dir), "en")
    assert [(p.key, p.value) for p in s.problems] == [("deck", "Africa")]
    assert s.filters == filters.Filters(lang="en") and s.params == {}
    assert deck.slide("mode=flow", vocab(data_dir), "en").problems == ()


def test_adding_views() -> None:
    views = deck.add([], "cont=Africa")
    assert deck.add(views, "cont=Africa") == ["cont=Africa"], "the same view twice in a row is saved once"
    many: list[str] = []
    for n in range(deck.MAX_VIEWS + 5):
        many = deck.add(many, f"q={n}")
    assert len(many) == deck.MAX_VIEWS and many[-1] == f"q={deck.MAX_VIEWS + 4}"
    assert deck.decode("") == [] and deck.decode("a=1||b=2") == ["a=1", "b=2"]
