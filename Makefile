# Two commands do everything on a fresh machine (Python 3.11, pip, Java 17):
#   make run   - set up, build the graph from the bundled corpus, print the answers of the saved queries
#   make test  - set up with test extras, run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= output
QUERIES := $(basename $(notdir $(wildcard queries/*.rq)))

.PHONY: run test setup build bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

build: setup
	$(BIN)/xhim build --out $(OUT)

run: build
	@for q in $(QUERIES); do \
		echo; echo "== $$q: $$($(BIN)/xhim query --list | awk -v q=$$q '$$1==q {$$1=""; sub(/^ /,""); print}')"; \
		$(BIN)/xhim query $$q --graph $(OUT)/store || exit $$?; \
	done

# pytest exits 5 when it collects no tests: that is a failure here, not a pass.
test: setup
	@$(BIN)/python -m pytest -n 2 -q; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; \
	exit $$status

bench: setup
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/bench.py --sizes 100 1000 10000

clean:
	rm -rf $(OUT) .pytest_cache
