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
