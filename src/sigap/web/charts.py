"""Charts as small immutable specs: the view builds a `Chart`, the template shows it.

A chart is rendered twice from the same numbers: as an Apache ECharts option (served from our own
static files, drawn by `static/sigap/charts.js`) and as a plain `<table>` under it, so the figures
are there without JavaScript, for screen readers and in print. Include it with
`{% include "web/_chart.html" with chart=chart %}`.

Accessibility: the palette below is colour-blind safe (Okabe-Ito hues, darkened where needed) and
every colour has at least 3:1 contrast on white (WCAG 2.1 SC 1.4.11, graphical objects); series
also differ by marker shape and line dash, and bars by pattern (ECharts aria decals), so colour is
never the only cue. ECharts' `aria` is on, with our own (translated) description.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sigap.web import formatting

# Okabe & Ito (2008) hues; orange, green and purple darkened to reach 3:1 on white.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#C45100",  # vermillion (darkened)
    "#007A5A",  # bluish green (darkened)
    "#9E4A7D",  # reddish purple (darkened)
    "#8A6100",  # orange (darkened to ochre)
    "#1B1F24",  # ink
)
SYMBOLS: tuple[str, ...] = ("circle", "rect", "triangle", "diamond", "pin", "arrow")
LINE_TYPES: tuple[str, ...] = ("solid", "dashed", "dotted", "solid", "dashed", "dotted")
AXIS_INK = "#4A5560"  # the site's muted ink: 7.4:1 on white

# Value labels on the points are shown when they can be read: one series, not too many points.
MAX_LABELLED_POINTS = 24


def contrast_ratio(foreground: str, background: str = "#FFFFFF") -> float:
    """WCAG 2.1 contrast ratio between two sRGB colours written #RRGGBB."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]


@dataclass(frozen=True)
class TableColumn:
    """A column shown in the table view only (not drawn), e.g. the sample size behind each value:
    `cells` are already formatted, one per category."""

    name: str
    cells: list[str]


