# The index of what one can do here. `make help` lists it.
PY ?= python3
PORT ?= 8501

.PHONY: help install run test test-fast browser lint data data-check coverage bench ci

help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

install: ## install Python packages (run time, tests, build) and Debian's Chromium and CJK fonts
	bash .ci/install.sh

run: install ## start the app on the embedded data (http://localhost:$(PORT))
	$(PY) -m pages.ui.warm_up $(PORT) & exec $(PY) -m streamlit run app.py --server.port $(PORT)

test: install ## run every test: unit, AppTest and browser tests
	$(PY) -m pytest

test-fast: ## unit and AppTest tests only (no browser)
	$(PY) -m pytest -m "not browser"

lint: ## ruff on everything, mypy on geo/, pages/ and app.py
	$(PY) -m ruff check geo pages tests bench app.py
	$(PY) -m mypy geo pages app.py

data: ## rebuild data/ and the basemap from data/raw/, and the README's coverage figures
	$(PY) -m geo.build
	$(PY) -m geo.coverage --readme

data-check: data ## rebuild and fail if the committed files changed
	git diff --exit-code -- data geo/web/atlas_map/basemap.json

coverage: ## how complete the dataset is, against the official totals
	$(PY) -m geo.coverage

bench: ## measure the map at 2k/10k/50k synthetic pairings against folium (README table), and the exports of the embedded data
	$(PY) bench/map_bench.py $(BENCH_ARGS)
	$(PY) bench/readme_table.py
	$(PY) bench/export_bench.py

ci: ## what CI runs
	bash .ci/run
