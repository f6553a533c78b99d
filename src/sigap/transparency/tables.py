"""What the transparency pages show beside the figures: the trend charts, the export tables
and the page descriptions for sharing. Plain functions over the selectors' dataclasses."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _

from sigap.organisation.models import Unit
from sigap.transparency.selectors import (
    PublicUnit,
    PublishedService,
    Share,
    UnitFigures,
    figures,
)
from sigap.web import formatting
from sigap.web.charts import Chart, Series, TableColumn
from sigap.web.exports import Rows

Table = tuple[str, Sequence[object], Rows]  # file name, headers, rows
TableBuilder = Callable[[], Table]


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _pct_text(value: float | None) -> str:
    return formatting.percent_points(value, 1)  # a Share's percent is on the 0–100 scale


def _of(part: int, whole: int) -> str:
    return _("%(part)s of %(whole)s") % {
        "part": formatting.integer(part),
        "whole": formatting.integer(whole),
    }


# --- The index -----------------------------------------------------------------------------


def index_tables(units: list[PublicUnit], label: str) -> dict[str, TableBuilder]:
    def units_table() -> Table:
        headers = [
            _("Unit"), _("Period"), _("Requests submitted"),
            _("Closed (judged against the SLA)"), _("Closed within the SLA"),
            _("SLA compliance (%)"),
            _("SKM respondents"), "IKM", _("Mutu"),
            _("Complaints judged"), _("Followed up on time"), _("Complaints on time (%)"),
        ]  # fmt: skip
        rows = []
        for u in units:
            f = u.figures or figures(None, label)
            rows.append([
                u.unit.name, label, f.volume,
                f.sla.whole, f.sla.part, _pct(f.sla.percent),
                f.ikm.respondents, f.ikm.value, f.ikm.mutu,
                f.complaints.whole, f.complaints.part, _pct(f.complaints.percent),
            ])  # fmt: skip
        return f"transparansi-unit-{label}", headers, rows

    def services_table() -> Table:
        headers = [_("Unit"), _("Service"), _("Description")]
        rows = [[u.unit.name, s.name, s.description] for u in units for s in u.services]
        return "transparansi-layanan", headers, rows

    return {"units": units_table, "services": services_table}


def index_description(label: str) -> str:
    return _(
        "Service standards and performance of every public service unit: SLA compliance, "
        "community satisfaction (IKM) and complaints followed up on time%(period)s."
    ) % {"period": f" ({label})" if label else ""}


# --- A unit's page -------------------------------------------------------------------------


def _share_chart(
    chart_id: str, title: str, series: str, column: str, labels: list[str], shares: list[Share]
) -> Chart:
    """A share in percent by period, with "part of whole" in the table under the chart."""
    return Chart(
        id=chart_id,
        title=title,
        kind="line",
        categories=labels,
        series=[Series(series, [sh.percent for sh in shares])],
        unit="%",
        y_min=0,
        y_max=100,
        x_label=_("Period"),
        table_columns=(TableColumn(column, [_of(sh.part, sh.whole) for sh in shares]),),
    )


def trend_charts(trend: list[UnitFigures]) -> dict[str, Chart]:
    """The three trends of a unit, each with its sample sizes in the table under the chart."""
    labels = [formatting.period(f.period_label) for f in trend]
    return {
        "sla": _share_chart(
            "sla",
            _("Requests completed within the service standard's time limit"),
            _("SLA compliance"),
            _("Within the SLA, of requests judged"),
            labels,
            [f.sla for f in trend],
        ),
        "ikm": Chart(
            id="ikm",
            title=_("Community satisfaction index (IKM, 25–100)"),
            kind="line",
            categories=labels,
            series=[Series("IKM", [f.ikm.value for f in trend])],
            x_label=_("Period"),
            decimals=2,
            y_min=25,  # the IKM scale (PermenPANRB 14/2017: nilai dasar 25)
            y_max=100,
            table_columns=(
                TableColumn(_("Mutu"), [f.ikm.mutu or "—" for f in trend]),
                TableColumn(
                    _("Respondents"),
                    [formatting.integer(f.ikm.respondents) for f in trend],
                ),
            ),
        ),
        "complaints": _share_chart(
            "complaints",
            _("Complaints followed up within the SP4N-LAPOR! deadline"),
            _("Followed up on time"),
            _("On time, of complaints judged"),
            labels,
            [f.complaints for f in trend],
        ),
    }


def unit_tables(
    unit: Unit, trend: list[UnitFigures], services: list[PublishedService], label: str
) -> dict[str, TableBuilder]:
    def trend_table(
        name: str, headers: list[str], row: Callable[[UnitFigures], list[object]]
    ) -> TableBuilder:
        return lambda: (
            f"transparansi-{unit.code}-{name}-{label}",
            [_("Period"), *headers],
            [[f.period_label, *row(f)] for f in trend],
        )

    def services_table() -> Table:
        headers = [
            _("Service"), _("Standard version"), _("In force since"),
            _("Time limit (working days)"), _("Tariff (rupiah)"), _("Product"),
            _("Period"), _("Requests"), _("Judged against the SLA"), _("Within the SLA"),
            _("SLA compliance (%)"),
        ]  # fmt: skip
        rows = []
        for p in services:
            std, fig = p.standard, p.period_figures
            rows.append([
                p.service.name,
                std.version if std else None, std.valid_from if std else None,
                std.sla_working_days if std else None, std.tariff_rupiah if std else None,
                std.product if std else "",
                label, fig.volume if fig else 0, p.sla.whole, p.sla.part, _pct(p.sla.percent),
            ])  # fmt: skip
        return f"transparansi-{unit.code}-layanan-{label}", headers, rows

    return {
        "sla": trend_table(
            "sla",
            [_("Judged against the SLA"), _("Within the SLA"), _("SLA compliance (%)")],
            lambda f: [f.sla.whole, f.sla.part, _pct(f.sla.percent)],
        ),
        "ikm": trend_table(
            "ikm",
            [
                _("Requests"),
                _("SKM respondents"),
                _("Sample needed (Krejcie–Morgan)"),
                "IKM",
                _("Mutu"),
            ],
            lambda f: [f.volume, f.ikm.respondents, f.ikm.required, f.ikm.value, f.ikm.mutu],
        ),
        "complaints": trend_table(
            "pengaduan",
            [_("Complaints judged"), _("Followed up on time"), _("Complaints on time (%)")],
            lambda f: [f.complaints.whole, f.complaints.part, _pct(f.complaints.percent)],
        ),
        "services": services_table,
    }


def unit_description(
    unit: Unit, services: list[PublishedService], now: UnitFigures, label: str
) -> str:
    """One sentence for search results and link previews: the services and the headline
    figures of the period."""
    names = ", ".join(p.service.name for p in services[:6])
    text = _("%(unit)s: service standards (%(services)s)") % {"unit": unit.name, "services": names}
    summary = []
    if now.sla.percent is not None:
        summary.append(_("SLA compliance %(v)s") % {"v": _pct_text(now.sla.percent)})
    if now.ikm.value is not None:
        summary.append(
            _("IKM %(v)s (mutu %(m)s)")
            % {"v": formatting.decimal(now.ikm.value, 2), "m": now.ikm.mutu}
        )
    if now.complaints.percent is not None:
        summary.append(
            _("complaints followed up on time %(v)s") % {"v": _pct_text(now.complaints.percent)}
        )
    if summary and label:
        text += f"; {label}: " + ", ".join(summary)
    return text + "."
