"""What worked, scoped by unit, and replication candidates against hand-computed scorecard
rows."""

from __future__ import annotations

from datetime import date

import pytest

from sigap.accounts.models import Role
from sigap.catalogue.models import Service
from sigap.innovation import outcomes
from sigap.organisation.models import Unit
from tests import factories
from tests.innovation import loop_data as data


@pytest.fixture
def leaders(world):  # type: ignore[no-untyped-def]
    """Leadership of Dinkes only (another subtree than counter A) and of Disdukcapil."""
    return {
        "dinkes": factories.user("lead_dinkes", Role.LEADERSHIP, world.dinkes),
        "dukcapil": factories.user("lead_dukcapil", Role.LEADERSHIP, world.dukcapil),
    }


def test_what_worked_orders_improved_then_no_effect_then_no_conclusion(world):  # type: ignore[no-untyped-def]
    none = data.innovation(world.agency, "Antrean daring", [world.counter_a], [world.ktp])
    data.effect(
        innovation=none, kpi="lead_time", conclusion="no_effect", estimate=-0.1, ci=(-0.5, 0.3)
    )
    unknown = data.innovation(world.agency, "Kios mandiri", [world.counter_a], [world.ktp])
    data.effect(innovation=unknown, kpi="sla_share", conclusion="no_conclusion")
    good = data.innovation(world.agency, "Cek berkas daring", [world.counter_a], [world.ktp])
    data.effect(innovation=good, kpi="lead_time", conclusion="no_effect", estimate=0.0, ci=(-1, 1))
    data.effect(
        innovation=good,
        kpi="first_time_right",
        conclusion="improved",
        estimate=0.1,
        ci=(0.05, 0.15),
    )
    done = data.action(world.counter_a, "Tambah loket sore")
    data.effect(
        action=done, kpi="sla_share", conclusion="worsened", estimate=-0.05, ci=(-0.08, -0.02)
    )

    found = outcomes.what_worked(world.users["leadership"])

    assert [(o.title, o.verdict) for o in found] == [
        ("Cek berkas daring", "improved"),
        ("Antrean daring", "no_effect"),
        ("Tambah loket sore", "worsened"),
        ("Kios mandiri", "no_conclusion"),
    ]
    # Within one subject: the improved KPI first.
    assert [ln.kpi for ln in found[0].lines] == ["first_time_right", "lead_time"]
    assert found[2].subject == "roadmap_action"
    assert found[2].units == [world.counter_a]


def test_leadership_of_another_subtree_sees_nothing(world, leaders):  # type: ignore[no-untyped-def]
    i = data.innovation(world.agency, "Cek berkas daring", [world.counter_a], [world.ktp])
    data.effect(innovation=i, kpi="lead_time", conclusion="improved", estimate=-2.0, ci=(-3, -1))
    a = data.action(world.counter_a, "Tambah loket sore")
    data.effect(action=a, kpi="sla_share", conclusion="improved", estimate=0.1, ci=(0.05, 0.15))

    assert outcomes.what_worked(leaders["dinkes"]) == []
    assert outcomes.what_worked(world.users["officer_a"]) == []  # no scorecard role
    assert len(outcomes.what_worked(leaders["dukcapil"])) == 2
    assert len(outcomes.what_worked(world.users["head_a"])) == 2  # the unit's own head
    # A unit page: only what concerns that unit's subtree.
    assert outcomes.what_worked(world.users["leadership"], world.puskesmas_b) == []
    assert len(outcomes.what_worked(world.users["leadership"], world.dukcapil)) == 2


def test_an_action_not_done_shows_no_effect(world):  # type: ignore[no-untyped-def]
    a = data.action(world.counter_a, "Tambah loket sore", status="accepted")
    data.effect(action=a, kpi="sla_share", conclusion="improved", estimate=0.1, ci=(0.05, 0.15))
    assert outcomes.what_worked(world.users["leadership"]) == []
    assert outcomes.action_effects([a]) == {}


# --- Replication candidates -------------------------------------------------------------------


def _unit(world, code: str, parent: Unit) -> Unit:  # type: ignore[no-untyped-def]
    return Unit.objects.create(
        agency=world.agency, parent=parent, code=code, name=code.title(), kind="unit_layanan"
    )


