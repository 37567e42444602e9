# Two commands do all the set-up on a fresh Debian machine:
#   make run    — create .venv, install, start the app
#   make test   — create .venv, install with test extras, run the suite (make test-all: all)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test test-all test-quick lint bench fuzz sysdeps-run sysdeps-test clean

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

# Every test once, one worker process per core (pytest-xdist): offscreen, except the
# tests marked x11 (keyboard focus, shortcuts, window activation), which run on a real X
# server (pytest-xvfb starts one Xvfb per worker). The long variants (marked slow) and
# the full counts of fuzzing, property examples and kills are left to make test-all.
test: sysdeps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n auto -p no:xvfb -m "not slow and not x11"
	QT_QPA_PLATFORM=xcb $(PY) -m pytest -q -n auto -p no:cacheprovider tests/desktop -m "x11 and not slow"

# Everything: the slow tests, full counts, and every desktop test again under Xvfb.
test-all: sysdeps-test $(STAMP)
	YIBAO_THOROUGH=1 YIBAO_FUZZ_RUNS=120 YIBAO_CRASH_TRIALS=12 QT_QPA_PLATFORM=offscreen \
		$(PY) -m pytest -q -n auto -p no:xvfb
	QT_QPA_PLATFORM=xcb $(PY) -m pytest -q -n auto -p no:cacheprovider tests/desktop

# make test without the X server pass, for the edit-run loop.
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

# The longer fuzz run (make test runs 80 mutated inputs, make test-all 240; this 6000,
# and every property test's full count of examples).
fuzz: sysdeps-test $(STAMP)
	YIBAO_THOROUGH=1 YIBAO_FUZZ_RUNS=3000 YIBAO_FUZZ_SEED=$${SEED:-1} QT_QPA_PLATFORM=offscreen \
		$(PY) -m pytest -q -s tests/hostile/test_fuzz.py tests/hostile/test_properties.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
