"""Youcheng Atlas (友城地图): the Streamlit entry point.

Run with `streamlit run app.py`. It builds the navigation and the shared sidebar; pages live in pages/ and call
the `geo` package. See README.md.
"""

from __future__ import annotations

from pages._ui import run_app

run_app()
