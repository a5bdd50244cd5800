"""Youcheng Atlas (友城地图): the Streamlit entry point. Run with `streamlit run app.py` (or `make run`).

Page config, the navigation over the page scripts in pages/views/, the shared filters and the URL. Each run:
widgets are read into one `Filters` value (pages/ui/state.py), the chosen page runs, then the sidebar is drawn
(so the page reaches the browser first) and the view is written to the URL. See README.md, "Architecture".

Adding a page: a script in pages/views/, a row in `PAGES`, and its title under `page_<url>` in geo/locale.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from geo import paths
from geo.i18n import t
from pages.ui import blocks, session, sidebar, state
from pages.ui.blocks import VIEWS


@dataclass(frozen=True)
class PageSpec:
    file: str
    url: str  # URL path; the title is the catalogue key page_<url>
    icon: str
    sidebar: bool = True  # presentation mode hides it


PAGES = [
    PageSpec("map.py", "map", ":material/map:"),
    PageSpec("cases.py", "cases", ":material/menu_book:"),
    PageSpec("lenses.py", "lenses", ":material/auto_stories:"),
    PageSpec("networks.py", "networks", ":material/hub:"),
    PageSpec("timeline.py", "timeline", ":material/timeline:"),
    PageSpec("rankings.py", "rankings", ":material/leaderboard:"),
    PageSpec("bri.py", "bri", ":material/explore:"),
    PageSpec("city.py", "city", ":material/location_city:"),
    PageSpec("data.py", "data", ":material/table_view:"),
    PageSpec("method.py", "method", ":material/extension:"),
    PageSpec("present.py", "present", ":material/slideshow:", sidebar=False),
]


def main(default: str = "map") -> None:
    """One run of the app, with `default` as the page of the bare URL."""
    st.set_page_config(page_title="友城地图 Youcheng Atlas", page_icon=str(paths.WEB / "favicon.png"), layout="wide")
    state.begin_run()
    lang = session.lang()
    page = st.navigation([st.Page(VIEWS / p.file, title=t(f"page_{p.url}", lang), url_path=p.url, icon=p.icon,
                                  default=p.url == default) for p in PAGES])
    spec = next(p for p in PAGES if p.url == (page.url_path or default))
    if not spec.sidebar:
        blocks.hide_chrome()
    page.run()
    if spec.sidebar:
        sidebar.draw()  # after the page, so the map reaches the browser first; the widgets keep their state
    state.publish()


if __name__ == "__main__":
    main()
