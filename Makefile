# The two commands of the README. Both set up .venv on first use.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: setup setup-dev demo test lint clean

$(BIN)/copydesk:
	@echo "setup: a virtual environment in $(VENV) with copydesk and its run-time dependencies"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .

setup: $(BIN)/copydesk

# torch first, from the CPU wheel on disk: anything that pulls torch later must not fetch a CUDA build.
$(VENV)/.dev-installed: $(BIN)/copydesk pyproject.toml
	@echo "setup-dev: PyTorch 2.13.0 (CPU, for training only; the run time never imports it)"
	$(BIN)/pip install -q torch==2.13.0
	@echo "setup-dev: test, lint and type tools; training libraries; Ray for batches across machines"
	$(BIN)/pip install -q -e '.[dev,train,ray]'
	touch $@

setup-dev: $(VENV)/.dev-installed
	@echo "setup-dev: Debian's Chromium and Playwright, for the web page's browser tests"
	bash scripts/install-chromium.sh

# The demo's knowledge base: a small hand-written sample in Wikidata's dump format.
.demo-kb/kb.sqlite: examples/knowledge/officials.json | $(BIN)/copydesk
	rm -rf .demo-kb
	$(BIN)/copydesk kb import-wikidata examples/knowledge/officials.json --kb .demo-kb

# copydesk exits 1 when it reports findings, as it does on this story: that is the demo working.
demo: setup .demo-kb/kb.sqlite
	$(BIN)/copydesk check examples/rubio-trip/story.md --sources examples/rubio-trip/sources --kb .demo-kb ; \
	  status=$$?; [ $$status -le 1 ] || exit $$status

test: setup-dev
	@echo "test: lint, format, types, then the tests"
	$(BIN)/ruff check src tests training benchmarks
	$(BIN)/ruff format --check src tests training benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache artifacts
