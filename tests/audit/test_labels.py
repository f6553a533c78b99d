"""The audit trail reads as sentences: every action has a name, details are labelled lines."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

from sigap.audit.labels import ACTIONS, action_label, actor_label, detail_lines, object_label
from sigap.audit.services import audit_record

SRC = Path(__file__).resolve().parents[2] / "src" / "sigap"
# Actions written with a variable part: every value the variable takes.
FORMED = {
    "integrity.{outcome}": ["integrity.confirmed", "integrity.dismissed"],
    "settings.{…}": ["settings.add", "settings.change", "settings.delete"],
    "appraisal.{kind}": ["appraisal.correction", "appraisal.calibration"],
}


def _actions_in_source() -> set[str]:
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        if "demo" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"audit_record\((.*?)\)\n", text, re.S):
            found |= set(re.findall(r'action="([a-z0-9_]+\.[a-z0-9_]+)"', call.group(1)))
            found |= set(re.findall(r'"([a-z0-9_]+\.[a-z0-9_]+)" if', call.group(1)))
            found |= set(re.findall(r'else "([a-z0-9_]+\.[a-z0-9_]+)"', call.group(1)))
    return found | {a for values in FORMED.values() for a in values}


def test_every_audited_action_has_a_name():
    actions = _actions_in_source()
    assert len(actions) > 50
    assert actions - set(ACTIONS) == set()


def test_an_entry_reads_in_indonesian(world):
    from tests import factories
    from tests.conftest import local

    sr = factories.submit(world, at=local(2025, 3, 27))
    entry = audit_record(
        actor="sigap notify",
        action="complaint.status",
        obj=sr,
        data={"action": "follow_up", "from": "didisposisikan", "to": "ditindaklanjuti", "seq": 4},
    )
    with translation.override("id"):
        assert action_label(entry.action) == "Status pengaduan berubah"
        assert actor_label(entry.actor) == "Tugas otomatis: pengiriman pesan"
        assert object_label(entry.object_type, entry.object_id) == f"Permohonan layanan {sr.pk}"
        lines = [(line.label, line.value) for line in detail_lines(entry.action, entry.data)]
    assert lines == [
        ("Tahap", "Ditindaklanjuti"),
        ("Dari", "Didisposisikan ke unit kerja"),
        ("Langkah ke", "4"),
        ("Menjadi", "Ditindaklanjuti"),
    ]


def test_the_page_shows_no_code_and_no_repr(client, world):
    audit_record(
        actor="anonymous", action="wbs.reply", unit=world.counter_a, data={"message_id": 4}
    )
    client.cookies["django_language"] = "id"
    client.force_login(world.users["inspector"])
    html = client.get("/inspektorat/jejak-audit/").content.decode()
    assert "Balasan kepada pelapor WBS" in html and "Pesan: 4" in html
    assert "Pengunjung yang belum masuk" in html
    assert "{'message_id'" not in html and ">wbs.reply<" not in html