@pytest.fixture
def family(world):  # type: ignore[no-untyped-def]
    """KTP-el (family "ktp-el") at counter A and at four more units, Akta Kelahiran (no
    family) at counter A and loket B, with their 2025-Q3 scorecard rows (as of 5 Oct 2025):

        service          unit     requests  lead (wd)  SLA
        ktp-el           loket-a       100       2.0   0.90   the innovation's own
        akta             loket-a        30       1.0   1.00   the innovation's own
        ktp-b            loket-b       200       5.0   0.70   lead gap 3.0 → 600; SLA 0.20 → 40
        ktp-c            loket-c       500       3.0   0.95   lead gap 1.0 → 500; SLA better
        ktp-d            loket-d       900       9.0   0.10   adopted it already: none
        ktp-e            pkm-e (Dinkes) 50       4.0   0.92   lead gap 2.0 → 100; SLA better
        akta-b (same name) loket-b      40       1.5   0.975  lead 0.5 → 20; SLA 0.025 → 1
        akta-c (other name) loket-c     70       8.0   0.10   another service: none
    """
    ktp = world.ktp
    ktp.family = "ktp-el"
    ktp.save()
    akta = Service.objects.create(
        unit=world.counter_a, code="akta-a", name="Penerbitan Akta Kelahiran"
    )
    b = _unit(world, "loket-b", world.dukcapil)
    c = _unit(world, "loket-c", world.dukcapil)
    d = _unit(world, "loket-d", world.dukcapil)
    e = _unit(world, "pkm-e", world.dinkes)
    ktp_b = Service.objects.create(unit=b, code="ktp-b", name="KTP-el B", family="ktp-el")
    ktp_c = Service.objects.create(unit=c, code="ktp-c", name="KTP-el C", family="ktp-el")
    ktp_d = Service.objects.create(unit=d, code="ktp-d", name="KTP-el D", family="ktp-el")
    ktp_e = Service.objects.create(unit=e, code="ktp-e", name="KTP-el E", family="ktp-el")
    akta_b = Service.objects.create(unit=b, code="akta-b", name="penerbitan akta kelahiran")
    akta_c = Service.objects.create(unit=c, code="akta-c", name="Penerbitan Akta Kematian")
    innovation = data.innovation(world.agency, "Cek berkas daring", [world.counter_a], [ktp, akta])
    data.replication(innovation, d)
    r = data.refresh(date(2025, 10, 5))
    for unit in (world.counter_a, b, c, d, e):
        data.unit_row(r, unit, "2025-Q3")
    q = "2025-Q3"
    data.service_row(r, ktp, q, volume=100, lead=2.0, sla=0.90)
    data.service_row(r, akta, q, volume=30, lead=1.0, sla=1.0)
    data.service_row(r, ktp_b, q, volume=200, lead=5.0, sla=0.70)
    data.service_row(r, ktp_c, q, volume=500, lead=3.0, sla=0.95)
    data.service_row(r, ktp_d, q, volume=900, lead=9.0, sla=0.10)
    data.service_row(r, ktp_e, q, volume=50, lead=4.0, sla=0.92)
    data.service_row(r, akta_b, q, volume=40, lead=1.5, sla=0.975)
    data.service_row(r, akta_c, q, volume=70, lead=8.0, sla=0.10)
    return innovation


def _listed(candidates):  # type: ignore[no-untyped-def]
    return [(c.kpi, c.service.code, round(c.gap, 6), round(c.score, 6)) for c in candidates]


def test_replication_candidates_ranked_by_gap_times_requests(world, family):  # type: ignore[no-untyped-def]
    data.effect(innovation=family, kpi="lead_time", conclusion="improved", estimate=-2, ci=(-3, -1))
    data.effect(
        innovation=family, kpi="sla_share", conclusion="improved", estimate=0.1, ci=(0.05, 0.15)
    )
    data.effect(innovation=family, kpi="ikm", conclusion="no_effect", estimate=0.1, ci=(-1, 1))

    found = outcomes.replication_candidates(family, world.users["leadership"])

    assert _listed(found) == [
        ("lead_time", "ktp-b", 3.0, 600.0),
        ("lead_time", "ktp-c", 1.0, 500.0),
        ("lead_time", "ktp-e", 2.0, 100.0),
        ("lead_time", "akta-b", 0.5, 20.0),
        ("sla_share", "ktp-b", 0.2, 40.0),
        ("sla_share", "akta-b", 0.025, 1.0),
    ]
    first = found[0]
    assert (first.value, first.reference, first.requests, first.period) == (
        5.0,
        2.0,
        200,
        "2025-Q3",
    )
    # The scorecard's figure, by the scorecard's own heading (its median, not the effect's mean).
    assert first.kpi_name == "Median lead time"


def test_replication_candidates_stay_in_the_readers_scope(world, family, leaders):  # type: ignore[no-untyped-def]
    found = outcomes.replication_candidates(family, leaders["dukcapil"], improved=["lead_time"])
    assert [c.service.code for c in found] == ["ktp-b", "ktp-c", "akta-b"]  # not Dinkes' ktp-e


def test_no_candidates_before_a_period_after_the_change(world, family):  # type: ignore[no-untyped-def]
    # The change started after 2025-Q3 began: its figures are not "after the change".
    data.effect(
        innovation=family,
        kpi="lead_time",
        conclusion="improved",
        estimate=-2,
        ci=(-3, -1),
        starts_on=date(2025, 8, 1),
    )
    assert outcomes.replication_candidates(family, world.users["leadership"]) == []


