"""Write the onboarding workbooks that are generated, not edited by hand:

- the template standards-standar-pelayanan.xlsx (static/onboarding/templates of the app);
- docs/onboarding/samples/standar-pelayanan.xlsx (the sample agency's four standard versions).

Run from the repository root after changing `sigap.onboarding.standards_template`:

    PYTHONPATH=src python tools/onboarding_templates.py

tests/onboarding/test_standards.py checks the committed files hold what this writes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
    import django

    django.setup()
    from sigap.onboarding.standards_template import write_files

    for path in write_files(ROOT):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
