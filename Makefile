# Two commands do all the set-up on a fresh Debian machine:
#   make run    — create .venv, install, start the app
#   make test   — create .venv, install with test extras, run the whole suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test test-quick lint bench fuzz sysdeps-run sysdeps-test clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

sysdeps-run:
	@sh scripts/sysdeps.sh run

sysdeps-test:
	@sh scripts/sysdeps.sh test

run: sysdeps-run $(STAMP)
	$(VENV)/bin/yibao-desk

# The whole suite, one worker process per core (pytest-xdist); then the desktop tests
# again on a real X server (pytest-xvfb starts one Xvfb per worker), where focus, window
# activation and input are X11's, not the offscreen plugin's.
test: sysdeps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n auto -p no:xvfb
	QT_QPA_PLATFORM=xcb $(PY) -m pytest -q -n auto -p no:cacheprovider tests/desktop -m "not slow"

# Everything but the tests marked slow, for the edit-run loop.
test-quick: sysdeps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n auto -p no:xvfb -m "not slow"

# The static checks alone (make test runs them too, as tests/test_style.py and
# tests/test_architecture.py): ruff, the import layers, mypy.
lint: $(STAMP)
	$(PY) -m ruff check forms desktop cli tests benchmarks scripts
	$(VENV)/bin/lint-imports
	$(PY) -m mypy

# make bench ONLY=packet,imaging re-runs just those modules
bench: sysdeps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/run.py $(if $(ONLY),--only $(ONLY))

# The longer fuzz run (make test runs 240 mutated inputs; this runs 6000).
fuzz: sysdeps-test $(STAMP)
	YIBAO_FUZZ_RUNS=3000 YIBAO_FUZZ_SEED=$${SEED:-1} QT_QPA_PLATFORM=offscreen \
		$(PY) -m pytest -q -s tests/hostile/test_fuzz.py tests/hostile/test_properties.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