def test_complaints_propose_no_candidates(world, family):  # type: ignore[no-untyped-def]
    # No per-service complaint rate on the scorecard: nothing to compare, nothing proposed.
    found = outcomes.replication_candidates(
        family, world.users["leadership"], improved=["complaints_per_1000"]
    )
    assert found == []


def test_candidates_come_with_what_worked(world, family):  # type: ignore[no-untyped-def]
    data.effect(
        innovation=family, kpi="sla_share", conclusion="improved", estimate=0.1, ci=(0.05, 0.15)
    )
    (o,) = outcomes.with_candidates(
        outcomes.what_worked(world.users["leadership"]), world.users["leadership"]
    )
    assert [c.service.code for c in o.candidates] == ["ktp-b", "akta-b"]


def test_what_worked_reads_the_same_queries_for_many_subjects(world):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        user = factories.User.objects.get(username="leadership")  # no cached role assignments
        with CaptureQueriesContext(connection) as ctx:
            outcomes.what_worked(user)
        return len(ctx.captured_queries)

    first = data.innovation(world.agency, "Satu", [world.counter_a], [world.ktp])
    data.effect(innovation=first, kpi="lead_time", conclusion="no_conclusion")
    one = queries()
    for name in ("Dua", "Tiga", "Empat"):
        i = data.innovation(world.agency, name, [world.counter_a, world.puskesmas_b], [world.ktp])
        data.effect(innovation=i, kpi="lead_time", conclusion="no_conclusion")
        a = data.action(world.counter_a, f"Aksi {name}")
        data.effect(action=a, kpi="sla_share", conclusion="no_conclusion")
    assert queries() == one


def test_one_kpi_better_and_another_worse_is_mixed_not_what_worked(world, family):  # type: ignore[no-untyped-def]
    # "Cek berkas" cut the lead time but raised complaints: neither a success with a green badge
    # nor a failure; it sits after "no measurable effect" and before what got worse, and
    # proposes no replication (its SLA candidates would exist if it had simply improved).
    data.effect(
        innovation=family, kpi="sla_share", conclusion="improved", estimate=0.1, ci=(0.05, 0.15)
    )
    data.effect(
        innovation=family,
        kpi="complaints_per_1000",
        conclusion="worsened",
        estimate=4.0,
        ci=(1.0, 7.0),
    )
    none = data.innovation(world.agency, "Antrean daring", [world.counter_a], [world.ktp])
    data.effect(
        innovation=none, kpi="lead_time", conclusion="no_effect", estimate=-0.1, ci=(-0.5, 0.3)
    )
    worse = data.action(world.counter_a, "Tambah loket sore")
    data.effect(
        action=worse, kpi="sla_share", conclusion="worsened", estimate=-0.05, ci=(-0.08, -0.02)
    )
    user = world.users["leadership"]
    found = outcomes.with_candidates(outcomes.what_worked(user), user)
    assert [(o.title, o.verdict) for o in found] == [
        ("Antrean daring", "no_effect"),
        (family.name, "mixed"),
        ("Tambah loket sore", "worsened"),
    ]
    assert not found[1].worked and found[1].candidates == []
    # Each line keeps its own conclusion, improved first.
    assert [ln.conclusion for ln in found[1].lines] == ["improved", "worsened"]


def test_an_innovation_moved_back_from_application_is_not_shown_as_measured(world):  # type: ignore[no-untyped-def]
    # Its rows stay until the next measurement run; meanwhile neither the leadership section
    # nor its own page shows it as a measured innovation in application.
    made = data.innovation(world.agency, "Cek berkas daring", [world.counter_a], [world.ktp])
    data.effect(innovation=made, kpi="lead_time", conclusion="improved", estimate=-2, ci=(-3, -1))
    assert [o.title for o in outcomes.what_worked(world.users["leadership"])] == [made.name]
    assert len(outcomes.innovation_effects(made)) == 1
    made.stage, made.applied_on = "trial", None
    made.save(update_fields=["stage", "applied_on"])
    assert outcomes.what_worked(world.users["leadership"]) == []
    assert outcomes.innovation_effects(made) == []


def test_the_mixed_badge_and_the_registrys_record_names_read_in_indonesian():  # type: ignore[no-untyped-def]
    from django.template.loader import render_to_string
    from django.utils import translation

    from sigap.audit.labels import object_label

    with translation.override("id"):
        badge = render_to_string("innovation/_verdict.html", {"c": "mixed"})
        assert "Hasil beragam" in badge and "Mixed" not in badge
        # The audit trail names the registry's records by their model's name.
        assert object_label("innovation.innovation", "7") == "Inovasi 7"
        assert object_label("innovation.idea", "3") == "Ide 3"
        assert object_label("innovation.replication", "2") == "Replikasi 2"
