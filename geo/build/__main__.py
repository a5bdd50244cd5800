"""`python -m geo.build`: rebuild every processed file in data/ (and the basemap) from data/raw/."""

from __future__ import annotations

from geo.build import basemap, countries, pairings


def main() -> None:
    print(f"countries: {countries.write_countries()} rows")
    basemap.main()
    print("pairings:", pairings.build())


if __name__ == "__main__":
    main()
