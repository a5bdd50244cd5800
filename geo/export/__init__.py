"""Files a user takes away from a view, one module per kind: spreadsheets (`tables`: CSV and Excel, formula-safe,
values translated), the one-line description of the filters and the data date (`summary`), the slide and print
image drawn with matplotlib (`image`) and the offline interactive map (`standalone`).

To add an export: a function here that takes the filtered pairings (and the filters) and returns bytes or text,
and one row in pages/ui/exports.py's button table.
"""

from __future__ import annotations

from geo.export.image import PRINT_DPI, PRINT_SIZE, SLIDE_DPI, SLIDE_SIZE, export_png, map_figure
from geo.export.standalone import export_html, standalone_html
from geo.export.summary import data_as_of, filter_summary, source_line
from geo.export.tables import export_csv, export_excel, export_table, safe_cell

__all__ = ["PRINT_DPI", "PRINT_SIZE", "SLIDE_DPI", "SLIDE_SIZE", "data_as_of", "export_csv", "export_excel",
           "export_html", "export_png", "export_table", "filter_summary", "map_figure", "safe_cell", "source_line",
           "standalone_html"]
