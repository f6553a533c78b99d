"""`sigap serve` runs the production server the load benchmark measures (serve.server_argv)."""

from __future__ import annotations

from itertools import pairwise

import pytest
from django.core.management.base import CommandError

from sigap.web.management.commands.serve import server_argv


def test_the_server_is_granian_with_one_python_thread_per_worker_and_no_access_log():
    argv = server_argv("sigap.wsgi:application", "0.0.0.0:8000", 4)
    assert argv[1:3] == ["-m", "granian"] and argv[-1] == "sigap.wsgi:application"
    options = dict(pairwise(argv[3:]))
    assert options["--interface"] == "wsgi" and options["--workers"] == "4"
    assert options["--host"] == "0.0.0.0" and options["--port"] == "8000"
    # One thread per worker: the database connections are exactly the workers.
    assert options["--blocking-threads"] == "1"
    assert "--no-access-log" in argv and "--access-log" not in argv


def test_an_ipv6_bind_and_a_bad_bind():
    argv = server_argv("sigap.wsgi:application", "[::1]:8080")
    assert argv[argv.index("--host") + 1] == "::1" and argv[argv.index("--port") + 1] == "8080"
    with pytest.raises(CommandError):
        server_argv("sigap.wsgi:application", "8000")


@pytest.mark.parametrize("bench", ["load_citizen_voice.py", "frontdoor_submit.py"])
def test_the_load_benchmarks_start_the_same_server(bench):
    from pathlib import Path

    source = (Path(__file__).parents[2] / "bench" / bench).read_text()
    assert "server_argv(" in source and "gunicorn" not in source
