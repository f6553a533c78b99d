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
    """The consultation record of each standard that had one, by standard id: what stays with
    a version once it takes effect. The standards should come with `select_related(
    "consultation")`; then one query reads the comments of them all, none if there are none."""
    found: dict[int, tuple[Consultation, list[ConsultationComment]]] = {}
    for standard in standards:
        if standard is None:
            continue
        try:
            found[standard.pk] = (standard.consultation, [])
        except Consultation.DoesNotExist:
            continue
    if not found:
        return found
    by_pk = {c.pk: comments for c, comments in found.values()}
    for comment in ConsultationComment.objects.filter(
        consultation__in=list(by_pk), status=ConsultationComment.Status.ANSWERED
    ).order_by("submitted_at", "pk"):
        by_pk[comment.consultation_id].append(comment)
    return found
