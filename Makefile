# werk-naar-werk: the two commands are `make run` and `make test`.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Find a Python >= 3.12: PATH first (python3.13, python3.12, python3), then pyenv.
define find_python
for c in python3.13 python3.12 python3; do \
  p=$$(command -v $$c 2>/dev/null) || continue; \
  if $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$p; exit 0; fi; \
done; \
if command -v pyenv >/dev/null 2>&1; then \
  for v in $$(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9]|[2-9][0-9])' | sort -rV); do \
    p=$$(pyenv prefix $$v 2>/dev/null)/bin/python3; \
    if [ -x $$p ] && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then echo $$p; exit 0; fi; \
  done; \
fi; \
exit 1
endef

.PHONY: run test venv lint bench dashboard clean

$(PY):
	@PYBIN=$$( $(find_python) ) || { \
	  echo "error: Python >= 3.12 is required (Mesa 3.5). None found on PATH or through pyenv." >&2; \
	  echo "       Install one (e.g. 'pyenv install 3.12') and run make again." >&2; exit 1; }; \
	echo "Creating $(VENV) with $$PYBIN ($$($$PYBIN --version))"; \
	$$PYBIN -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,dashboard,browser,recipes]'
	$(PY) -m dashboard.install_assets
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(PY) run_experiment.py

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

bench: $(STAMP)
	$(PY) benchmarks/bench_model.py

# The workshop scenario comparer (docs/DASHBOARD.md); HOST=0.0.0.0 to serve beyond this machine.
HOST ?= 127.0.0.1
PORT ?= 8765
dashboard: $(STAMP)
	$(PY) -m dashboard --host $(HOST) --port $(PORT)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
