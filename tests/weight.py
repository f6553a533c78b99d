"""The weight of a page's first load: its HTML and the CSS and JS it links, no images.

One measure for the tests that guard the 100 KB budget of the public pages (docs/front-door.md,
"First-load weight") and for the benchmark that measures it through the production server
(bench/frontdoor_submit.py).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.staticfiles import finders

ASSETS = re.compile(rb'(?:href|src)="/static/([^"?#]+\.(?:css|js))"')
"""The stylesheets and scripts a page links (a `media="print"` stylesheet included: browsers
fetch it too). Images, icons and fonts are not counted."""


def static_file(name: str) -> bytes:
    """A static file as the finders find it (what WhiteNoise serves, WHITENOISE_USE_FINDERS)."""
    found = finders.find(name)
    assert found, f"no static file {name}"
    with open(str(found), "rb") as fh:
        return fh.read()


@dataclass(frozen=True)
class Weight:
    html: int
    """bytes of the HTML"""
    assets: dict[str, int] = field(default_factory=dict)
    """bytes of each CSS/JS file the page links, by its name under /static/"""
    gzipped: int = 0
    """the same, each response gzipped on its own (level 9)"""

    @property
    def total(self) -> int:
        return self.html + sum(self.assets.values())


def first_load(html: bytes, read: Callable[[str], bytes] = static_file) -> Weight:
    """What a first visit (nothing cached) fetches for this page: the HTML and every CSS and JS
    file it links, each once; `read(name)` gives a file's bytes by its name under /static/."""
    bodies = {name.decode(): b"" for name in ASSETS.findall(html)}
    for name in bodies:
        bodies[name] = read(name)
    return Weight(
        html=len(html),
        assets={name: len(body) for name, body in bodies.items()},
        gzipped=sum(len(gzip.compress(body)) for body in (html, *bodies.values())),
    )
