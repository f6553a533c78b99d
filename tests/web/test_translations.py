"""The Indonesian catalogue is complete and its compiled .mo matches the .po."""

from __future__ import annotations

import gettext
import json
import re
from pathlib import Path

import sigap

LOCALE = Path(sigap.__file__).parent / "locale" / "id" / "LC_MESSAGES"


def _entries() -> dict[str, str]:
    entries: dict[str, str] = {}
    for block in (LOCALE / "django.po").read_text().split("\n\n"):
        assert "#, fuzzy" not in block, f"fuzzy translation left in:\n{block}"
        if "msgid_plural" in block:
            continue
        match = re.search(r'^msgid ((?:".*"\n?)+)^msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        if not match:
            continue
        msgid = "".join(json.loads(s) for s in match.group(1).split("\n") if s)
        msgstr = "".join(json.loads(s) for s in match.group(2).split("\n") if s)
        if msgid:
            entries[msgid] = msgstr
    return entries


def test_every_message_has_an_indonesian_translation():
    untranslated = [msgid for msgid, msgstr in _entries().items() if not msgstr.strip()]
    assert untranslated == []


def test_the_compiled_catalogue_is_up_to_date():
    with (LOCALE / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = {m: s for m, s in _entries().items() if compiled.gettext(m) != s}
    assert stale == {}, "run: msgfmt -o django.mo django.po"
