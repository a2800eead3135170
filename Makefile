# Inspection Atlas: `make demo` runs the main job, `make test` the tests. Both create the venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SHARED ?= ../shared
DB ?= data/ofsted-atlas.sqlite
REPORTS ?= $(SHARED)/corpus/reports
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install axe datasette demo serve test test-unit lint bench fuzz eval-coding train-coding train-reader train-teacher eval-teacher clean mutation api-fuzz

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

# axe-core (npm) for the accessibility tests, installed as .ci/run does when npm is present, so
# the browser and accessibility tests run on a developer's machine rather than skip.
AXE := .ci/node/node_modules/axe-core/axe.min.js
AXE_VERSION ?= 4.14.1

$(AXE):
	@if command -v npm >/dev/null; then \
		npm install --silent --no-audit --no-fund --prefix .ci/node axe-core@$(AXE_VERSION) >/dev/null \
			|| echo "axe-core could not be installed: accessibility tests will skip"; \
	else echo "npm not found: accessibility tests will skip (install Node.js to run them)"; fi

axe: $(AXE)

test: install axe
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
	$(PY) benchmarks/bench_robustness.py

# Mutation check on parse, store and coding: a sample of mutants, bounded in time (see the script).
mutation: install
	VENV=$(VENV) bash scripts/mutation.sh

# The JSON API against its own schema with schemathesis: over 5,000 generated requests in process,
# over the database in DB (the test suite runs a small number of them, on a synthetic one).
api-fuzz: install
	OFSTED_ATLAS_SCHEMA_DB=$(DB) OFSTED_ATLAS_SCHEMA_EXAMPLES=$${EXAMPLES:-750} $(PY) -m pytest \
		-q -p no:cacheprovider tests/unit/test_web_robustness.py -k schema \
		--hypothesis-show-statistics

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

# The transformer reader (coding/reader*.py): installs the training extra (torch CPU build),
# fine-tunes MiniLM on the training labels (dev split held out; at most 3 epochs, stopping after
# the epoch that passes 30 minutes), exports it to ONNX and quantises it to int8
# (src/ofsted_atlas/coding/model/reader.onnx, tokenizer.json, reader.json, reader_dev.npz), retrains the theme model blended with it (as `make train-coding`),
# then prints the held-out scores of linear, reader and blend and int8 against fp32.
train-reader: install
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,teacher]'
	HF_HUB_OFFLINE=1 $(PY) -m ofsted_atlas.coding.reader_train "$(REPORTS)" --work data/reader
	$(PY) -m ofsted_atlas.coding.train "$(REPORTS)"
	$(PY) -m ofsted_atlas.coding.reader_eval "$(REPORTS)" --fp32 data/reader/reader.fp32.onnx

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

# Datasette over the database, for questions the pages do not answer (optional extra).
datasette: install
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[datasette]'
	$(VENV)/bin/datasette $(DB) -m src/ofsted_atlas/web/datasette.json --host $(HOST) --port $(PORT)

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
