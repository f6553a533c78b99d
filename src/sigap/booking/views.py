"""Counter slot booking pages: the applicant's form (public) and the unit's day list and plan."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sigap.access import Action, has_any_role, scoped
from sigap.booking import services
from sigap.booking.forms import HONEYPOT, ApplicantForm, GenerateForm, PlanForm
from sigap.booking.models import Booking, BookingStatus, Slot, SlotPlan
from sigap.organisation.models import Unit
from sigap.surveys.views import too_many
from sigap.throttling import ratelimit
from sigap.web import formatting
from sigap.web.errors import errors_to_form, errors_to_messages


def _slot_label(slot: Slot) -> str:
    return _("%(day)s at %(time)s (%(free)s places left)") % {
        "day": formatting.weekday_date(slot.day),
        "time": formatting.clock(slot.start),
        "free": slot.free,
    }


@never_cache
def applicant(request: HttpRequest) -> HttpResponse:
    """Book, move or cancel a counter visit with the receipt code and the contact given.

    Step one asks for both; when they match, the same page offers the unit's free times. Every
    post counts against the client's limit, and a wrong code and a wrong contact read the same.
    """
    if request.method != "POST":
        # `?kode=`: the link on the applicant's own page fills in the receipt code.
        code = request.GET.get("kode", "")[:20]
        return render(
            request, "booking/applicant.html", {"form": ApplicantForm(initial={"receipt": code})}
        )
    decision = ratelimit.hit(request, "booking")
    if not decision.allowed:
        return too_many(request, decision)
    action = request.POST.get("action", "find")
    sr = None
    slots: list[Slot] = []
    form = ApplicantForm(request.POST)
    status = 400
    context: dict[str, Any] = {}
    if form.is_valid() and not form.cleaned_data[HONEYPOT]:
        data = form.cleaned_data
        try:
            sr = services.request_for_applicant(data["receipt"], data["contact"])
            if action == "cancel":
                booking = services.booking_cancel(receipt=data["receipt"], contact=data["contact"])
                return render(request, "booking/done.html", {"cancelled": booking})
            services.check_bookable(sr)
            slots = services.open_slots(sr)
            form = ApplicantForm(request.POST, slots=[(s.pk, _slot_label(s)) for s in slots])
            form.is_valid()
            if action == "book":
                if form.cleaned_data.get("slot") is None:
                    raise ValidationError({"slot": _("Choose a time.")})
                booked = services.booking_make(
                    receipt=data["receipt"],
                    contact=data["contact"],
                    slot_id=form.cleaned_data["slot"],
                )
                return render(
                    request,
                    "booking/done.html",
                    {"booking": booked.booking, "moved_from": booked.moved_from, "sr": sr},
                )
            status = 200
        except ValidationError as exc:
            errors_to_form(form, exc, default_field="receipt")
            if "receipt" in getattr(exc, "error_dict", {}):
                sr = None  # not (or no longer) bookable: no times are offered
        if sr is not None:
            context = {"sr": sr, "current": services.active_booking(sr), "slots": slots}
    elif form.is_bound and form.cleaned_data.get(HONEYPOT):
        form.add_error(None, _("The form could not be sent. Please try again."))
    return render(request, "booking/applicant.html", {"form": form, **context}, status=status)


def _units(request: HttpRequest, action: Action) -> list[Unit]:
    user = request.user
    if not has_any_role(user, action):
        raise PermissionDenied
    return list(
        scoped(user, action, Unit.objects.all(), unit_field="")
        .filter(Q(slot_plans__isnull=False) | Q(slots__isnull=False) | Q(services__isnull=False))
        .distinct()
        .order_by("path")
    )


def _pick(request: HttpRequest, units: list[Unit]) -> Unit | None:
    wanted = request.GET.get("unit") or request.POST.get("unit")
    for unit in units:
        if str(unit.pk) == wanted:
            return unit
    if wanted:
        raise Http404
    with_slots = [u for u in units if u.slots.exists()]
    return (with_slots or units)[0] if units else None


def _day(text: str | None) -> date:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return timezone.localdate()


@login_required
@require_GET
@never_cache
def day_list(request: HttpRequest) -> HttpResponse:
    """Who is booked when at a unit's counter on one day, and the no-shows of recent days."""
    units = _units(request, Action.QUEUE_VIEW)
    unit = _pick(request, units)
    day = _day(request.GET.get("tanggal"))
    now = timezone.now()
    slots = list(Slot.objects.filter(unit=unit, day=day).order_by("start")) if unit else []
    bookings: dict[int, list[Booking]] = defaultdict(list)
    for b in (
        Booking.objects.filter(slot__in=slots)
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("request")
        .order_by("id")
    ):
        bookings[b.slot_id].append(b)
    rows = [
        (
            slot,
            slot.starts_at <= now,
            [(b, services.mask_contact(b.request.applicant_contact)) for b in bookings[slot.pk]],
        )
        for slot in slots
    ]
    recent = (
        Slot.objects.filter(unit=unit, day__range=(day - timedelta(days=13), day))
        .values("day")
        .annotate(
            booked=Count("bookings", filter=~Q(bookings__status=BookingStatus.CANCELLED)),
            no_shows=Count("bookings", filter=Q(bookings__status=BookingStatus.NO_SHOW)),
        )
        .order_by("-day")
        if unit
        else []
    )
    return render(
        request,
        "booking/day.html",
        {
            "units": units,
            "unit": unit,
            "day": day,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "rows": rows,
            "recent": list(recent),
        },
    )


