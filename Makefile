# The two commands of the README. Both set up .venv on first use.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: setup setup-dev demo test lint clean

$(BIN)/copydesk:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .

setup: $(BIN)/copydesk

# torch first, from the CPU wheel on disk: anything that pulls torch later must not fetch a CUDA build.
$(VENV)/.dev-installed: $(BIN)/copydesk pyproject.toml
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev,train,ray]'
	touch $@

setup-dev: $(VENV)/.dev-installed
	bash scripts/install-chromium.sh

demo: setup
	$(BIN)/copydesk check examples/rubio-trip/story.md --sources examples/rubio-trip/sources ; \
	  status=$$?; [ $$status -le 1 ] || exit $$status

test: setup-dev
	$(BIN)/ruff check src tests training benchmarks
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache artifacts