@dataclass(frozen=True)
class Chart:
    """One chart: `categories` along the x axis (periods, units...), one value per series each.

    `None` is a missing figure (no data in that period): a gap in the line, "—" in the table.
    `unit` is shown after every value ("%", "hari kerja"); `decimals` is how values are shown;
    `table_columns` add context to the table view (sample sizes, grades).

    `value_format` says what the figures are, so that they are written by the formatting layer
    (`sigap.web.formatting`) in the page's language: "number" (`unit` after it), "percent"
    (values 0–100; implied by unit "%"), "rupiah", "working_days". The server writes every
    label once (`label`); the table, the point labels and the tooltip all show that string,
    and charts.js formats the axis ticks with the same separators (`as_option()["sigap"]`).
    """

    id: str
    title: str
    kind: Literal["line", "bar"]
    categories: list[str]
    series: list[Series]
    unit: str = ""
    x_label: str = ""
    decimals: int = 1
    table_columns: tuple[TableColumn, ...] = ()
    # Fixed axis bounds where the scale has them (0–100 %, IKM 25–100); None: ECharts decides.
    y_min: float | None = None
    y_max: float | None = None
    value_format: Literal["number", "percent", "rupiah", "working_days"] = "number"

    def __post_init__(self) -> None:
        for name, n in [(s.name, len(s.values)) for s in self.series] + [
            (c.name, len(c.cells)) for c in self.table_columns
        ]:
            if n != len(self.categories):
                raise ValueError(
                    f"chart {self.id!r}: {name!r} has {n} values "
                    f"for {len(self.categories)} categories"
                )

    @property
    def dom_id(self) -> str:
        return f"chart-{self.id}"

    @property
    def option_id(self) -> str:
        """The id of the `<script type="application/json">` holding the ECharts option."""
        return f"chart-{self.id}-option"

    @property
    def is_empty(self) -> bool:
        return not any(v is not None for s in self.series for v in s.values)

    @property
    def _format(self) -> str:
        return "percent" if self.unit == "%" else self.value_format

    def label(self, value: float | None, lang: str | None = None) -> str:
        """One figure as the table, the point label and the tooltip show it."""
        fmt = self._format
        if fmt == "percent":
            return formatting.percent_points(value, self.decimals, lang)
        if fmt == "rupiah":
            return formatting.money(value, lang)
        if fmt == "working_days":
            return formatting.working_days(value, self.decimals, lang)
        text = formatting.decimal(value, self.decimals, lang)
        return f"{text} {self.unit}" if self.unit and value is not None else text

    def _affixes(self, lang: str) -> tuple[str, str]:
        """What the axis ticks carry around the digits (the labels carry their own)."""
        fmt = self._format
        if fmt == "percent":
            return "", " %" if lang == "id" else "%"
        if fmt == "rupiah":
            return "Rp ", ""
        return "", ""

    @property
    def table_rows(self) -> list[tuple[str, list[str]]]:
        """(category, formatted value per series) for the table view."""
        return [
            (
                category,
                [self.label(s.values[i]) for s in self.series]
                + [c.cells[i] for c in self.table_columns],
            )
            for i, category in enumerate(self.categories)
        ]

    @property
    def table_headers(self) -> list[str]:
        return [s.name for s in self.series] + [c.name for c in self.table_columns]

    def description(self) -> str:
        """What a screen reader hears for the chart itself (the table has the numbers)."""
        kind = _("Line chart") if self.kind == "line" else _("Bar chart")
        points = ngettext("%(n)d point", "%(n)d points", len(self.categories)) % {
            "n": len(self.categories)
        }
        names = ", ".join(s.name for s in self.series)
        return _(
            "%(kind)s: %(title)s (%(names)s), %(points)s. The table below lists the values."
        ) % {
            "kind": kind,
            "title": self.title,
            "names": names,
            "points": points,
        }

    def as_option(self) -> dict[str, Any]:
        """The ECharts option (JSON-able: strings, numbers, None, lists and dicts only).

        Its "sigap" key is for charts.js: the page language (the ECharts locale), every point's
        label as the table prints it, and the separators and affixes of the axis ticks."""
        lang = formatting.language()
        prefix, suffix = self._affixes(lang)
        label_points = len(self.series) == 1 and len(self.categories) <= MAX_LABELLED_POINTS
        series: list[dict[str, Any]] = []
        for i, s in enumerate(self.series):
            item: dict[str, Any] = {
                "name": str(s.name),
                "type": self.kind,
                "data": [
                    None if v is None else formatting.rounded(v, self.decimals) for v in s.values
                ],
                # The formatter is set by charts.js from sigap.labels (a function, not JSON).
                "label": {"show": label_points, "position": "top", "color": AXIS_INK},
                "emphasis": {"focus": "series"},
                # Value labels that would overlap (many points, a narrow screen) are dropped.
                "labelLayout": {"hideOverlap": True},
            }
            if self.kind == "line":
                item |= {
                    "symbol": SYMBOLS[i % len(SYMBOLS)],
                    "symbolSize": 9,
                    "showAllSymbol": True,
                    "connectNulls": False,
                    "lineStyle": {"width": 2.5, "type": LINE_TYPES[i % len(LINE_TYPES)]},
                }
            else:
                item["barMaxWidth"] = 48
            series.append(item)
        axis_text = {"color": AXIS_INK}
        return {
            "animation": False,
            "color": list(PALETTE),
            "aria": {
                "enabled": True,
                "label": {"enabled": True, "description": self.description()},
                # Patterns on bars so that bars of different series differ without colour.
                "decal": {"show": self.kind == "bar" and len(self.series) > 1},
            },
            "textStyle": {"fontFamily": "system-ui, sans-serif"},
            # Drawn inside the chart: the HTML tooltip would carry style attributes, which the
            # Content-Security-Policy (sigap.web.csp) refuses.
            "tooltip": {"trigger": "axis", "renderMode": "richText"},
            "legend": {"show": len(self.series) > 1, "top": 0, "textStyle": axis_text},
            "grid": {
                "left": 8,
                "right": 24,
                "bottom": 8,
                "top": 40 if len(self.series) > 1 else 24,
                "containLabel": True,
            },
            "xAxis": {
                "type": "category",
                "data": [str(c) for c in self.categories],
                "name": str(self.x_label),
                "nameLocation": "middle",
                "nameGap": 28,
                "axisLabel": axis_text,
                "nameTextStyle": axis_text,
            },
            "yAxis": {
                "type": "value",
                # "%" and "Rp" are on every tick; a longer unit ("hari kerja") names the axis.
                "name": "" if self._format in ("percent", "rupiah") else self._axis_name(),
                "axisLabel": axis_text,
                "nameTextStyle": axis_text,
                **({"min": self.y_min} if self.y_min is not None else {}),
                **({"max": self.y_max} if self.y_max is not None else {}),
            },
            "series": series,
            "sigap": {
                "lang": lang,
                "labels": [[self.label(v, lang) for v in s.values] for s in self.series],
                "axis": {
                    "decimal": formatting.decimal(0.5, 1, lang)[1],
                    "group": formatting.integer(1000, lang)[1],
                    "prefix": prefix,
                    "suffix": suffix,
                },
            },
        }

    def _axis_name(self) -> str:
        if self._format == "working_days":
            return str(self.unit) or formatting.working_days(2, 0).split(" ", 1)[1]
        return str(self.unit)
