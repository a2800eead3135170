# Inspection Atlas: `make demo` runs the main job, `make test` the tests. Both create the venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SHARED ?= ../shared
DB ?= data/ofsted-atlas.sqlite
REPORTS ?= $(SHARED)/corpus/reports
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve test test-unit lint bench fuzz eval-coding train-coding train-teacher eval-teacher clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(VENV)/.installed

demo: install
	@VENV=$(VENV) DB=$(DB) SHARED=$(SHARED) REPORTS="$(REPORTS)" HOST=$(HOST) PORT=$(PORT) \
		bash scripts/demo.sh

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
# CORRECTIONS=FILE adds reviewers' corrections (`ofsted-atlas labels export -o FILE`).
CORRECTIONS ?=
train-coding: install
	$(PY) -m ofsted_atlas.coding.train "$(REPORTS)" $(if $(CORRECTIONS),--corrections "$(CORRECTIONS)")

# Regenerate the polarity teacher's readings (labels/theme_labels_teacher.csv.gz): fine-tunes a
# small transformer on the CPU (3 epochs: about 20 minutes here), then run `make train-coding`.
train-teacher: install
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,teacher]'
	$(VENV)/bin/ofsted-atlas ingest "$(REPORTS)" --db $(DB) --reference $(SHARED)/reference
	$(PY) -m ofsted_atlas.coding.teacher "$(REPORTS)" --db $(DB)

# Why themes stay with the fast linear model: fine-tunes the teacher (about 20 minutes), then
# prints its held-out theme micro-F1 alone and averaged with the shipped model. Writes nothing.
eval-teacher: install
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,teacher]'
	$(PY) -m ofsted_atlas.coding.teacher "$(REPORTS)" --evaluate-themes

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
