"""Build-time code: turns data/raw/ into the processed files in data/. Not needed to run the app."""
