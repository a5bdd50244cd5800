"""Streamlit glue shared by app.py and the page scripts, one job per module:

- `session`: the dataset this session works on (embedded or imported), cached loaders, the language;
- `state`: URL ⇄ widget state — one table from each `Filters` field to its widget key, and page parameters;
- `sidebar`: the shared filters, drawn from a table of controls;
- `component`: the Leaflet map component binding and its cached payloads;
- `blocks`: pieces several pages show (headline figures, the unplaced list, URL warnings);
- `text`: the one place that escapes URL- and user-derived values before they reach Markdown;
- `exports`: the download buttons.

Everything worth testing without a browser lives in `geo`; these modules read widgets and the URL and call it.
"""
