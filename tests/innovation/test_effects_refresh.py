"""`effects_refresh` end to end on a small store: one service at 12 kecamatan over 24 months, an
innovation applied at six of them on 1 January 2025 that cuts the returns for correction from
30 % to 10 % (first-time-right +0.20), and a completed roadmap action on one kecamatan. DuckDB,
and Spark when it is there; both database legs."""

from __future__ import annotations

import os
import random
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from sigap.analytics.eventlog import ColumnMapping
from sigap.analytics.impact import ImpactSettings, Reason
from sigap.analytics.importers import import_log
from sigap.analytics.refresh import EVENTS
from sigap.analytics.service_panel import COMPLAINTS, FIRST_TIME_RIGHT, IKM, LEAD_TIME, SLA
from sigap.catalogue.models import Service
from sigap.innovation.effects import (
    NO_CONCLUSION,
    NO_DATA,
    NO_SERVICES,
    SAMPLE,
    TOO_FEW_CHANGED,
    effects_refresh,
)
from sigap.innovation.models import Innovation, InterventionEffect, Stage
from sigap.leadership.models import ActionStatus, RoadmapAction
from sigap.organisation.models import Agency, Unit
from sigap.web.said import from_stored

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
KEC = "abcdefghijkl"
TREATED = KEC[:6]
APPLIED = date(2025, 1, 1)
FAST = ImpactSettings(bootstrap=199)


def code(k: str) -> str:
    return f"kec-{k}-domisili"


def write_store(folder: Path, seed: int = 16) -> Path:
    """Cases submitted on weekdays of 2024–2025, 40 a month per kecamatan, each closed one to
    three days later; a case is returned for correction (and resumed the same day) with p = 0.3, or
    0.1 at the treated kecamatan from January 2025."""
    rng = random.Random(seed)
    names = ("case", "activity", "ts", "outcome", "service", "unit")
    cols: dict[str, list[object]] = {k: [] for k in names}

    def event(case: str, activity: str, at: datetime, outcome: str, k: str) -> None:
        cols["case"].append(case)
        cols["activity"].append(activity)
        cols["ts"].append(at.astimezone(UTC))
        cols["outcome"].append(outcome)
        cols["service"].append(code(k))
        cols["unit"].append(f"kec-{k}")

    n = 0
    for k in KEC:
        month = date(2024, 1, 1)
        while month < date(2026, 1, 1):
            days = [month + timedelta(days=i) for i in range(28)]
            days = [d for d in days if d.weekday() < 3]
            for i in range(40):
                n += 1
                case = f"C{n:06d}"
                day = days[i % len(days)]
                start = datetime(day.year, day.month, day.day, 9, 0, tzinfo=WIB)
                p = 0.1 if k in TREATED and day >= APPLIED else 0.3
                event(case, "Pengajuan", start, "submitted", k)
                if rng.random() < p:
                    event(case, "Verifikasi", start + timedelta(hours=2), "returned", k)
                    event(case, "Perbaikan", start + timedelta(hours=4), "resumed", k)
                took = timedelta(days=rng.choice((1, 2, 3)), hours=1)
                event(case, "Penyerahan", start + took, "completed", k)
            month = (month + timedelta(days=32)).replace(day=1)
    raw = folder / "raw.parquet"
    pq.write_table(pa.table(cols), raw)
    mapping = ColumnMapping(
        case="case", activity="activity", timestamp="ts", lifecycle="outcome", service="service",
        unit="unit",
    )  # fmt: skip
    import_log(raw, folder / EVENTS, mapping)
    return folder


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_store(tmp_path_factory.mktemp("store"))


@pytest.fixture
def registry() -> tuple[Innovation, RoadmapAction]:
    agency = Agency.objects.create(code="contoh", name="Kabupaten Contoh", kind="kabupaten")
    root = Unit.objects.create(agency=agency, code="pemda", name="Pemda", kind="pemda")
    services = {}
    for k in KEC:
        unit = Unit.objects.create(
            agency=agency, parent=root, code=f"kec-{k}", name=f"Kecamatan {k.upper()}",
            kind="unit_layanan",
        )  # fmt: skip
        services[k] = Service.objects.create(
            unit=unit, code=code(k), name="Surat Keterangan Domisili", family="kec-domisili"
        )
    now = timezone.now()
    inn = Innovation.objects.create(
        agency=agency, name="Cek berkas daring", initiator="asn", form="public_service",
        kind="digital", urusan="administrasi_kependudukan", stage=Stage.APPLIED,
        initiated_on=date(2024, 6, 1), applied_on=APPLIED, created_at=now, updated_at=now,
    )  # fmt: skip
    inn.units.set([services[k].unit for k in TREATED])
    inn.services.set([services[k] for k in TREATED])
    action = RoadmapAction.objects.create(
        unit=services["l"].unit, direction="competency", gap_key="ftr_share",
        metric_key="ftr_share", title="Cek kelengkapan", evidence="-", baseline_value=0.7,
        baseline_period_kind="quarter", baseline_period="2025-Q1", target_value=0.9, gap=0.2,
        citizens=120, priority=24, status=ActionStatus.DONE,
        status_at=datetime(2025, 5, 31, 10, tzinfo=WIB), created_at=now,
    )  # fmt: skip
    InterventionEffect.objects.create(
        subject="innovation", innovation=inn, kpi="stale", starts_on=APPLIED, treated=0,
        comparison=0, conclusion="no_effect", computed_at=now,
    )  # fmt: skip
    return inn, action


