"""Fill msgstr entries of a .po file from a JSON dictionary {msgid: msgstr} and clear their
fuzzy flags. Used when adding a handful of UI strings; bulk translation is done by people.

    python tools/po_fill.py src/sigap/locale/id/LC_MESSAGES/django.po translations.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def _unquote(lines: list[str]) -> str:
    return "".join(json.loads(line[line.index('"') :]) for line in lines)


def fill(po: str, table: dict[str, str]) -> tuple[str, int]:
    blocks = po.split("\n\n")
    filled = 0
    for i, block in enumerate(blocks):
        lines = block.split("\n")
        ids = [n for n, line in enumerate(lines) if line.startswith("msgid ")]
        strs = [n for n, line in enumerate(lines) if line.startswith("msgstr")]
        if not ids or not strs or "msgid_plural" in block:
            continue
        msgid = _unquote(lines[ids[0] : strs[0]])
        if msgid not in table:
            continue
        head = [
            line
            for line in lines[: ids[0]]
            if not line.startswith("#|") and line.strip() != "#, fuzzy"
        ]
        head = [re.sub(r", fuzzy", "", line) if line.startswith("#,") else line for line in head]
        translated = "msgstr " + json.dumps(table[msgid], ensure_ascii=False)
        blocks[i] = "\n".join([*head, *lines[ids[0] : strs[0]], translated])
        filled += 1
    return "\n\n".join(blocks), filled


if __name__ == "__main__":
    path = Path(sys.argv[1])
    table = json.loads(Path(sys.argv[2]).read_text())
    text, count = fill(path.read_text(), table)
    path.write_text(text)
    print(f"filled {count} of {len(table)} entries")
