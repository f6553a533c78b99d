"""pytest plugin: throwaway keys for the test run, set before Django's settings are imported.

Loaded with `-p sigap.pytest_keys` (pyproject's addopts), so plain `pytest`, `make test` and CI
all get it. A conftest.py would be too late: pytest-django imports the settings while pytest is
still loading the initial conftests. The keys are random per process and always replace what
the environment holds, so no test ever runs with a real installation's keys.
"""

from __future__ import annotations

import os

from sigap import keys

os.environ.update(keys.generate())
keys.forget()
