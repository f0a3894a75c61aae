# Two commands do all the set-up themselves: `make report` (the main job) and `make test`.
# Each creates and fills the virtualenv .venv on first use (and again when pyproject.toml changes).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The test tools, and torch + JAX (CPU) for the export targets --target torch / jax: their tests
# run here; `make EXTRAS=test` leaves the frameworks out (their tests then skip, saying why).
EXTRAS ?= test,frameworks

.PHONY: report verify test test-fast screenshot clean

# constraints.txt pins the versions installed (the reports' bytes depend on matplotlib, fontTools,
# SymPy's printers: see its header); pyproject.toml keeps the library's own ranges.
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[$(EXTRAS)]'
	touch $@

# The main job: verify the whole catalog and regenerate reports/ (HTML, LaTeX) from it.
report: $(VENV)/.installed
	$(BIN)/smoothsym report -j 2

verify: $(VENV)/.installed
	$(BIN)/smoothsym verify

# The tests (two processes; the slow ones only where CI=true, as in .ci/run, or with
# PYTEST_ARGS=--run-slow), then the check that the committed reports are current.
test: $(VENV)/.installed
	$(BIN)/pytest -n 2 -rs $(PYTEST_ARGS)
	$(BIN)/smoothsym report --check -j 2

# The edit-test loop (a few minutes here; see the README for measured times): the tests not marked slow or heavy (exports and their
# measurement, torch/JAX, the guide, the subprocess-heavy command-line tests: see tests/conftest.py),
# stopping at the first failure; no report check. `make test` runs everything.
test-fast: $(VENV)/.installed
	$(BIN)/pytest -n 2 -x -q -rs -m "not slow and not heavy" $(PYTEST_ARGS)

# The README's picture of a report page: reports/smooth-abs.html in headless Chromium (installed
# by hand or by .ci/run), 1200 px wide. Run after `make report`.
screenshot:
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
	  --disable-component-update --disable-sync --user-data-dir=$$(mktemp -d) --hide-scrollbars \
	  --window-size=1200,1600 --screenshot=docs/report-smooth-abs.png file://$(CURDIR)/reports/smooth-abs.html

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
