"""SP4N-LAPOR!: the CSV import of the sample agency, the export that reads back unchanged, and
the legacy adapter against a fake LAPOR! on loopback."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from sigap.accounts.models import Role
from sigap.complaints.models import Channel, Complaint, ComplaintEvent, Status
from sigap.complaints.services import Reporter, complaint_submit
from sigap.integrations import lapor
from sigap.integrations.models import Exchange
from sigap.onboarding import plan as onboarding
from sigap.organisation.models import Agency, Unit
from tests import factories
from tests.conftest import local
from tests.integrations.fake_lapor import running

DOCS = Path(__file__).resolve().parents[2] / "docs" / "onboarding"
SAMPLE = (DOCS / "samples" / "lapor-laporan.csv").read_bytes()
TEMPLATES = Path(__file__).resolve().parents[2] / "src/sigap/onboarding/static/onboarding/templates"
HEADER = (TEMPLATES / "lapor-laporan.csv").read_text(encoding="utf-8").strip()
AF = "A8ACA7397A{}3912E040640A040269BB"


class Sukamaju:
    def __init__(self) -> None:
        self.agency = Agency.objects.create(
            code="sukamaju", name="Kabupaten Sukamaju", kind="kabupaten", region_code="32.19"
        )

        def unit(end: str, parent: Unit | None, code: str, name: str, kind: str) -> Unit:
            return Unit.objects.create(
                agency=self.agency,
                parent=parent,
                code=code,
                name=name,
                kind=kind,
                siasn_id=AF.format(end),
            )

        self.root = unit("EB", None, "pemkab", "Pemerintah Kabupaten Sukamaju", "pemda")
        self.dpmptsp = unit(
            "F2",
            self.root,
            "dpmptsp",
            "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
            "opd",
        )
        self.perizinan = unit(
            "F3", self.dpmptsp, "perizinan", "Bidang Pelayanan Perizinan", "bidang"
        )
        self.dukcapil = unit(
            "F4", self.root, "disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "opd"
        )
        self.pendaftaran = unit(
            "F5", self.dukcapil, "pendaftaran", "Bidang Pelayanan Pendaftaran Penduduk", "bidang"
        )
        self.bkpsdm = unit(
            "F6",
            self.root,
            "bkpsdm",
            "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            "opd",
        )
        self.inspektorat = unit("F7", self.root, "inspektorat", "Inspektorat Daerah", "opd")
        self.inspector = factories.user("inspektur", Role.INSPECTOR, self.root)
        self.head = factories.user("kabid", Role.UNIT_HEAD, self.pendaftaran)


@pytest.fixture
def sukamaju(db: None) -> Sukamaju:
    return Sukamaju()


def run(s: Sukamaju, data: bytes, name: str = "lapor.csv", *, write: bool = False):  # type: ignore[no-untyped-def]
    if write:
        return onboarding.apply("lapor", data, name, agency=s.agency, actor=s.inspector)
    return onboarding.dry_run("lapor", data, name, agency=s.agency, actor=s.inspector)


def where(problems: list[onboarding.Problem]) -> set[tuple[int, str]]:
    return {(p.row, p.column) for p in problems}


def test_the_importer_is_registered_with_the_lapor_action():
    assert onboarding.IMPORTERS["lapor"] is lapor.IMPORTER
    assert onboarding.REQUIRED_ACTION["lapor"] == "lapor.exchange"


def test_the_sample_file_plans_fourteen_complaints_and_four_warnings(sukamaju):
    plan = run(sukamaju, SAMPLE, "lapor-laporan.csv")
    assert plan.rows == 15
    assert plan.counts() == {
        "create": 14,
        "update": 0,
        "deactivate": 0,
        "unchanged": 0,
        "errors": 0,
        "warnings": 4,
    }
    # Two kategori LAPOR! files by topic ("Kependudukan"), one "Infrastruktur", one aspirasi.
    assert where(plan.warnings) == {
        (7, "Kategori"),
        (9, "Kategori"),
        (11, "Kategori"),
        (13, "Klasifikasi"),
    }
    assert Complaint.objects.count() == 0  # a dry run writes nothing


def test_the_sample_import_keeps_tracking_ids_and_computes_the_sp4n_deadlines(sukamaju):
    applied = run(sukamaju, SAMPLE, "lapor-laporan.csv", write=True)
    assert applied.counts["create"] == 14
    assert Complaint.objects.count() == 14
    assert set(Complaint.objects.values_list("channel", flat=True)) == {Channel.LAPOR}
    # The reporter's identity is never imported.
    assert set(
        Complaint.objects.values_list("is_anonymous", "reporter_name", "reporter_contact")
    ) == {(True, "", "")}

    kk = Complaint.objects.get(lapor_tracking_id="SKMJ2611001")
    assert kk.description.startswith("Kartu Keluarga belum jadi dua minggu\n\nSaya mengajukan")
    assert kk.category == "lambat"
    assert kk.unit == sukamaju.pendaftaran
    assert kk.status == Status.DIDISPOSISIKAN
    assert kk.submitted_at == local(2026, 11, 2, 9, 15)
    assert kk.verify_due == date(2026, 11, 5)  # Monday + 3 working days
    assert kk.forwarded_at == local(2026, 11, 3, 10, 0)
    assert kk.follow_up_due == date(2026, 11, 10)  # Tuesday + 5 working days
    assert list(kk.events.values_list("action", flat=True)) == ["submit", "verify", "forward"]

    pungli = Complaint.objects.get(lapor_tracking_id="SKMJ2611002")
    assert pungli.category == "pungli"
    assert pungli.status == Status.DITINDAKLANJUTI
    assert pungli.followed_up_at == local(2026, 11, 10, 14, 0)
    assert pungli.auto_close_on == date(2026, 11, 24)  # Tuesday 10 Nov + 10 working days
    assert pungli.events.get(action="follow_up").note.startswith("Petugas yang bersangkutan")

    pbg = Complaint.objects.get(lapor_tracking_id="SKMJ2610003")
    assert (pbg.status, pbg.unit) == (Status.SELESAI, sukamaju.perizinan)
    assert pbg.closed_at == local(2026, 10, 30, 16, 0)

    # Named by its name; by its UNOR id; no unit: the agency itself.
    assert Complaint.objects.get(lapor_tracking_id="SKMJ2611004").unit == sukamaju.dpmptsp
    assert Complaint.objects.get(lapor_tracking_id="SKMJ2611010").unit == sukamaju.dukcapil
    road = Complaint.objects.get(lapor_tracking_id="SKMJ2611006")
    assert (road.status, road.unit, road.category) == (
        Status.BUKAN_WEWENANG,
        sukamaju.root,
        "lainnya",
    )
    assert Complaint.objects.get(lapor_tracking_id="SKMJ2611008").status == Status.DITUNDA
    assert Complaint.objects.get(lapor_tracking_id="SKMJ2611007").status == Status.DIARSIPKAN
    new = Complaint.objects.get(lapor_tracking_id="SKMJ2611015")
    assert (new.status, new.verify_due) == (Status.DITERIMA, date(2026, 12, 4))  # Tue + 3
    assert not Complaint.objects.filter(lapor_tracking_id="SKMJ2611012").exists()  # aspirasi


def test_running_the_same_file_again_changes_nothing(sukamaju):
    run(sukamaju, SAMPLE, write=True)
    events = ComplaintEvent.objects.count()
    again = run(sukamaju, SAMPLE, write=True)
    assert again.counts["unchanged"] == 14
    assert (again.counts["create"], again.counts["update"]) == (0, 0)
    assert Complaint.objects.count() == 14
    assert ComplaintEvent.objects.count() == events
    # Each applied file is one Exchange of the CSV kind, with its counts and no content.
    assert list(
        Exchange.objects.filter(operation="csv/import")
        .order_by("pk")
        .values_list("summary", flat=True)
    ) == ["create 14, warnings 4", "unchanged 14, warnings 4"]


def _row(
    tracking: str,
    status: str,
    *,
    disposed: str = "",
    follow_up: str = "",
    followed: str = "",
    unit: str = "",
    when: str = "2026-11-02 09:15",
    isi: str = "Isi laporan.",
    kategori: str = "Pelayanan Lambat",
) -> str:
    return (
        f'{tracking},Judul,"{isi}",{kategori},Pemerintah Kabupaten Sukamaju,{status},{when},'
        f'{disposed},{unit},Pengaduan,"{follow_up}",{followed},'
    )


def test_a_later_lapor_status_moves_the_complaint_forward_never_back(sukamaju):
    first = "\n".join(
        [
            HEADER,
            _row("A1", "Terdisposisi", disposed="2026-11-03 10:00", unit="pendaftaran"),
            _row(
                "A2",
                "Ditindaklanjuti",
                disposed="2026-11-03 10:00",
                follow_up="Sudah.",
                followed="2026-11-05 10:00",
                unit="pendaftaran",
            ),
        ]
    )
    run(sukamaju, first.encode(), write=True)
    later = "\n".join(
        [
            HEADER,
            _row(
                "A1",
                "Ditindaklanjuti",
                disposed="2026-11-03 10:00",
                unit="pendaftaran",
                follow_up="KK sudah terbit.",
                followed="2026-11-06 15:00",
            ),
            _row("A2", "Terdisposisi", disposed="2026-11-03 10:00", unit="pendaftaran"),
        ]
    )
    plan = run(sukamaju, later.encode())
    assert plan.counts()["update"] == 1 and plan.counts()["unchanged"] == 1
    assert [(c.action, c.label) for c in plan.changes] == [
        ("update", "A1 " + Complaint.objects.get(lapor_tracking_id="A1").receipt_code),
        ("unchanged", "A2 " + Complaint.objects.get(lapor_tracking_id="A2").receipt_code),
    ]
    # sigap is ahead on A2: a warning for the admin to update LAPOR!, never a step back.
    assert where(plan.warnings) == {(3, "Status")}
    run(sukamaju, later.encode(), write=True)
    a1 = Complaint.objects.get(lapor_tracking_id="A1")
    assert a1.status == Status.DITINDAKLANJUTI
    assert a1.followed_up_at == local(2026, 11, 6, 15, 0)
    assert a1.events.last().note == "KK sudah terbit."  # type: ignore[union-attr]
    assert Complaint.objects.get(lapor_tracking_id="A2").status == Status.DITINDAKLANJUTI
    assert Complaint.objects.count() == 2


def test_each_bad_input_is_named_by_row_and_column_and_nothing_is_written(sukamaju):
    other = factories.build_world()
    taken = complaint_submit(
        category="lambat",
        description="Lain.",
        reporter=Reporter(anonymous=True),
        unit=other.counter_a,
        lapor_tracking_id="TAKEN1",
    )
    assert taken.lapor_tracking_id == "TAKEN1"
    data = "\n".join(
        [
            HEADER,
            _row("", "Terdisposisi", disposed="2026-11-03"),  # 2: no tracking id
            _row("B1", "Belum Terverifikasi"),  # 3: fine
            _row("B1", "Belum Terverifikasi"),  # 4: the same tracking id again
            _row("B2", "Belum Terverifikasi", when="31/02/2026"),  # 5: no such date
            _row("B3", "Belum Terverifikasi", unit="Dinas Pariwisata"),  # 6: unknown unit
            _row("TAKEN1", "Belum Terverifikasi"),  # 7: another agency's complaint
            _row("B4", "Entah"),  # 8: unknown status
            _row("B5", "Terdisposisi"),  # 9: disposed without a date
        ]
    )
    plan = run(sukamaju, data.encode(), "buruk.csv")
    assert where(plan.errors) == {
        (2, "Tracking ID"),
        (4, "Tracking ID"),
        (5, "Tanggal Laporan"),
        (6, "Unit Tujuan"),
        (7, "Tracking ID"),
        (8, "Status"),
        (9, "Tanggal Disposisi"),
    }
    assert {p.file for p in plan.problems} == {"buruk.csv"}
    duplicate = next(p for p in plan.errors if p.row == 4)
    assert duplicate.message == "The Tracking ID B1 is also on row 3."
    with pytest.raises(onboarding.ImportRefused):
        run(sukamaju, data.encode(), write=True)
    assert Complaint.objects.filter(unit__agency=sukamaju.agency).count() == 0


def test_a_file_without_the_required_columns_is_refused_at_the_header(sukamaju):
    plan = run(sukamaju, b"Tracking ID,Judul,Status\nX1,Judul,Selesai\n")
    assert where(plan.errors) == {(1, "Isi Laporan"), (1, "Tanggal Laporan")}


def test_the_export_reads_back_unchanged_and_defuses_formulas(sukamaju, client):
    formula = "\n".join([HEADER, _row("F1", "Belum Terverifikasi", isi="=HYPERLINK(1)")])
    run(sukamaju, SAMPLE, write=True)
    run(sukamaju, formula.encode(), "f.csv", write=True)
    client.force_login(sukamaju.inspector)
    response = client.get("/pengaduan/sp4n-lapor/ekspor/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    text = body.decode("utf-8-sig")
    assert text.splitlines()[0] == HEADER + ",Nomor Tiket SIGAP,Tautan LAPOR!"
    assert '"\'=HYPERLINK(1)"' in text or ",'=HYPERLINK(1)," in text
    assert "https://www.lapor.go.id/pengaduan/SKMJ2611001" in text
    line = next(line for line in text.splitlines() if line.startswith("SKMJ2611002"))
    assert ",Ditindaklanjuti,2026-11-04 08:30,2026-11-05 13:00," in line
    plan = run(sukamaju, body, "ekspor.csv")
    assert plan.counts() == {
        "create": 0,
        "update": 0,
        "deactivate": 0,
        "unchanged": 15,
        "errors": 0,
        "warnings": 0,
    }
    exchange = Exchange.objects.get(operation="csv/export")
    assert (exchange.system, exchange.ok, exchange.summary) == ("lapor", True, "15 complaints")


def test_the_export_is_only_the_inspectorates(sukamaju, client):
    client.force_login(sukamaju.head)
    assert client.get("/pengaduan/sp4n-lapor/ekspor/").status_code == 403


def test_staff_see_the_tracking_id_with_the_public_link(sukamaju, client):
    run(sukamaju, SAMPLE, write=True)
    complaint = Complaint.objects.get(lapor_tracking_id="SKMJ2611001")
    client.force_login(sukamaju.inspector)
    page = client.get(f"/pengaduan/{complaint.receipt_code}/").content.decode()
    assert 'href="https://www.lapor.go.id/pengaduan/SKMJ2611001"' in page
    assert "SP4N-LAPOR! Tracking ID" in page


def test_the_import_without_a_user_who_may_exchange_is_refused(sukamaju):
    with pytest.raises(PermissionDenied):
        onboarding.apply("lapor", SAMPLE, "x.csv", agency=sukamaju.agency, actor=sukamaju.head)
    assert Complaint.objects.count() == 0


# --- The adapter ----------------------------------------------------------------------------


@pytest.fixture
def sigap_complaint(sukamaju) -> Complaint:  # type: ignore[no-untyped-def]
    return complaint_submit(
        category="perilaku",
        description="Petugas meminta imbalan. <script>&",
        reporter=Reporter(name="Ahmad Fauzi", contact="0812-3456-7890", confidential=True),
        unit=sukamaju.pendaftaran,
    )


def _enable(settings, url: str, token: str = "lapor-test-token") -> None:  # type: ignore[no-untyped-def]
    settings.SIGAP = {
        **settings.SIGAP,
        "LAPOR_ENABLED": "true",
        "LAPOR_API_URL": url,
        "LAPOR_TOKEN": token,
        "LAPOR_TIMEOUT_SECONDS": "5",
    }


def test_the_adapter_is_off_by_default_and_calls_nothing(sigap_complaint):
    adapter = lapor.LegacyLaporAdapter()
    assert adapter.conf.enabled is False
    assert adapter.conf.api_url == "https://www.lapor.go.id/api"
    with pytest.raises(lapor.LaporDisabled):
        adapter.topics()
    with pytest.raises(lapor.LaporDisabled):
        adapter.send(sigap_complaint)
    assert Exchange.objects.count() == 0


def test_topics_and_send_against_the_fake_lapor(settings, sigap_complaint):
    with running() as fake:
        _enable(settings, fake.url)
        adapter = lapor.LegacyLaporAdapter()
        topics = adapter.topics()
        assert [(t.id, t.parent, t.name) for t in topics] == [
            ("1", "0", "Kependudukan"),
            ("2", "0", "Perizinan"),
            ("21", "2", "Persetujuan Bangunan Gedung"),
        ]
        sent = adapter.send(sigap_complaint)
        sent_body = fake.received[-1]["body"].decode()
    assert sent.lapor_tracking_id == "7001"
    assert Complaint.objects.get(pk=sigap_complaint.pk).lapor_tracking_id == "7001"
    # The reporter's identity stays in sigap; the text is escaped XML.
    assert "Ahmad" not in sent_body and "0812" not in sent_body
    assert 'rahasia="1" anonim="1"' in sent_body
    assert "<isi>Petugas meminta imbalan. &lt;script&gt;&amp;</isi>" in sent_body
    records = list(
        Exchange.objects.order_by("pk").values_list(
            "system", "operation", "direction", "ok", "status_code", "object_ref", "summary"
        )
    )
    assert records == [
        ("lapor", "services/f01/gettopics", "pull", True, 200, "", "3 topics"),
        (
            "lapor",
            "stream/addstream",
            "push",
            True,
            200,
            f"complaint:{sigap_complaint.receipt_code}",
            "trackingid 7001, transaksiid T7001",
        ),
    ]
    # Never the payload: no text, no token in what is kept.
    kept = " ".join(str(v) for r in records for v in r)
    assert "imbalan" not in kept and "lapor-test-token" not in kept


def test_a_wrong_token_and_a_broken_answer_are_recorded_as_failures(settings, sigap_complaint):
    with running() as fake:
        _enable(settings, fake.url, token="wrong")
        with pytest.raises(lapor.LaporError, match="HTTP 401"):
            lapor.LegacyLaporAdapter().topics()
        _enable(settings, fake.url)
        fake.behaviour = "garbage"
        with pytest.raises(lapor.LaporError, match="not XML"):
            lapor.LegacyLaporAdapter().send(sigap_complaint)
    assert list(Exchange.objects.order_by("pk").values_list("ok", "status_code", "summary")) == [
        (False, 401, "HTTP 401"),
        (False, 200, "unreadable answer"),
    ]
    assert Complaint.objects.get(pk=sigap_complaint.pk).lapor_tracking_id == ""


def test_pull_and_status_are_not_supported_and_say_where_the_docs_are(settings, sigap_complaint):
    adapter = lapor.LegacyLaporAdapter()
    with pytest.raises(lapor.NotSupported, match="developer"):
        adapter.pull_disposed(date(2026, 11, 1))
    with pytest.raises(lapor.NotSupported, match="CSV"):
        adapter.push_status(sigap_complaint, Status.DITINDAKLANJUTI, "Sudah.")


def test_the_lapor_command_sends_a_complaint(settings, sigap_complaint):
    with running() as fake:
        _enable(settings, fake.url)
        out = StringIO()
        call_command("lapor", "send", sigap_complaint.receipt_code, stdout=out)
        assert "7001 https://www.lapor.go.id/pengaduan/7001" in out.getvalue()
        with pytest.raises(CommandError, match="already in SP4N-LAPOR"):
            call_command("lapor", "send", sigap_complaint.receipt_code)
        out = StringIO()
        call_command("lapor", "topics", stdout=out)
        assert out.getvalue().splitlines()[0] == "1\t0\tKependudukan"


def test_the_export_holds_only_the_users_agency(sukamaju, client):
    run(sukamaju, SAMPLE, write=True)
    other = factories.build_world()
    client.force_login(other.users["inspector"])
    response = client.get("/pengaduan/sp4n-lapor/ekspor/")
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").strip().splitlines() == [
        HEADER + ",Nomor Tiket SIGAP,Tautan LAPOR!"
    ]


def test_the_lapor_command_refuses_while_the_exchange_is_off(sigap_complaint):
    with pytest.raises(CommandError, match="SIGAP_LAPOR_ENABLED"):
        call_command("lapor", "send", sigap_complaint.receipt_code)
    assert Complaint.objects.get(pk=sigap_complaint.pk).lapor_tracking_id == ""
    assert Exchange.objects.count() == 0
