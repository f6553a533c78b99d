"""Settings of the load benchmark: sigap's own, with the bare endpoint's URLs on top."""

from sigap.settings import *  # noqa: F403

ROOT_URLCONF = "load_urls"