def check(store: Path, inn: Innovation, action: RoadmapAction, engine: str) -> InterventionEffect:
    assert effects_refresh(store, engine=engine, impact_settings=FAST) == 6
    assert not InterventionEffect.objects.filter(kpi="stale").exists()
    rows = {r.kpi: r for r in InterventionEffect.objects.filter(innovation=inn)}
    assert set(rows) == {LEAD_TIME, SLA, FIRST_TIME_RIGHT, IKM, COMPLAINTS}
    ftr = rows[FIRST_TIME_RIGHT]
    assert ftr.conclusion == "improved", [s.msgid for s in from_stored(ftr.explanation)]
    assert ftr.ci_low is not None and ftr.ci_high is not None
    assert ftr.ci_low <= 0.20 <= ftr.ci_high
    assert (ftr.starts_on, ftr.treated, ftr.comparison) == (APPLIED, 6, 6)
    assert ftr.comparison_basis == "same_service"
    others = Service.objects.filter(code__in=[code(k) for k in KEC[6:]])
    assert ftr.comparison_services == sorted(others.values_list("pk", flat=True))
    assert ftr.before is not None and 0.65 < ftr.before < 0.75
    assert rows[LEAD_TIME].conclusion == "no_effect"
    # No service standard in the store (no SLA share), no SKM answers, no requests in the
    # database: no data on those indicators, said as such.
    for kpi in (SLA, IKM, COMPLAINTS):
        assert rows[kpi].conclusion == "no_conclusion"
        assert [s.msgid for s in from_stored(rows[kpi].explanation)] == [NO_DATA]
    [done] = InterventionEffect.objects.filter(action=action)
    assert (done.subject, done.kpi, done.treated) == ("roadmap_action", FIRST_TIME_RIGHT, 1)
    assert done.starts_on == date(2025, 6, 1)
    assert done.conclusion == "no_conclusion"
    said = from_stored(done.explanation)
    assert said[-1].msgid == TOO_FEW_CHANGED
    assert said[-1].params == {"n": {"count": 1}, "min": {"count": 5}}
    return ftr


def test_refresh_on_duckdb_replaces_every_row(
    store: Path, registry: tuple[Innovation, RoadmapAction]
) -> None:
    inn, action = registry
    first = check(store, inn, action, "duckdb")
    with translation.override("id"):
        words = [str(s) for s in from_stored(first.explanation)]
    assert words[0] == (
        "Dibandingkan dengan layanan yang sama di 6 unit lain yang tidak melakukan perubahan ini."
    )
    assert words[1].startswith("Dibandingkan: 6 layanan yang diubah dengan 6 layanan pembanding")
    assert effects_refresh(store, impact_settings=FAST) == 6  # replaced, not added
    assert InterventionEffect.objects.count() == 6
    again = InterventionEffect.objects.get(innovation=inn, kpi=FIRST_TIME_RIGHT)
    assert (again.estimate, again.ci_high) == (first.estimate, first.ci_high)


