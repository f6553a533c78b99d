"""SKM over the JSON API: the questionnaire definition, submissions and the public IKM."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from sigap.api.errors import Error
from sigap.api.schemas import Code, ReceiptCode, Text4000
from sigap.catalogue.models import Service
from sigap.rules.ikm import ELEMENTS
from sigap.surveys import selectors, services
from sigap.throttling import ratelimit

router = Router(tags=["surveys"])

Score = int | None


class Answers(Schema):
    """Answers 1 (worst) to 4 (best) by stable unsur code; an unanswered unsur is null."""

    model_config = ConfigDict(extra="forbid")
    persyaratan: Score = Field(None, ge=1, le=4)
    prosedur: Score = Field(None, ge=1, le=4)
    waktu: Score = Field(None, ge=1, le=4)
    biaya: Score = Field(None, ge=1, le=4)
    produk: Score = Field(None, ge=1, le=4)
    kompetensi: Score = Field(None, ge=1, le=4)
    perilaku: Score = Field(None, ge=1, le=4)
    pengaduan: Score = Field(None, ge=1, le=4)
    sarana: Score = Field(None, ge=1, le=4)


class SurveyIn(Schema):
    model_config = ConfigDict(extra="forbid")
    service_code: Code
    answers: Answers
    comment: Text4000 = ""
    receipt_code: ReceiptCode = ""
    # The applicant's survey token (the `t` of the survey link sent to them or printed on the
    # receipt slip): a receipt code is only accepted with it (sigap.notifications.survey_links).
    receipt_token: str = Field("", max_length=400)
    gender: Literal["", "L", "P"] = ""
    age_band: Literal["", "<18", "18-30", "31-45", "46-60", ">60"] = ""
    education: Literal["", "sd", "smp", "sma", "d1-d3", "d4-s1", "s2", "s3"] = ""
    occupation: Literal["", "pns", "tni", "polri", "swasta", "wirausaha", "pelajar", "lainnya"] = ""


class SurveyOut(Schema):
    id: int
    service_code: str
    unit: str
    submitted_at: datetime


class ElementOut(Schema):
    code: str
    number: int
    name: str
    labels: list[str]


class ServiceOut(Schema):
    code: str
    name: str
    unit: str


class IkmOut(Schema):
    unit: str
    period: str
    respondents: int
    ikm: Decimal | None
    mutu: str | None
    kinerja: str | None
    weakest: list[str]
    weighting: str


@router.get("/services", response={200: list[ServiceOut]}, summary="Active services")
def api_services(request: HttpRequest) -> list[ServiceOut]:
    rows = Service.objects.filter(is_active=True).select_related("unit").order_by("code")
    return [ServiceOut(code=s.code, name=s.name, unit=s.unit.name) for s in rows]


@router.get("/surveys/elements", response={200: list[ElementOut]}, summary="The 9 unsur")
def api_survey_elements(request: HttpRequest) -> list[ElementOut]:
    return [ElementOut(code=e.code, number=e.number, name=e.name, labels=list(e.labels))
            for e in ELEMENTS]  # fmt: skip


@router.post(
    "/surveys",
    response={201: SurveyOut, 400: Error, 413: Error, 415: Error, 422: Error, 429: Error},
    summary="Submit one SKM questionnaire",
)
def api_survey_create(request: HttpRequest, payload: SurveyIn) -> Status[SurveyOut]:
    # The rate-limit hit is counted by the write itself (one statement with the row).
    response = services.survey_submit(
        service=payload.service_code,
        answers=payload.answers.model_dump(),
        respondent=services.Respondent(
            gender=payload.gender,
            age_band=payload.age_band,
            education=payload.education,
            occupation=payload.occupation,
        ),
        comment=payload.comment,
        receipt_code=payload.receipt_code,
        receipt_token=payload.receipt_token,
        channel="api",
        client_hash=ratelimit.client_hash(request, "survey"),
        charge=ratelimit.charge(request, "survey"),
    )
    return Status(
        201,
        SurveyOut(
            id=response.pk,
            service_code=response.service.code,
            unit=response.service.unit.name,
            submitted_at=response.submitted_at,
        ),
    )


@router.get("/ikm", response={200: list[IkmOut]}, summary="Latest public IKM of every unit")
def api_ikm(request: HttpRequest) -> list[IkmOut]:
    points, names = selectors.latest_public()
    w = selectors.weighting()
    return [
        IkmOut(
            unit=names.get(p.group, p.group),
            period=p.period,
            respondents=p.result.respondents,
            ikm=p.result.ikm,
            mutu=p.result.mutu.value if p.result.mutu else None,
            kinerja=p.result.kinerja,
            weakest=list(p.result.weakest),
            weighting=w.value,
        )
        for p in points
    ]
