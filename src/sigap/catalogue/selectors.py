"""What the public pages read of a standard's public consultation (frontdoor, transparency)."""

from __future__ import annotations

from collections.abc import Iterable

from sigap.catalogue.models import Consultation, ConsultationComment, Service, ServiceStandard


def draft_consultation(service: Service) -> Consultation | None:
    """The consultation on the service's draft version, if one was opened."""
    return (
        Consultation.objects.filter(standard__service=service, standard__valid_from__isnull=True)
        .select_related("standard")
        .order_by("-standard__version")
        .first()
    )


def public_comments(consultation: Consultation) -> list[ConsultationComment]:
    """The comments the public sees: those the unit answered (the answer is the moderation)."""
    return list(consultation.comments.filter(status=ConsultationComment.Status.ANSWERED))


def consultation_records(
    standards: Iterable[ServiceStandard | None],
) -> dict[int, tuple[Consultation, list[ConsultationComment]]]:
    """The consultation record of each standard that had one (two queries for them all), by
    standard id: what stays with a version once it takes effect."""
    ids = [s.pk for s in standards if s is not None]
    found = {c.standard_id: (c, []) for c in Consultation.objects.filter(standard_id__in=ids)}
    by_pk = {c.pk: comments for c, comments in found.values()}
    for comment in ConsultationComment.objects.filter(
        consultation__standard_id__in=ids, status=ConsultationComment.Status.ANSWERED
    ).order_by("submitted_at", "pk"):
        by_pk[comment.consultation_id].append(comment)
    return found  # type: ignore[return-value]
