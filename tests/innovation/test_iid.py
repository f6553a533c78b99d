"""The IID workbench: its figures are the rules' on a registry computed by hand
(tests/innovation/iid_world.py), the evidence equals the existing selectors, the answers are
validated all-or-nothing with their files, the export reads back, the bukti dukung goes only to
who may read it."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from sigap.audit.models import AuditEntry
from sigap.complaints.models import Complaint
from sigap.complaints.selectors import resolution
from sigap.complaints.services import Reporter, complaint_submit
from sigap.documents import storage
from sigap.innovation import answers
from sigap.innovation.evidence import innovation_evidence
from sigap.innovation.iid import workbench
from sigap.innovation.models import IndicatorAnswer, SpdAnswer
from sigap.metrics.selectors import request_figures
from sigap.rules.innovation import (
    ChangeKind,
    InnovationInput,
    Predikat,
    SpdInput,
    frame,
    improvements,
    round2,
    score,
)
from sigap.service_requests.models import RequestFact
from tests import factories
from tests.conftest import local
from tests.documents import files
from tests.innovation import iid_world

pytestmark = pytest.mark.django_db
F26 = frame(2026)


@pytest.fixture(autouse=True)
def _documents(tmp_path):  # type: ignore[no-untyped-def]
    with override_settings(DOCUMENTS_DIR=tmp_path / "documents"):
        yield


@pytest.fixture
def registry(world):  # type: ignore[no-untyped-def]
    return iid_world.build(world)


def _hr(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.users["hr"])
    return client


# --- the figures -----------------------------------------------------------------------------


def test_workbench_figures_are_the_hand_computed_ones(world, registry):
    wb = workbench(world.agency, F26, top=None)
    s = wb.score
    assert (s.spd, s.n, s.rows_total, s.divisor) == (8, 2, 50, 12)
    assert s.jumlah == 0 and s.basic_covered == {"health"}
    assert round2(s.iid) == iid_world.IID
    assert s.predikat is Predikat.KURANG_INOVATIF
    assert {c.key: c.rows for c in s.counted} == {registry.a.pk: 31, registry.b.pk: 19}
    assert dict(s.excluded) == {registry.c.pk: "outside_window", registry.d.pk: "not_applied"}
    assert s.missing_mandatory == {
        registry.b.pk: ("sdm", "kecepatan_penciptaan", "kemanfaatan", "video")
    }
    # the same as the rules on the plain inputs
    plain = score(
        F26,
        [SpdInput("visi_misi", 2, 3), SpdInput("pad", 1, 2)],
        [
            InnovationInput(1, "civil_registration", date(2024, 6, 1),
                            {"regulasi": 2, "sdm": 1, "kecepatan_penciptaan": 3,
                             "kemanfaatan": 3, "video": 2}),
            InnovationInput(2, "health", date(2025, 2, 1),
                            {"regulasi": 3, "anggaran": 2, "alat_kerja": 3}),
        ],
    )  # fmt: skip
    assert plain.iid == s.iid


def test_workbench_ranks_the_rules_changes(world, registry):
    wb = workbench(world.agency, F26, top=None)
    spd_in = [SpdInput("visi_misi", 2, 3), SpdInput("pad", 1, 2)]
    expected = improvements(F26, spd_in, [
        InnovationInput(registry.a.pk, "civil_registration", date(2024, 6, 1),
                        {"regulasi": 2, "sdm": 1, "kecepatan_penciptaan": 3, "kemanfaatan": 3,
                         "video": 2}),
        InnovationInput(registry.b.pk, "health", date(2025, 2, 1),
                        {"regulasi": 3, "anggaran": 2, "alat_kerja": 3}),
        InnovationInput(registry.c.pk, "health", date(2023, 3, 1), {"regulasi": 3}),
        InnovationInput(registry.d.pk, "health", None, {}),
    ])  # fmt: skip
    assert [(c.kind, c.innovation, c.indicator, c.gain) for c in wb.changes] == [
        (c.kind, c.innovation, c.indicator, c.gain) for c in expected
    ]
    # by hand: one more innovation scoring the mean 25 rows adds 25 / 12 / 2.5 = 0.8333 (so
    # does one in each of the 5 basic affairs not covered: 2 of 6 stay short of 5); then B's
    # video 0 → 3 (+12 rows / 12 / 2.5 = 0.4) ties with the SPD "pad" 2 → 3 (+1 / 2.5 = 0.4)
    kinds = [c.kind for c in wb.changes[:8]]
    assert kinds == [ChangeKind.ADD_INNOVATION] + [ChangeKind.COVER_URUSAN] * 5 + [
        ChangeKind.RAISE,
        ChangeKind.SPD,
    ]
    assert round(wb.changes[0].gain, 4) == Decimal("0.8333")
    video, pad = wb.changes[6], wb.changes[7]
    assert (video.innovation, video.indicator, video.gain) == (
        registry.b.pk,
        "video",
        Decimal("0.4"),
    )
    assert (pad.indicator, pad.gain) == ("pad", Decimal("0.4"))


def test_workbench_page_shows_the_score_and_why_others_do_not_count(client, world, registry):
    response = _hr(client, world).get("/inovasi/iid/2026/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "4.87" in page and "Kurang Inovatif" in page
    assert "Arsip lama" in page and "applied outside the assessment window" in page
    assert "Uji coba SMS" in page and "not in application" in page
    assert "Availability of human resources" in page  # B's missing mandatory row
    assert "What would raise our IID most" in page


def test_home_sends_hr_to_the_current_frame(client, world):
    response = _hr(client, world).get("/inovasi/iid/")
    assert response.status_code == 302 and response["Location"] == "/inovasi/iid/2026/"


@pytest.mark.parametrize(
    "path", ["/inovasi/iid/2027/", "/inovasi/iid/2019/iid.xlsx", "/inovasi/iid/2031/spd/pad/"]
)
def test_an_unknown_year_is_a_clear_404(client, world, path):
    response = _hr(client, world).get(path)
    assert response.status_code == 404
    page = response.content.decode()
    assert "No IID frame for this year" in page and "2023" in page and "2026" in page


def test_an_innovation_of_another_agency_is_404(client, world, registry):
    from sigap.organisation.models import Agency

    other = Agency.objects.create(code="lain", name="Kota Lain", kind="kota")
    registry.a.agency = other
    registry.a.save()
    assert _hr(client, world).get(f"/inovasi/iid/2026/inovasi/{registry.a.pk}/").status_code == 404


# --- SPD answers --------------------------------------------------------------------------------


def test_spd_answer_with_a_document_is_saved_and_audited(client, world, registry):
    pdf = SimpleUploadedFile("visi.pdf", files.pdf("RPJMD"), content_type="application/pdf")
    response = _hr(client, world).post(
        "/inovasi/iid/2026/spd/ipm/", {"weight": 2, "parameter": 3, "note": "", "evidence": pdf}
    )
    assert response.status_code == 302
    saved = SpdAnswer.objects.get(agency=world.agency, frame=2026, indicator="ipm")
    assert (saved.weight, saved.parameter, saved.evidence_name) == (2, 3, "visi.pdf")
    assert storage.path_of(saved.evidence).exists()
    entry = AuditEntry.objects.filter(action="iid.spd_answer_set").get()
    assert entry.data["new"] == [2, 3] and len(entry.data["sha256"]) == 64
    # the SPD is now 8 + 6 = 14: IID (14 + 50/12) / 2.5 = 7.27
    assert round2(workbench(world.agency, F26).score.iid) == Decimal("7.27")


def test_spd_weights_over_21_are_refused_naming_the_weight(client, world, registry):
    for key in ("pertumbuhan_pendapatan", "pengangguran", "investasi", "kemiskinan"):
        answers.spd_answer_set(actor=world.users["hr"], agency=world.agency, year=2026,
                               indicator=key, weight=4, parameter=1)  # fmt: skip
    # 3 + 16 = 19 entered; 3 more would be 22
    response = _hr(client, world).post(
        "/inovasi/iid/2026/spd/ipm/", {"weight": 3, "parameter": 3, "note": ""}
    )
    assert response.status_code == 200
    assert "would add up to 22, more than the 21" in response.content.decode()
    assert not SpdAnswer.objects.filter(indicator="ipm").exists()
    with pytest.raises(ValidationError) as e:
        answers.spd_answer_set(actor=world.users["hr"], agency=world.agency, year=2026,
                               indicator="ipm", weight=3, parameter=1)  # fmt: skip
    assert set(e.value.message_dict) == {"weight"}


def test_spd_bad_input_names_the_field(world, registry):
    hr = world.users["hr"]
    cases = [
        ({"indicator": "nope", "weight": 1, "parameter": 1}, "indicator"),
        ({"indicator": "ipm", "weight": 1, "parameter": 4}, "parameter"),
        ({"indicator": "ipm", "weight": 0, "parameter": 1}, "weight"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as e:
            answers.spd_answer_set(actor=hr, agency=world.agency, year=2026, **kwargs)
        assert field in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        answers.spd_answer_set(actor=hr, agency=world.agency, year=2027, indicator="ipm",
                               weight=1, parameter=1)  # fmt: skip
    assert "2027" in e.value.message_dict["year"][0]
    with pytest.raises(PermissionDenied):
        answers.spd_answer_set(actor=world.users["head_a"], agency=world.agency, year=2026,
                               indicator="ipm", weight=1, parameter=1)  # fmt: skip


# --- innovation answers ------------------------------------------------------------------------


def _post_answers(client, registry, values, uploads=None):  # type: ignore[no-untyped-def]
    data = {f"p_{i.key}": 0 for i in F26.sid}
    current = IndicatorAnswer.objects.filter(innovation=registry.b, frame=2026)
    data |= {f"p_{a.indicator}": a.parameter for a in current}
    data |= {f"p_{k}": v for k, v in values.items()}
    data |= uploads or {}
    return client.post(f"/inovasi/iid/2026/inovasi/{registry.b.pk}/", data)


def test_innovation_answers_with_a_pdf_raise_the_iid(client, world, registry):
    pdf = SimpleUploadedFile("video.pdf", files.pdf("Tautan video"), content_type="application/pdf")
    response = _post_answers(_hr(client, world), registry, {"video": 3},
                             {"evidence_video": pdf})  # fmt: skip
    assert response.status_code == 302
    video = IndicatorAnswer.objects.get(innovation=registry.b, frame=2026, indicator="video")
    assert video.parameter == 3 and video.evidence_name == "video.pdf"
    assert storage.path_of(video.evidence).read_bytes().startswith(b"%PDF")
    # + 12 rows / 12 / 2.5 = + 0.4: 4.8667 + 0.4 = 5.27
    assert round2(workbench(world.agency, F26).score.iid) == Decimal("5.27")
    entry = AuditEntry.objects.filter(action="iid.answers_set").get()
    assert entry.data["parameters"]["video"] == [None, 3] and "video" in entry.data["files"]


def test_wrong_evidence_type_refused_and_nothing_written(client, world, registry, tmp_path):
    before = set(IndicatorAnswer.objects.values_list("pk", "indicator", "parameter"))
    stored_before = storage.stored_names()
    html = SimpleUploadedFile("sk.pdf", b"<html><script>x</script></html>", "application/pdf")
    pdf = SimpleUploadedFile("sdm.pdf", files.pdf("SK tim"), content_type="application/pdf")
    response = _post_answers(_hr(client, world), registry, {"sdm": 3, "video": 2},
                             {"evidence_sdm": pdf, "evidence_video": html})  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "Supporting documents must be PDF, JPEG or PNG files." in page
    assert set(IndicatorAnswer.objects.values_list("pk", "indicator", "parameter")) == before
    assert storage.stored_names() == stored_before  # the good PDF was not stored either


def test_parameter_4_and_unknown_indicator_refused_by_name(world, registry):
    hr = world.users["hr"]
    with pytest.raises(ValidationError) as e:
        answers.indicator_answers_set(actor=hr, innovation=registry.b, year=2026, rows=[
            answers.AnswerRow("sdm", 2), answers.AnswerRow("regulasi", 4),
            answers.AnswerRow("video_quality", 1),
        ])  # fmt: skip
    assert set(e.value.message_dict) == {"regulasi", "video_quality"}
    assert not IndicatorAnswer.objects.filter(innovation=registry.b, indicator="sdm").exists()
    with pytest.raises(PermissionDenied):
        answers.indicator_answers_set(actor=world.users["officer_b"], innovation=registry.b,
                                      year=2026, rows=[answers.AnswerRow("sdm", 2)])  # fmt: skip


def test_the_unit_head_over_the_innovation_may_answer_it(world, registry):
    head = world.users["head_a"]  # unit head of counter A: INNOVATION_MANAGE there
    answers.indicator_answers_set(actor=head, innovation=registry.a, year=2026,
                                  rows=[answers.AnswerRow("bimtek", 1)])  # fmt: skip
    with pytest.raises(PermissionDenied):
        answers.indicator_answers_set(actor=head, innovation=registry.b, year=2026,
                                      rows=[answers.AnswerRow("bimtek", 1)])  # fmt: skip


# --- bukti dukung download -------------------------------------------------------------------


def test_evidence_download_only_for_who_may_read_it(client, world, registry):
    answers.indicator_answers_set(
        actor=world.users["hr"], innovation=registry.a, year=2026,
        rows=[answers.AnswerRow("regulasi", 2, upload=answers.Upload(files.pdf("SK"), "sk.pdf"))],
    )  # fmt: skip
    a = IndicatorAnswer.objects.get(innovation=registry.a, indicator="regulasi")
    url = f"/inovasi/iid/bukti/sid/{a.pk}/"
    for persona, status in (("hr", 200), ("head_a", 200), ("officer_a", 404),
                            ("officer_b", 404), ("leadership", 404)):  # fmt: skip
        client.force_login(world.users[persona])
        response = client.get(url)
        assert response.status_code == status, persona
        if status == 200:
            assert b"".join(response.streaming_content).startswith(b"%PDF")
            assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(action="iid.evidence_download").count() == 2


def test_answers_page_is_not_stored_and_shows_the_generated_evidence(client, world, registry):
    response = _hr(client, world).get(f"/inovasi/iid/2026/inovasi/{registry.a.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "3 working days in the service standard" in page  # KTP-el's SLA
    assert "Suggests parameter 2." in page  # 3 days: 2–5 days


# --- the export ------------------------------------------------------------------------------


def test_xlsx_reads_back_with_typed_cells(client, world, registry):
    response = _hr(client, world).get("/inovasi/iid/2026/iid.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "SPD", "Innovations"]
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["IID"] == pytest.approx(4.87)
    assert summary["SPD score"] == 8 and summary["Divisor"] == 12
    assert summary["Predikat"] == "Kurang Inovatif"
    spd = list(book["SPD"].iter_rows(min_row=2, values_only=True))
    assert len(spd) == 17
    # the rows in the frame's order: 1 is visi_misi (2 × 3), 8 is PAD (1 × 2)
    assert spd[0][0] == 1 and spd[0][2:5] == (2, 3, 6)
    assert spd[7][2:5] == (1, 2, 2) and spd[1][2:5] == (None, None, None)
    assert spd[0][1] == "Innovation in the vision and mission of the head of region"
    sid = list(book["Innovations"].iter_rows(min_row=2, values_only=True))
    assert len(sid) == 4 * 20
    row = next(r for r in sid if r[0] == registry.a.pk and r[6] == 1)  # regulasi
    assert row[7:12] == ("Innovation regulation", 3, "Yes", 2, 6)
    assert isinstance(row[4], datetime) and row[4].date() == date(2024, 6, 1)
    assert row[5] == "Yes"
    assert next(r for r in sid if r[0] == registry.c.pk)[5].startswith("No:")


# --- the evidence sigap holds ------------------------------------------------------------------


def test_evidence_figures_equal_the_selectors(world, registry):
    day0 = local(2025, 3, 3)
    for n in range(3):
        sr = factories.submit(world, at=day0 + timedelta(days=7 * n))
        if n < 2:
            factories.complete(world, sr, at=day0 + timedelta(days=7 * n, hours=1))
    for text in ("Antrean lama", "Petugas tidak ramah"):
        complaint_submit(category="lambat", description=text, service=world.ktp,
                         reporter=Reporter(name="Warga", contact="0812"),
                         submitted_at=local(2025, 4, 1))  # fmt: skip
    got = innovation_evidence(F26, registry.a, date(2026, 12, 1))
    start, end = date(2024, 6, 1), date(2025, 12, 31)
    facts = RequestFact.objects.filter(service=world.ktp)
    closed = request_figures(facts, start, end)[()]
    process = got["kemudahan_proses"]
    measured = process.figures[-1].params
    assert measured["n"] == {"count": closed.closed} and closed.closed == 2
    assert measured["days"] == {"decimal": closed.lead_wd_median, "places": 1}
    assert process.proposed == 2  # the standard's 3 working days: 2–5 days
    found = resolution(Complaint.objects.filter(service=world.ktp))
    complaints = got["penyelesaian_pengaduan"]
    assert complaints.figures[0].params["handled"] == {"count": found.handled} == {"count": 2}
    assert complaints.proposed == 1  # none resolved yet: at most 50 %
    served = request_figures(facts, date(2024, 6, 1), date(2026, 12, 1))[()].closed
    benefit = got["kemanfaatan"]
    assert benefit.figures[0].params["n"] == {"count": served} == {"count": 2}
    assert benefit.proposed == 1  # 1–200 beneficiaries
    assert got["monev"].proposed is None  # no SKM answers


# --- words for people --------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["id", "en"])
def test_no_internal_code_on_the_iid_pages(client, world, registry, language):
    from tests.web.test_language import _xlsx_as_html, findings

    answers.indicator_answers_set(
        actor=world.users["hr"], innovation=registry.a, year=2026,
        rows=[answers.AnswerRow("regulasi", 2, upload=answers.Upload(files.pdf("SK"), "sk.pdf"))],
    )  # fmt: skip
    for day, text in ((3, "Antrean lama"), (4, "Lambat")):
        complaint_submit(category="lambat", description=text, service=world.ktp,
                         reporter=Reporter(name="Warga", contact="0812"),
                         submitted_at=local(2025, 4, day))  # fmt: skip
    sr = factories.submit(world, at=local(2025, 3, 3))
    factories.complete(world, sr, at=local(2025, 3, 3, 10))
    client.force_login(world.users["hr"])
    client.cookies["django_language"] = language
    refused = client.post(
        f"/inovasi/iid/2026/inovasi/{registry.b.pk}/",
        {"p_sdm": "3", "evidence_sdm": SimpleUploadedFile("sk.pdf", b"<html></html>")},
    )
    pages = {
        "workbench": client.get("/inovasi/iid/2026/"),
        "answers A": client.get(f"/inovasi/iid/2026/inovasi/{registry.a.pk}/"),
        "answers B refused": refused,
        "spd": client.get("/inovasi/iid/2026/spd/visi_misi/"),
        "2023": client.get("/inovasi/iid/2023/"),
        "unknown year": client.get("/inovasi/iid/2027/"),
    }
    for label, response in pages.items():
        assert response.status_code in (200, 400, 404), label
        assert findings(response.content.decode(), language) == [], label
    export = client.get("/inovasi/iid/2026/iid.xlsx")
    assert findings(_xlsx_as_html(export.content), language) == []


def test_evidence_from_the_registry_and_the_skm_report(world, registry):
    from django.utils import timezone

    from sigap.innovation.models import Replication
    from sigap.surveys import reports
    from sigap.surveys.services import survey_submit

    now = timezone.now()
    for region in ("Kota Lain", "Kabupaten Sebelah"):
        Replication.objects.create(original=registry.a, adopter_region=region,
                                   adopted_on=date(2025, 5, 1), recorded_at=now)  # fmt: skip
    Replication.objects.create(original=registry.a, adopter_unit=world.puskesmas_b,
                               adopted_on=date(2025, 6, 1), recorded_at=now)  # fmt: skip
    for n in range(3):
        survey_submit(service=world.ktp, answers={"waktu": 4, "biaya": 3},
                      submitted_at=local(2025, 5, 5 + n))  # fmt: skip
    got = innovation_evidence(F26, registry.a, date(2026, 12, 1))
    # 10 January → 1 June 2024: 4 whole months → "1–4 months" → 3
    assert got["kecepatan_penciptaan"].proposed == 3
    assert got["kecepatan_penciptaan"].figures[0].params["months"] == {"count": 4}
    # B: 1 September 2024 → 1 February 2025: 5 months → 2
    b = innovation_evidence(F26, registry.b, date(2026, 12, 1))
    assert b["kecepatan_penciptaan"].proposed == 2
    # two other regions (the unit of this agency does not count) → 2
    assert got["replikasi"].proposed == 2
    assert got["replikasi"].figures[0].params["n"] == {"count": 2}
    assert b["replikasi"].proposed is None
    # the SKM report of counter A for 2025 exists: Monev 2, with the report's own figures
    report = reports.build(world.counter_a, "2025")
    assert report.result is not None and report.result.respondents == 3
    monev = got["monev"]
    assert monev.proposed == 2
    assert monev.figures[0].params["n"] == {"count": report.result.respondents}
    assert monev.figures[0].params["year"] == "2025"
    assert b["monev"].proposed is None  # no answers at Puskesmas B


def test_an_untouched_row_is_not_recorded(client, world, registry):
    _post_answers(_hr(client, world), registry, {"video": 1})
    recorded = set(
        IndicatorAnswer.objects.filter(innovation=registry.b).values_list("indicator", flat=True)
    )
    assert recorded == {"regulasi", "anggaran", "alat_kerja", "video"}
    entry = AuditEntry.objects.filter(action="iid.answers_set").get()
    assert entry.data["parameters"] == {"video": [None, 1]}


# --- review: the UNCERTAIN values are settings (sigap.innovation.conf) --------------------------


def _sigap(**values):  # type: ignore[no-untyped-def]
    from django.conf import settings

    return override_settings(SIGAP={**getattr(settings, "SIGAP", {}), **values})


def test_iid_settings_default_to_the_rules_frames():
    from sigap.innovation import conf

    f = conf.frame(2026)
    assert f.window == (date(2024, 1, 1), date(2025, 12, 31)) and f.band_decimals == 2
    assert [b.at_least for b in f.bands] == [Decimal(x) for x in ("65.01", "40.01", "0.01", "0")]
    assert conf.problems() == []


def test_iid_bands_setting_moves_the_predikat_on_the_page_and_in_the_export(
    client, world, registry
):
    # 4.87 is Kurang Inovatif with the 2026 bands; with these, at least 4.50 is Inovatif.
    bands = {2026: [("60", "sangat_inovatif"), ("4.5", "inovatif"), ("0.01", "kurang_inovatif"),
                    ("0", "tidak_dapat_dinilai")]}  # fmt: skip
    with _sigap(IID_BANDS=bands):
        page = _hr(client, world).get("/inovasi/iid/2026/").content.decode()
        export = client.get("/inovasi/iid/2026/iid.xlsx").content
    assert 'data-testid="iid-predikat">Inovatif<' in page
    summary = {
        r[0]: r[1]
        for r in openpyxl.load_workbook(io.BytesIO(export))["Summary"].iter_rows(values_only=True)
    }
    assert summary["Predikat"] == "Inovatif"


def test_iid_window_setting_decides_which_innovations_count(client, world, registry):
    # C (health, regulasi 3 → 9 rows) applied 2023-03-01 counts once the window opens in 2023:
    # n = 3, rows 59, SID 59 / 12; IID (8 + 4.9167) / 2.5 = 5.1667 → 5.17
    with _sigap(IID_WINDOWS={2026: ("2023-01-01", "2025-12-31")}):
        page = _hr(client, world).get("/inovasi/iid/2026/").content.decode()
    assert 'data-testid="iid-value">5.17<' in page or 'data-testid="iid-value">5,17<' in page
    assert 'data-testid="iid-n">3<' in page


def test_iid_band_decimals_setting_bands_unrounded():
    from sigap.innovation import conf
    from sigap.rules.innovation import predikat

    assert predikat(conf.frame(2026), Decimal("65.005")) is Predikat.SANGAT_INOVATIF
    with _sigap(IID_BAND_DECIMALS=None):
        assert predikat(conf.frame(2026), Decimal("65.005")) is Predikat.INOVATIF


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"IID_BANDS": {2027: [("0", "inovatif")]}}, "IID_BANDS: no IID frame for 2027"),
        ({"IID_BANDS": {2026: [("50", "hebat"), ("0", "inovatif")]}}, "unknown predikat 'hebat'"),
        ({"IID_BANDS": {2026: [("10", "inovatif"), ("40", "sangat_inovatif"),
                               ("0", "tidak_dapat_dinilai")]}}, "must go down strictly"),
        ({"IID_BANDS": {2026: [("40", "inovatif"), ("1", "kurang_inovatif")]}}, "start at 0"),
        ({"IID_BANDS": {2026: "x"}}, "IID_BANDS[2026] must be a list"),
        ({"IID_WINDOWS": {2026: ("2025-12-31", "2024-01-01")}}, "is after the end"),
        ({"IID_WINDOWS": {2026: "2024"}}, "IID_WINDOWS[2026] must be two dates"),
        ({"IID_BAND_DECIMALS": "2"}, "IID_BAND_DECIMALS must be None or a whole number"),
    ],
)  # fmt: skip
def test_a_wrong_iid_setting_is_named_by_the_system_check(values, named):
    from django.core import checks

    with _sigap(**values):
        found = [m.msg for m in checks.run_checks() if m.id == "sigap.E011"]
    assert any(named in m for m in found), found


# --- review: uploads --------------------------------------------------------------------------


def test_a_pdf_renamed_png_and_an_empty_file_are_refused_and_nothing_written(
    client, world, registry
):
    before = set(IndicatorAnswer.objects.values_list("pk", "indicator", "parameter", "evidence"))
    stored_before = storage.stored_names()
    renamed = SimpleUploadedFile("foto.png", files.pdf("SK"), content_type="image/png")
    empty = SimpleUploadedFile("kosong.pdf", b"", content_type="application/pdf")
    response = _post_answers(_hr(client, world), registry, {"sdm": 3, "video": 2},
                             {"evidence_sdm": renamed, "evidence_video": empty})  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "does not match its name (.png)" in page and "The file is empty." in page
    assert (
        set(IndicatorAnswer.objects.values_list("pk", "indicator", "parameter", "evidence"))
        == before
    )
    assert storage.stored_names() == stored_before


def test_a_huge_file_is_refused_without_being_read_whole(client, world, registry):
    from sigap.innovation.views_iid import _upload

    class Spy:
        name = "besar.pdf"
        asked: list[int | None] = []

        def read(self, size=None):  # type: ignore[no-untyped-def]
            self.asked.append(size)
            return b"%PDF-" + b"0" * (size - 5)

    with _sigap(DOCUMENT_MAX_MB=1):
        spy = Spy()
        upload = _upload(spy)
        assert spy.asked == [1024 * 1024 + 1] and upload is not None
        big = SimpleUploadedFile("besar.pdf", files.pdf("x") + b"\n" * (1024 * 1024))
        response = _post_answers(_hr(client, world), registry, {"sdm": 3},
                                 {"evidence_sdm": big})  # fmt: skip
    assert response.status_code == 400
    assert "larger than 1 MB" in response.content.decode()
    assert not IndicatorAnswer.objects.filter(innovation=registry.b, indicator="sdm").exists()


def test_the_kind_of_a_document_comes_from_its_content_not_its_name(client, world, registry):
    # A JPEG sent without an extension was recorded as kind "" and handed out as a PDF.
    answers.indicator_answers_set(
        actor=world.users["hr"], innovation=registry.a, year=2026,
        rows=[answers.AnswerRow("sosialisasi", 2,
                                upload=answers.Upload(files.jpeg_with_gps(), "spanduk"))],
    )  # fmt: skip
    a = IndicatorAnswer.objects.get(innovation=registry.a, indicator="sosialisasi")
    assert a.evidence_kind == "jpeg"
    response = _hr(client, world).get(f"/inovasi/iid/bukti/sid/{a.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert ".jpg" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")
    # an answer stored earlier with no kind: still handed out by its bytes
    IndicatorAnswer.objects.filter(pk=a.pk).update(evidence_kind="")
    assert _hr(client, world).get(f"/inovasi/iid/bukti/sid/{a.pk}/")["Content-Type"] == (
        "image/jpeg"
    )


# --- review: evidence figures -------------------------------------------------------------------


def test_no_service_standard_share_is_not_shown_as_zero_percent(world, registry, monkeypatch):
    from sigap.innovation import evidence as evidence_mod
    from sigap.metrics.selectors import RequestFigures

    figures = RequestFigures(volume=4, digital=0, closed=4, sla_cases=0, sla_met=0,
                             first_time_right=4, lead_wd_median=2.0)  # fmt: skip
    monkeypatch.setattr(evidence_mod, "request_figures", lambda *a, **k: {(): figures})
    got = evidence_mod.process_evidence(F26, registry.a)
    text = " ".join(str(s) for s in got.figures)
    assert "Median lead time 2.0 working days over 4 requests closed" in text
    assert "within the service standard" not in text and "0.0" not in text.replace("2.0", "")


def test_every_wrong_parameter_is_named_in_one_pass(client, world, registry):
    # "x" for sdm used to stop the check there: video's 7 was only reported on the next try
    before = set(IndicatorAnswer.objects.values_list("pk", "indicator", "parameter"))
    response = _post_answers(_hr(client, world), registry, {"sdm": "x", "video": 7, "bimtek": 2})
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("Choose a parameter from 0 to 3.") == 2
    for key in ("sdm", "video"):
        row = page.split(f'data-testid="row-{key}"', 1)[1].split("</tr>", 1)[0]
        assert "Choose a parameter from 0 to 3." in row, key
    assert set(IndicatorAnswer.objects.values_list("pk", "indicator", "parameter")) == before


def test_the_workbench_shows_the_bands_in_use_and_what_is_uncertain(client, world, registry):
    client = _hr(client, world)
    client.cookies["django_language"] = "id"
    page = client.get("/inovasi/iid/2026/").content.decode()
    bands = page.split('data-testid="iid-bands">', 1)[1].split("</p>", 1)[0]
    assert bands == (
        "Predikat: Sangat Inovatif mulai 65,01; Inovatif mulai 40,01; Kurang Inovatif mulai "
        "0,01; Tidak Dapat Dinilai pada 0 (pada indeks yang dibulatkan ke 2 desimal)."
    )
    uncertain = page.split('data-testid="iid-uncertain">', 1)[1].split("</p>", 1)[0]
    assert uncertain.startswith("Belum pasti dalam aturan 2026") and "batas predikat" in uncertain
    with _sigap(IID_BANDS={2026: [("50", "inovatif"), ("0", "tidak_dapat_dinilai")]},
                IID_BAND_DECIMALS=None):  # fmt: skip
        page = client.get("/inovasi/iid/2026/").content.decode()
    bands = page.split('data-testid="iid-bands">', 1)[1].split("</p>", 1)[0]
    assert bands == "Predikat: Inovatif mulai 50,00; Tidak Dapat Dinilai pada 0."


def test_missing_mandatory_setting_drops_b_and_names_its_rows(client, world, registry):
    # B (19 rows) lacks sdm, kecepatan, kemanfaatan, video: without it n = 1, rows 31;
    # SID 31 / 12 = 2.5833; IID (8 + 2.5833) / 2.5 = 4.2333 → 4.23
    with _sigap(IID_MISSING_MANDATORY_COUNTS=False):
        assert round2(workbench(world.agency, answers.frame_of(2026)).score.iid) == Decimal("4.23")
        page = _hr(client, world).get("/inovasi/iid/2026/").content.decode()
    excluded = page.split('data-testid="iid-excluded">', 1)[1].split("</ul>", 1)[0]
    assert "Rujukan cepat (Application): mandatory evidence missing (" in excluded
    assert "Innovation video" in excluded and 'data-testid="iid-n">1<' in page
    from sigap.innovation import conf

    with _sigap(IID_MISSING_MANDATORY_COUNTS="no"):
        assert "IID_MISSING_MANDATORY_COUNTS must be True or False." in conf.problems()


def test_beneficiaries_stop_at_the_end_of_the_frame_year(world, registry, monkeypatch):
    # A applied in February 2023: the 2023 frame, read today, counts the requests served up to
    # the end of 2023 only (not those served after that year's assessment); 2026: up to today
    from sigap.innovation import evidence as evidence_mod
    from sigap.innovation.models import Innovation
    from sigap.metrics.selectors import RequestFigures

    Innovation.objects.filter(pk=registry.a.pk).update(
        initiated_on=date(2022, 10, 1), trial_on=None, applied_on=date(2023, 2, 1)
    )
    registry.a.refresh_from_db()
    asked: list[tuple[date, date]] = []

    def figures(facts, start, end, by=()):  # type: ignore[no-untyped-def]
        asked.append((start, end))
        return {(): RequestFigures(250, 0, 250, 0, 0, 250, None)}

    monkeypatch.setattr(evidence_mod, "request_figures", figures)
    old = innovation_evidence(frame(2023), registry.a, date(2026, 12, 1))["kemanfaatan"]
    assert asked[-1] == (date(2023, 2, 1), date(2023, 12, 31))
    assert old.figures[0].params["end"] == {"date": "2023-12-31"} and old.proposed == 2
    innovation_evidence(F26, registry.a, date(2026, 12, 1))
    assert asked[-1] == (date(2023, 2, 1), date(2026, 12, 1))
