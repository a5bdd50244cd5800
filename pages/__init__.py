"""The UI layer: page scripts in `pages/views/` and the Streamlit glue beside them in `pages/ui/`.

Nothing but this file sits directly in pages/, so Streamlit's legacy multipage scanner (which runs every
top-level `pages/*.py` as a page of its own when a deep link reaches a fresh server) finds no page, and app.py's
`st.navigation` always decides which page runs, with its sidebar and language.
"""
