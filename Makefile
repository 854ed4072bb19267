# Two commands do everything on a fresh machine:
#   make app    set up .venv, then serve the app on http://localhost:8501
#   make test   set up .venv (and Debian's chromium for the browser tests), then run every test
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup app test browser benchmark notebooks clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Streamlit serves only ./static (and no symlinks): the app's copy of the packaged map is built here.
MAP := static/topojson/world_110m.json
$(MAP): model/assets/world_110m.json
	cp $< $@

setup: $(STAMP) $(MAP)

# Playwright drives Debian's chromium; the browser is never downloaded.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# MALLOC_ARENA_MAX=2: glibc gives every thread that allocates its own malloc arena, and Streamlit
# runs each session's script in a thread; with two arenas the server's memory stays flat over a long
# session (benchmarks/bench_browser.py --only memory, one run each: +3.7 % against +24.9 % with glibc's default).
app: setup
	MALLOC_ARENA_MAX=$${MALLOC_ARENA_MAX:-2} $(VENV)/bin/streamlit run app.py --server.port 8501 --server.headless true

test: setup browser
	$(PY) -m pytest

benchmark: setup
	$(PY) benchmarks/bench_run.py
	$(PY) benchmarks/bench_app.py
	$(PY) benchmarks/bench_uncertainty.py
	$(PY) benchmarks/bench_startup.py
	$(PY) benchmarks/bench_browser.py

# The notebooks' sources are notebooks/*.py (jupytext percent format); this rebuilds the paired,
# unexecuted .ipynb files from them (--update keeps the cell ids, so an unchanged cell is an unchanged diff).
notebooks: setup
	$(PY) -m jupytext --update --to ipynb notebooks/*.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis test-artifacts
