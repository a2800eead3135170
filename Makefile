# Inspection Atlas: `make demo` runs the main job, `make test` the tests. Both create the venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SHARED ?= ../shared
DB ?= data/ofsted-atlas.sqlite
REPORTS ?= $(SHARED)/corpus/reports
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve test test-unit lint bench fuzz eval-coding train-coding clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(VENV)/.installed

demo: install
	@if [ -d "$(REPORTS)" ]; then \
		$(VENV)/bin/ofsted-atlas ingest "$(REPORTS)" --db $(DB) --reference $(SHARED)/reference; \
	else \
		echo "No reports at $(REPORTS): fetching them from the Ofsted website (ofsted-atlas sync)."; \
		$(VENV)/bin/ofsted-atlas sync --db $(DB) --retries 1 --reference $(SHARED)/reference || { \
		echo; \
		echo "The Ofsted website could not be reached and there are no local reports at $(REPORTS)."; \
		echo "Point the demo at a folder of report PDFs:  make demo REPORTS=/path/to/reports"; \
		echo "or ingest directly:  $(VENV)/bin/ofsted-atlas ingest /path/to/reports"; \
		exit 0; }; \
	fi
	@echo; echo "Example search (management oversight, reports judged inadequate):"
	@$(VENV)/bin/ofsted-atlas code --db $(DB)
	@$(VENV)/bin/ofsted-atlas search "management oversight" --grade inadequate --limit 3 --db $(DB)
	@$(VENV)/bin/ofsted-atlas export reports --format csv --output data/reports.csv --db $(DB)
	@$(VENV)/bin/ofsted-atlas export judgements --format xlsx --output data/judgements.xlsx --db $(DB)
	@$(VENV)/bin/ofsted-atlas brief weaknesses --format html --output data/briefings/weaknesses.html --db $(DB)
	@echo; echo "Database: $(DB)  (CLI: $(VENV)/bin/ofsted-atlas --help)"
	@$(MAKE) --no-print-directory serve

# The web app over the database (read-only); stop with Ctrl+C.
serve: install
	$(VENV)/bin/ofsted-atlas serve --db $(DB) --reference $(SHARED)/reference --host $(HOST) --port $(PORT)

test: install
	$(PY) -m pytest -q

test-unit: install
	$(PY) -m pytest -q tests/unit

lint: install
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy

bench: install
	$(PY) benchmarks/bench_ingest.py
	$(PY) benchmarks/bench_coding.py
	$(PY) benchmarks/bench_briefings.py
	$(PY) benchmarks/bench_web.py

# Fuzzing: over 100,000 generated inputs (parser, segmenter, dates, model, mutated PDFs).
fuzz: install
	OFSTED_ATLAS_FUZZ_EXAMPLES=30000 $(PY) -m pytest -q tests/reliability/test_fuzz.py \
		--hypothesis-show-statistics -p no:cacheprovider

# Held-out scores of the theme model, coder agreement, and tone vs grade on the coded corpus.
eval-coding: install
	$(VENV)/bin/ofsted-atlas ingest "$(REPORTS)" --db $(DB) --reference $(SHARED)/reference
	$(VENV)/bin/ofsted-atlas code --db $(DB)
	$(VENV)/bin/ofsted-atlas eval-coding --corpus "$(REPORTS)" --db $(DB)

# Retrain the shipped theme model from labels/theme_labels.csv (needs the corpus the labels cite).
train-coding: install
	$(PY) -m ofsted_atlas.coding.train "$(REPORTS)"

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
