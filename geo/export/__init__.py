"""Files a user takes away from a view, one module per kind: spreadsheets (`tables`: CSV and Excel, formula-safe,
values translated), the one-line description of the filters and the data date (`summary`), the map as a picture
for slides and print — PNG, SVG, PDF — fitted to the view and labelled (`image`), the network's growth as a GIF or
MP4 (`animation`), the briefing deck (`deck`, PPTX) and the offline interactive map (`standalone`). `view` holds
what every file is made of: the dataset, the filters and the focus.

To add an export: a function here that takes the atlas and the filters (and the focus) and returns bytes, one
row in `BUILDERS` (the benchmark times each) and one row in pages/ui/exports.py's button table.
"""

from __future__ import annotations

from collections.abc import Callable

from geo import load
from geo.export.animation import growth_gif, growth_mp4
from geo.export.deck import briefing_pptx
from geo.export.image import (
    PRINT_DPI,
    PRINT_SIZE,
    SLIDE_DPI,
    SLIDE_SIZE,
    draw_map,
    export_png,
    export_vector,
    map_figure,
    print_pdf,
    print_png,
    print_svg,
    slide_png,
)
from geo.export.standalone import export_html, standalone_html
from geo.export.summary import data_as_of, filter_summary, source_line, view_slug
from geo.export.tables import export_csv, export_excel, export_table, safe_cell
from geo.export.view import NO_FOCUS, Focus, focus_for
from geo.filters import Filters

# One function per file a view can be exported as, each taking the whole dataset and the filters (and a focus):
# what bench/ times for the full dataset.
Builder = Callable[[load.Atlas, Filters, Focus], bytes]
BUILDERS: dict[str, Builder] = {
    "png_slide": slide_png,
    "png_print": print_png,
    "svg_print": print_svg,
    "pdf_print": print_pdf,
    "gif_growth": growth_gif,
    "mp4_growth": growth_mp4,
    "pptx_deck": briefing_pptx,
}

__all__ = ["BUILDERS", "NO_FOCUS", "PRINT_DPI", "PRINT_SIZE", "SLIDE_DPI", "SLIDE_SIZE", "Focus", "briefing_pptx",
           "data_as_of", "draw_map", "export_csv", "export_excel", "export_html", "export_png", "export_table",
           "export_vector", "filter_summary", "focus_for", "growth_gif", "growth_mp4", "map_figure", "print_pdf",
           "print_png", "print_svg", "safe_cell", "slide_png", "source_line", "standalone_html", "view_slug"]
