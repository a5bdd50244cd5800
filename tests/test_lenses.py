"""Chapter lenses: membership resolved from data/lenses.yaml, and figures checked against the fixture pairings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo import lenses, paths
from geo._validate import AtlasDataError
from geo.load import load_atlas


@pytest.fixture(scope="module")
def countries() -> pd.DataFrame:
    return pd.read_csv(paths.COUNTRIES, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def book_lenses(countries: pd.DataFrame) -> dict[str, lenses.Lens]:
    return {lens.id: lens for lens in lenses.load_lenses(paths.LENSES, countries)}


def test_every_comparative_chapter_has_a_lens(book_lenses: dict[str, lenses.Lens]) -> None:
    assert {lens.chapter for lens in book_lenses.values()} == {5, 6, 7, 8, 9, 10, 11}
    assert all(lens.page >= 125 for lens in book_lenses.values())


def test_memberships(book_lenses: dict[str, lenses.Lens]) -> None:
    eu = dict(book_lenses["eu"].members)
    assert len(eu) == 27 and "GBR" not in eu and eu["HRV"] == 2013 and eu["DEU"] == 1958
    brics = dict(book_lenses["brics"].members)
    assert brics["IDN"] == 2025 and brics["ZAF"] == 2010 and "SAU" not in brics and "CHN" not in brics
    assert set(book_lenses["central_asia"].countries) == {"KAZ", "KGZ", "TJK", "TKM", "UZB"}
    ssa = set(book_lenses["subsaharan_africa"].countries)
    assert {"NGA", "KEN", "ZAF"} <= ssa and not {"EGY", "MAR", "SDN"} & ssa
    assert {"BRA", "MEX", "CUB"} <= set(book_lenses["latin_america"].countries)
    assert {"TUR", "SAU", "ISR"} <= set(book_lenses["middle_east"].countries)
    assert dict(book_lenses["asean"].members)["TLS"] == 2025


def test_figures_on_the_fixture(data_dir: Path, book_lenses: dict[str, lenses.Lens]) -> None:
    pairings = load_atlas(data_dir).pairings
    usa = lenses.figures(pairings, book_lenses["usa"])
    # The fixture has two US partners: St. Louis (Nanjing, 1979-11) and Los Angeles.
    assert usa.pairings == 2
    assert usa.share_of_dataset == pytest.approx(2 / 6)
    assert usa.countries_with_ties == 1 and usa.member_countries == 1
    assert usa.first["partner_name_en"].tolist() == ["St. Louis"]
    assert int(usa.by_level["pairings"].sum()) == 2
    japan = lenses.figures(pairings, book_lenses["japan"])
    assert japan.pairings == 1 and japan.first["established"].tolist() == ["1973-06-24"]
    assert japan.since_2013 == 0 and japan.dated == 1
    asean = lenses.figures(pairings, book_lenses["asean"])
    assert set(asean.by_country.loc[asean.by_country["pairings"] > 0, "partner_country_iso3"]) == {"VNM", "MYS"}
    assert len(asean.by_country) == 11  # members without a tie are listed with zero


def test_japan_highlights_tokyo_hokkaido_niigata(book_lenses: dict[str, lenses.Lens]) -> None:
    df = pd.DataFrame({
        "partner_country_iso3": ["JPN", "JPN", "JPN", "JPN", "USA"],
        "partner_name_en": ["Tokyo", "Hokkaido Prefecture", "Kobe", "Niigata", "Tokyo"],
        "partner_name_zh": ["东京都", "", "神户市", "新潟市", ""],
    })
    assert lenses.highlight_mask(df, book_lenses["japan"]).tolist() == [True, True, False, True, False]


def test_bad_lens_file_names_the_problem(tmp_path: Path, countries: pd.DataFrame) -> None:
    path = tmp_path / "lenses.yaml"
    path.write_text("- {id: x, chapter: 5, page: 1, title_zh: a, title_en: a, basis_zh: b, basis_en: b, "
                    "source_outlet: s, members: [{iso3: XXX}]}\n", encoding="utf-8")
    with pytest.raises(AtlasDataError, match="XXX"):
        lenses.load_lenses(path, countries)
    path.write_text("- {id: x, chapter: 5, page: 1, title_zh: a, title_en: a, basis_zh: b, basis_en: b, "
                    "source_outlet: s, m49: ['999']}\n", encoding="utf-8")
    with pytest.raises(AtlasDataError, match="999"):
        lenses.load_lenses(path, countries)


# --- The book's lenses on the embedded data ----------------------------------------------------------------------

def _rows() -> list[dict[str, str]]:
    import csv

    with paths.PAIRINGS.open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["status"] in ("", "active")]  # the default view: standing ties


LEVEL_OF = {"province": "province_state", "prefecture": "city_city", "county": "county", "district": "county"}


@pytest.mark.parametrize("lens_id", ["usa", "eu", "japan", "brics", "asean", "central_asia", "middle_east",
                                     "latin_america", "subsaharan_africa"])
def test_each_lens_figures_agree_with_the_data(lens_id: str) -> None:
    """Every number the panel states, counted again straight from data/pairings.csv."""
    from geo import filters

    lens = lenses.get(lens_id)
    standing = _rows()
    mine = [r for r in standing if r["partner_country_iso3"] in set(lens.countries)]
    fig = lenses.figures(filters.apply(load_atlas().pairings, filters.Filters()), lens)
    assert fig.pairings == len(mine) > 0
    assert fig.share_of_dataset == pytest.approx(len(mine) / len(standing))
    assert fig.countries_with_ties == len({r["partner_country_iso3"] for r in mine})
    years = [int(r["established"][:4]) for r in mine if r["established"]]
    assert fig.dated == len(years) and fig.since_2013 == sum(y >= 2013 for y in years)
    assert fig.before_2013 == sum(y < 2013 for y in years)
    assert set(fig.first["established"].str[:4].astype(int)) == {min(years)}
    levels = pd.Series([LEVEL_OF[r["cn_level"]] for r in mine]).value_counts()
    assert fig.by_level.set_index("level_class")["pairings"].to_dict() == levels.to_dict()
    if lens.level_focus:
        assert fig.focus_level == int(levels.get(lens.level_focus, 0))
    provinces = pd.Series([r["cn_province_en"] for r in mine if r["cn_province_en"]]).value_counts()
    assert int(fig.top_provinces["pairings"].iloc[0]) == int(provinces.iloc[0])
    assert int(fig.by_country["pairings"].sum()) == len(mine)


def test_lens_names_and_lookup() -> None:
    japan = lenses.get("japan")
    assert japan.label("zh") == "第7章 日本" and japan.label("en") == "Ch. 7 Japan"
    assert lenses.get("middle_east").label("en") == "Ch. 11 Middle East"
    assert list(lenses.book_lenses())[0] == "usa"
    with pytest.raises(ValueError, match="no chapter lens"):
        lenses.get("atlantis")
    from geo import i18n

    for lens in lenses.book_lenses().values():
        if lens.level_focus:  # the panel's sentence about the chapter's level
            assert i18n.has(f"lens_says_focus_{lens.level_focus}")


def test_japan_highlights_on_the_data() -> None:
    """Ch. 7's examples, Tokyo, Hokkaido and Niigata, with their ties to China; Tokyo's wards are not Tokyo."""
    fig = lenses.figures(load_atlas().pairings, lenses.get("japan"))
    pairs = set(zip(fig.highlighted["cn_name_en"], fig.highlighted["partner_name_en"], strict=True))
    assert {("Beijing", "Tokyo"), ("Heilongjiang", "Hokkaido"), ("Heilongjiang", "Niigata Prefecture"),
            ("Harbin", "Niigata")} <= pairs
    assert not any("–" in partner or "(Tokyo)" in partner for _, partner in pairs)
