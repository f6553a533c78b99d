"""`sigap onboard`: the dry run's report and exit status, --apply, a refusal, the options and
the agency sub-command, with the test importer of tests/onboarding/probe_importer.py."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sigap.audit.models import AuditEntry
from sigap.onboarding.models import ImportRun
from sigap.onboarding.services import parse_options
from sigap.organisation.models import Agency, AgencySpecialDay
from tests.onboarding.probe_importer import ORGANISATION, probe_importers  # noqa: F401

pytestmark = pytest.mark.usefixtures("probe_importers")

GOOD = "date,name\n2025-08-17,Kemerdekaan\n2025-10-07,Hari jadi\n2025-12-31,\n"
BAD = "date,name\n2025-08-17,Kemerdekaan\n2025-13-01,Salah\n2025-08-17,Lagi\n"


def run(tmp_path, body: str, *args: str, name: str = "days.csv") -> str:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    out = StringIO()
    call_command("onboard", ORGANISATION, str(path), "--agency", "contoh", *args, stdout=out)
    return out.getvalue()


def days(world) -> dict[date, str]:
    return dict(AgencySpecialDay.objects.filter(agency=world.agency).values_list("date", "name"))


def test_a_dry_run_prints_counts_changes_and_problems_and_writes_nothing(world, tmp_path):
    AgencySpecialDay.objects.create(agency=world.agency, date=date(2025, 10, 7), name="Hut")
    out = run(tmp_path, GOOD, "--lang", "en")
    lines = out.splitlines()
    assert lines[0] == "Probe probe-org, days.csv: 3 rows read."
    assert lines[1] == ("create 2, update 1, deactivate 0, unchanged 0; errors 0, warnings 1")
    assert lines[2:6] == [
        "Changes:",
        "  create: Day 2025-08-17 (row 2): name “Kemerdekaan”",
        "  update: Day 2025-10-07 (row 3): name “Hut” → “Hari jadi”",
        "  create: Day 2025-12-31 (row 4): name “2025-12-31”",
    ]
    assert lines[6:8] == ["Warnings:", "  days.csv, 4, name: empty name"]
    assert lines[-1] == "Dry run: nothing was written. Run again with --apply to write it."
    assert days(world) == {date(2025, 10, 7): "Hut"}
    run_ = ImportRun.objects.get()
    assert (run_.kind, run_.file_name, run_.applied, run_.actor) == (
        ORGANISATION,
        "days.csv",
        False,
        None,
    )
    assert run_.counts["create"] == 2
    entry = AuditEntry.objects.get(action="onboarding.dry_run")
    assert entry.actor == "sigap onboard"
    assert entry.unit == world.root
    assert entry.data["counts"]["update"] == 1


def test_errors_are_listed_where_they_are_and_exit_1(world, tmp_path):
    path = tmp_path / "days.csv"
    path.write_text(BAD, encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "onboard", ORGANISATION, str(path), "--agency", "contoh", "--lang", "en", stdout=out
        )
    assert refused.value.returncode == 1
    assert "2 errors" in str(refused.value)
    lines = out.getvalue().splitlines()
    assert lines[lines.index("Errors:") + 1 :] == [
        "  days.csv, 3, date: not a date",
        "  days.csv, 4, date: repeated",
    ]
    assert days(world) == {}


def test_unchanged_rows_are_counted_and_listed_only_with_all(world, tmp_path):
    AgencySpecialDay.objects.create(agency=world.agency, date=date(2025, 8, 17), name="Kemerdekaan")
    body = "date,name\n2025-08-17,Kemerdekaan\n"
    out = run(tmp_path, body, "--lang", "en")
    assert "unchanged 1" in out
    assert "Changes:" not in out
    out = run(tmp_path, body, "--lang", "en", "--all")
    assert "  unchanged: Day 2025-08-17 (row 2)" in out.splitlines()


def test_apply_writes_all_of_it_and_says_what_was_applied(world, tmp_path):
    out = run(tmp_path, GOOD, "--apply", "--lang", "en")
    assert days(world) == {
        date(2025, 8, 17): "Kemerdekaan",
        date(2025, 10, 7): "Hari jadi",
        date(2025, 12, 31): "2025-12-31",
    }
    assert out.splitlines()[-1] == (
        "Applied: days.csv (Probe probe-org) for Kabupaten Contoh: create 3, update 0, "
        "deactivate 0, unchanged 0; errors 0, warnings 1."
    )
    applied = ImportRun.objects.get()
    assert applied.applied is True
    assert applied.actor is None
    entry = AuditEntry.objects.get(action="onboarding.apply")
    assert entry.data["applied"] is True
    assert entry.data["counts"]["create"] == 3
    # The same file again changes nothing.
    out = run(tmp_path, GOOD, "--apply", "--lang", "en")
    assert "create 0, update 0, deactivate 0, unchanged 3" in out


def test_a_refused_apply_writes_nothing_and_exits_1(world, tmp_path):
    with pytest.raises(CommandError) as refused:
        run(tmp_path, BAD, "--apply", "--lang", "en")
    assert refused.value.returncode == 1
    assert days(world) == {}
    assert not ImportRun.objects.exists()
    entry = AuditEntry.objects.get(action="onboarding.apply")
    assert entry.data["applied"] is False
    assert entry.data["counts"]["errors"] == 2


def test_a_refused_apply_prints_its_errors(world, tmp_path):
    path = tmp_path / "days.csv"
    path.write_text(BAD, encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "onboard",
            ORGANISATION,
            str(path),
            "--agency",
            "contoh",
            "--apply",
            "--lang",
            "en",
            stdout=out,
        )
    assert out.getvalue().splitlines() == [
        "Refused, nothing was written. Errors:",
        "  days.csv, 3, date: not a date",
        "  days.csv, 4, date: repeated",
    ]


def test_options_reach_the_importer_nested(world, tmp_path):
    body = "date,nama\n2025-08-17,Kemerdekaan\n"
    run(
        tmp_path,
        body,
        "--apply",
        "--option",
        "prefix=Libur-",
        "--option",
        "mapping.name=nama",
    )
    assert days(world) == {date(2025, 8, 17): "Libur-Kemerdekaan"}


def test_a_malformed_option_is_refused(world, tmp_path):
    with pytest.raises(CommandError, match="“prefix”"):
        run(tmp_path, GOOD, "--option", "prefix", "--lang", "en")


def test_parse_options():
    assert parse_options(["source=simpel", "map.case=no_permohonan", "map.step= langkah "]) == {
        "source": "simpel",
        "map": {"case": "no_permohonan", "step": "langkah"},
    }
    assert parse_options(["a=b=c"]) == {"a": "b=c"}
    for bad in ["novalue", "=x", "map.=x", ".x=y"]:
        with pytest.raises(ValueError):
            parse_options([bad])
    with pytest.raises(ValueError):
        parse_options(["map=x", "map.case=y"])
    with pytest.raises(ValueError):
        parse_options(["map.case=y", "map=x"])


def test_the_output_is_indonesian_by_default(world, tmp_path):
    out = run(tmp_path, GOOD)
    assert out.splitlines()[0] == "Probe probe-org, days.csv: 3 baris dibaca."
    assert "Uji coba: belum ada yang ditulis." in out


def test_an_unknown_agency_or_file_is_named(world, tmp_path):
    with pytest.raises(CommandError, match="no agency nowhere"):
        call_command(
            "onboard", ORGANISATION, str(tmp_path / "x.csv"), "--agency", "nowhere", "--lang", "en"
        )
    with pytest.raises(CommandError, match=r"x\.csv cannot be read"):
        call_command(
            "onboard", ORGANISATION, str(tmp_path / "x.csv"), "--agency", "contoh", "--lang", "en"
        )


def test_agency_is_created_then_updated(db):
    out = StringIO()
    call_command(
        "onboard",
        "agency",
        "--code",
        "sukamaju",
        "--name",
        "Kabupaten Sukamaju",
        "--kind",
        "kabupaten",
        "--region-code",
        "32.19",
        "--lang",
        "en",
        stdout=out,
    )
    agency = Agency.objects.get(code="sukamaju")
    assert (agency.name, agency.kind, agency.region_code) == (
        "Kabupaten Sukamaju",
        "kabupaten",
        "32.19",
    )
    assert out.getvalue().splitlines() == [
        "Agency created: Kabupaten Sukamaju (sukamaju).",
        "It has no units yet: the units import makes its root unit "
        "(sigap onboard units FILE --agency sukamaju --apply).",
    ]
    out = StringIO()
    call_command(
        "onboard",
        "agency",
        "--code",
        "sukamaju",
        "--name",
        "Kota Sukamaju",
        "--kind",
        "kota",
        "--region-code",
        "32.79",
        "--lang",
        "en",
        stdout=out,
    )
    agency.refresh_from_db()
    assert (agency.name, agency.kind, agency.region_code) == ("Kota Sukamaju", "kota", "32.79")
    assert out.getvalue().startswith("Agency updated: Kota Sukamaju (sukamaju).")
    assert AuditEntry.objects.filter(action="onboarding.agency").count() == 2


def test_agency_with_a_region_code_of_another_kind_is_refused(db):
    with pytest.raises(CommandError) as refused:
        call_command(
            "onboard",
            "agency",
            "--code",
            "sukamaju",
            "--name",
            "Kabupaten Sukamaju",
            "--kind",
            "kabupaten",
            "--region-code",
            "32.79",
            "--lang",
            "en",
        )
    assert str(refused.value) == (
        "region_code: A kabupaten's code (KK) is 01–69; 71–99 are the codes of a kota."
    )
    assert not Agency.objects.exists()
