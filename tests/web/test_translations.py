"""The Indonesian catalogue is complete and its compiled .mo matches the .po."""

from __future__ import annotations

import gettext
import json
import re
from pathlib import Path

import sigap

LOCALE = Path(sigap.__file__).parent / "locale" / "id" / "LC_MESSAGES"


def _entries() -> dict[str, str]:
    """msgid -> msgstr; a message with a context (msgctxt) is keyed "context\x04msgid", as
    the compiled catalogue keys it."""
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
        context = re.search(r'^msgctxt (".*")$', block, re.M)
        if msgid:
            key = f"{json.loads(context.group(1))}\x04{msgid}" if context else msgid
            entries[key] = msgstr
    return entries


def test_every_message_has_an_indonesian_translation():
    untranslated = [msgid for msgid, msgstr in _entries().items() if not msgstr.strip()]
    assert untranslated == []


def _compiled(catalogue: gettext.GNUTranslations, key: str) -> str:
    context, sep, msgid = key.partition("\x04")
    return catalogue.pgettext(context, msgid) if sep else catalogue.gettext(key)


def test_the_compiled_catalogue_is_up_to_date():
    with (LOCALE / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = {m: s for m, s in _entries().items() if _compiled(compiled, m) != s}
    assert stale == {}, "run: msgfmt -o django.mo django.po"
