"""Importers for pairing lists a user brings: their own CSV (`user_csv`) and the official registry's JSON
(`registry_json`, fetched on request by `registry_fetch`).

Each importer turns its input rows into `Record`s (`record`); `merge.merge_records` matches both ends to known
places (`matching`), merges rows already in the dataset, adds new ones with `U…` ids, checks the result with the
same validator as the embedded data, and writes one report row per input row (`report`). `merge.to_atlas` joins
the result into a session-only `Atlas`; the embedded files are never written.
"""

from __future__ import annotations

from geo._validate import AtlasDataError
from geo.sources.dates import normalise_date
from geo.sources.merge import merge_records, to_atlas
from geo.sources.record import MAX_BYTES, MAX_ROWS, Record
from geo.sources.report import ImportResult, ReportRow

__all__ = ["MAX_BYTES", "MAX_ROWS", "AtlasDataError", "ImportResult", "Record", "ReportRow", "merge_records",
           "normalise_date", "to_atlas"]