def test_the_command(
    store: Path, registry: tuple[Innovation, RoadmapAction], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("innovation", "effects", "--store", str(store))
    assert "6 rows" in capsys.readouterr().out
    assert InterventionEffect.objects.count() == 6


def test_without_a_store_nothing_from_the_log(
    tmp_path: Path, registry: tuple[Innovation, RoadmapAction]
) -> None:
    assert effects_refresh(tmp_path, impact_settings=FAST) == 6
    assert set(InterventionEffect.objects.values_list("conclusion", flat=True)) == {"no_conclusion"}


@pytest.mark.spark
def test_refresh_on_spark_agrees(store: Path, registry: tuple[Innovation, RoadmapAction]) -> None:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("CI"):
        pytest.skip("Spark needs Java 17")
    inn, action = registry
    duck = check(store, inn, action, "duckdb")
    spark = check(store, inn, action, "spark")
    assert (spark.estimate, spark.ci_high) == (duck.estimate, duck.ci_high)


def test_as_of_reads_the_data_up_to_that_day(
    store: Path, registry: tuple[Innovation, RoadmapAction]
) -> None:
    inn, _action = registry
    # Up to 15 March 2025: March is still running, so January and February are all there is
    # after the application.
    call_command("innovation", "effects", "--store", str(store), "--as-of", "2025-03-15")
    ftr = InterventionEffect.objects.get(innovation=inn, kpi=FIRST_TIME_RIGHT)
    assert ftr.conclusion == "no_conclusion"
    said = from_stored(ftr.explanation)
    assert said[-1].msgid == NO_CONCLUSION[Reason.TOO_FEW_POST_PERIODS]
    assert said[-1].params == {"n": {"count": 2}, "min": {"count": 3}}


def test_as_of_the_last_day_of_a_month_reads_that_month_whole(
    store: Path, registry: tuple[Innovation, RoadmapAction]
) -> None:
    inn, _action = registry
    # Up to the end of 31 March 2025: March is over, so January, February and March (three
    # months) follow the application, as the database KPIs (`whole_months`) count them too.
    call_command("innovation", "effects", "--store", str(store), "--as-of", "2025-03-31")
    ftr = InterventionEffect.objects.get(innovation=inn, kpi=FIRST_TIME_RIGHT)
    said = from_stored(ftr.explanation)
    assert NO_CONCLUSION[Reason.TOO_FEW_POST_PERIODS] not in [s.msgid for s in said]
    assert said[1].msgid == SAMPLE
    assert said[1].params["post"] == {"count": 3}


def test_an_innovation_that_reached_no_service_is_stored_as_no_conclusion(
    store: Path, registry: tuple[Innovation, RoadmapAction]
) -> None:
    inn, _action = registry
    # A governance innovation of the root unit, which offers no service: not "not measured
    # yet" for ever on its page, but "no conclusion", with the reason, on each indicator.
    now = timezone.now()
    naskah = Innovation.objects.create(
        agency=inn.agency, name="Tata naskah elektronik", initiator="asn", form="governance",
        kind="digital", urusan="administrasi_kependudukan", stage=Stage.APPLIED,
        initiated_on=date(2024, 6, 1), applied_on=date(2025, 2, 3), created_at=now,
        updated_at=now,
    )  # fmt: skip
    naskah.units.set([inn.units.get(code="kec-a").parent])
    assert effects_refresh(store, impact_settings=FAST) == 11
    rows = InterventionEffect.objects.filter(innovation=naskah)
    assert {r.kpi for r in rows} == {LEAD_TIME, SLA, FIRST_TIME_RIGHT, IKM, COMPLAINTS}
    for r in rows:
        assert (r.conclusion, r.starts_on, r.treated, r.comparison) == (
            "no_conclusion", date(2025, 2, 3), 0, 0,
        )  # fmt: skip
        assert [s.msgid for s in from_stored(r.explanation)] == [NO_SERVICES]
    with translation.override("id"):
        said = str(from_stored(rows[0].explanation)[0])
    assert said.startswith("Tidak dapat disimpulkan: perubahan ini tidak menjangkau layanan")


def test_a_store_without_a_log_named_on_the_command_line_changes_nothing(
    tmp_path: Path, store: Path, registry: tuple[Innovation, RoadmapAction]
) -> None:
    inn, _action = registry
    call_command("innovation", "effects", "--store", str(store))
    kept = InterventionEffect.objects.get(innovation=inn, kpi=FIRST_TIME_RIGHT)
    assert kept.conclusion == "improved"
    # A mistyped --store: refused, naming the folder, and the measured effects stay.
    with pytest.raises(CommandError, match=r"No event log in .*typo"):
        call_command("innovation", "effects", "--store", str(tmp_path / "typo"))
    again = InterventionEffect.objects.get(innovation=inn, kpi=FIRST_TIME_RIGHT)
    assert (again.pk, again.conclusion) == (kept.pk, "improved")


def test_the_declared_primary_kpi_is_stored_with_the_level_of_each_row(
    store: Path, registry: tuple[Innovation, RoadmapAction]
) -> None:
    """The innovation's target KPI is judged at 95 %, its four others at 1 - 0.05/4; a roadmap
    action's primary KPI is the one its figure stands for (first-time-right here)."""
    inn, action = registry
    Innovation.objects.filter(pk=inn.pk).update(target_kpi=FIRST_TIME_RIGHT)
    effects_refresh(store, impact_settings=FAST)
    rows = {r.kpi: r for r in InterventionEffect.objects.filter(innovation=inn)}
    assert (rows[FIRST_TIME_RIGHT].primary, rows[FIRST_TIME_RIGHT].confidence) == (True, 0.95)
    assert rows[FIRST_TIME_RIGHT].conclusion == "improved"
    for kpi in (LEAD_TIME, SLA, IKM, COMPLAINTS):
        assert (rows[kpi].primary, rows[kpi].confidence) == (False, 0.9875)
    [done] = InterventionEffect.objects.filter(action=action)
    assert (done.primary, done.confidence) == (True, 0.95)
    # Without a declared KPI, all five at 1 - 0.05/5.
    Innovation.objects.filter(pk=inn.pk).update(target_kpi="")
    effects_refresh(store, impact_settings=FAST)
    found = InterventionEffect.objects.filter(innovation=inn)
    assert {(r.primary, r.confidence) for r in found} == {(False, 0.99)}
