"""Youcheng Atlas back end: data, places, regions, eras, affinities, arcs, maps and exports.

Nothing in this package imports streamlit, so all of it can be tested and reused without a UI.
"""