@login_required
@require_POST
def no_show(request: HttpRequest, pk: int) -> HttpResponse:
    if not has_any_role(request.user, Action.REQUEST_PROCESS):
        raise PermissionDenied
    booking = (
        scoped(request.user, Action.REQUEST_PROCESS, Booking.objects.all())
        .select_related("slot", "unit")
        .filter(pk=pk)
        .first()
    )
    if booking is None:
        raise Http404
    try:
        services.booking_mark_no_show(user=request.user, booking=booking)
        messages.success(request, _("Marked as not come."))
    except ValidationError as exc:
        errors_to_messages(request, exc)
    url = reverse("booking_day")
    return redirect(f"{url}?unit={booking.unit_id}&tanggal={booking.slot.day.isoformat()}")


@login_required
@never_cache
def plan(request: HttpRequest) -> HttpResponse:
    """The unit head's weekly slot plan, and the slots generated from it."""
    units = _units(request, Action.SLOT_PLAN)
    unit = _pick(request, units)
    plan_form = PlanForm()
    today = timezone.localdate()
    generate_form = GenerateForm(initial={"first": today, "last": today + timedelta(days=27)})
    if request.method == "POST" and unit is not None:
        action = request.POST.get("action")
        try:
            if action == "add":
                plan_form = PlanForm(request.POST)
                if plan_form.is_valid():
                    services.slot_plan_add(user=request.user, unit=unit, **plan_form.cleaned_data)
                    messages.success(request, _("The weekly plan was saved."))
                    return redirect(f"{reverse('booking_plan')}?unit={unit.pk}")
            elif action == "remove":
                line = SlotPlan.objects.filter(unit=unit, pk=request.POST.get("plan") or 0).first()
                if line is None:
                    raise Http404
                services.slot_plan_remove(user=request.user, plan=line)
                messages.success(request, _("The line was removed from the weekly plan."))
                return redirect(f"{reverse('booking_plan')}?unit={unit.pk}")
            elif action == "generate":
                generate_form = GenerateForm(request.POST)
                if generate_form.is_valid():
                    created = services.slots_generate(
                        user=request.user, unit=unit, **generate_form.cleaned_data
                    )
                    messages.success(request, _("%(n)s slots were created.") % {"n": created})
                    return redirect(f"{reverse('booking_plan')}?unit={unit.pk}")
        except ValidationError as exc:
            errors_to_form(generate_form if action == "generate" else plan_form, exc)
    lines = list(SlotPlan.objects.filter(unit=unit)) if unit else []
    upcoming = (
        Slot.objects.filter(unit=unit, day__gte=today).order_by("day", "start")[:20] if unit else []
    )
    return render(
        request,
        "booking/plan.html",
        {
            "units": units,
            "unit": unit,
            "lines": lines,
            "plan_form": plan_form,
            "generate_form": generate_form,
            "upcoming": upcoming,
        },
        status=400 if request.method == "POST" else 200,
    )
