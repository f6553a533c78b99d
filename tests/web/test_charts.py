"""The shared chart spec: its ECharts option, its table view and its accessible colours."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, RequestContext, Template
from django.utils import translation

from sigap.web.charts import PALETTE, Chart, Series, TableColumn, contrast_ratio


def sla_chart(**kw: object) -> Chart:
    args: dict[str, object] = {
        "id": "sla",
        "title": "SLA compliance",
        "kind": "line",
        "categories": ["2026-07", "2026-08", "2026-09"],
        "series": [Series("Loket A", [80.0, None, 91.25]), Series("Puskesmas B", [60, 70, 75])],
        "unit": "%",
        "x_label": "Month",
    }
    args.update(kw)
    return Chart(**args)  # type: ignore[arg-type]


def render(chart: Chart, **extra: object) -> str:
    tpl = Template('{% include "web/_chart.html" with chart=chart %}')
    return tpl.render(Context({"chart": chart, **extra}))


def test_the_option_is_json_with_the_data_categories_and_a_gap_for_missing_values():
    option = json.loads(json.dumps(sla_chart().as_option()))
    assert option["xAxis"]["data"] == ["2026-07", "2026-08", "2026-09"]
    assert [s["name"] for s in option["series"]] == ["Loket A", "Puskesmas B"]
    assert option["series"][0]["data"] == [80.0, None, 91.3]  # rounded half up; None = gap
    assert option["series"][0]["connectNulls"] is False
    # charts.js formats the ticks with these, and shows the server's labels on the points.
    assert option["sigap"]["axis"] == {"decimal": ".", "group": ",", "prefix": "", "suffix": "%"}
    assert option["sigap"]["labels"][0] == ["80.0%", "—", "91.3%"]
    assert option["sigap"]["lang"] == "en"
    assert "min" not in option["yAxis"] and "max" not in option["yAxis"]


def test_axis_bounds_are_fixed_when_the_scale_has_them():
    option = sla_chart(unit="", y_min=25, y_max=100).as_option()
    assert (option["yAxis"]["min"], option["yAxis"]["max"]) == (25, 100)
    assert sla_chart(unit="hari kerja").as_option()["yAxis"]["name"] == "hari kerja"


def test_the_option_is_accessible_and_still():
    option = sla_chart().as_option()
    assert option["aria"]["enabled"] is True
    assert "SLA compliance" in option["aria"]["label"]["description"]
    assert "Loket A, Puskesmas B" in option["aria"]["label"]["description"]
    assert option["animation"] is False
    assert option["color"] == list(PALETTE)
    # Colour is not the only cue: each line has its own marker and dash.
    symbols = [s["symbol"] for s in option["series"]]
    dashes = [s["lineStyle"]["type"] for s in option["series"]]
    assert len(set(symbols)) == 2 and len(set(dashes)) == 2


def test_bars_of_several_series_get_patterns_and_a_single_series_gets_value_labels():
    bars = sla_chart(kind="bar").as_option()
    assert bars["aria"]["decal"]["show"] is True
    assert all(s["type"] == "bar" for s in bars["series"])
    single = sla_chart(series=[Series("Loket A", [1, 2, 3])]).as_option()
    assert single["series"][0]["label"]["show"] is True
    assert single["legend"]["show"] is False
    assert sla_chart().as_option()["series"][0]["label"]["show"] is False  # two series: legend


@pytest.mark.parametrize("colour", PALETTE)
def test_every_palette_colour_has_3_to_1_contrast_on_white(colour):
    assert contrast_ratio(colour) >= 3.0  # WCAG 2.1 SC 1.4.11 (graphical objects)


def test_contrast_ratio_matches_the_wcag_reference_values():
    assert contrast_ratio("#000000") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)  # the well-known AA grey


def test_a_series_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        sla_chart(series=[Series("Loket A", [1, 2])])
    with pytest.raises(ValueError, match="'Cases' has 1 values"):
        sla_chart(table_columns=(TableColumn("Cases", ["1"]),))


def test_table_columns_add_context_to_the_table_but_not_to_the_chart():
    chart = sla_chart(
        series=[Series("Loket A", [80.0, None, 91.25])],
        table_columns=(TableColumn("Within SLA / judged", ["8 / 10", "0 / 0", "73 / 80"]),),
    )
    html = render(chart)
    assert '<th scope="col" class="num">Within SLA / judged</th>' in html
    assert '<td class="num">73 / 80</td>' in html
    assert [s["name"] for s in chart.as_option()["series"]] == ["Loket A"]


def test_the_template_renders_a_figure_the_chart_holder_its_json_and_a_table():
    html = render(sla_chart())
    assert '<figure class="chart-figure" id="chart-sla"' in html
    assert '<div class="chart" data-chart="sla" hidden></div>' in html
    assert '<script id="chart-sla-option" type="application/json">' in html
    assert "<caption>SLA compliance (in %)</caption>" in html
    assert '<th scope="col">Month</th>' in html
    assert '<th scope="col" class="num">Loket A</th>' in html
    assert '<th scope="row">2026-08</th>' in html
    assert '<td class="num">80.0%</td>' in html
    assert '<td class="num">—</td>' in html  # the missing August value


def test_table_values_are_rounded_like_the_chart_not_cut_off():
    chart = sla_chart(series=[Series("Loket A", [95.65217, 0.05, 99.96])])
    assert [v for _, (v,) in chart.table_rows] == ["95.7%", "0.1%", "100.0%"]
    assert chart.as_option()["series"][0]["data"] == [95.7, 0.1, 100.0]
    assert chart.as_option()["sigap"]["labels"][0] == ["95.7%", "0.1%", "100.0%"]


def test_the_table_speaks_the_page_language():
    with translation.override("id"):
        html = render(sla_chart())
        option = sla_chart().as_option()
    assert '<td class="num">91,3 %</td>' in html
    assert option["sigap"]["labels"][0] == ["80,0 %", "—", "91,3 %"]
    assert option["sigap"]["axis"] == {"decimal": ",", "group": ".", "prefix": "", "suffix": " %"}
    assert option["sigap"]["lang"] == "id"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_chart_labels_are_the_table_cells(lang):
    """One figure, one string: the point labels and the tooltip (sigap.labels) show what the
    table under the chart prints, for percentages, counts, rupiah and working days."""
    charts = [
        sla_chart(),
        sla_chart(unit="", decimals=0, series=[Series("Requests", [1234567, 2, None])]),
        sla_chart(unit="", value_format="rupiah", series=[Series("Paid", [50000, 1500.5, 0])]),
        sla_chart(unit="", value_format="working_days", series=[Series("Lead", [1, 2.5, 3])]),
    ]
    with translation.override(lang):
        for chart in charts:
            labels = chart.as_option()["sigap"]["labels"]
            cells = [values[: len(chart.series)] for _category, values in chart.table_rows]
            assert [list(col) for col in zip(*cells, strict=True)] == labels


def test_value_formats_write_money_and_working_days():
    with translation.override("id"):
        money = sla_chart(unit="", value_format="rupiah", series=[Series("x", [50000, None, 1])])
        days = sla_chart(unit="", value_format="working_days", series=[Series("x", [1, 2.5, 3])])
        assert [v for _c, (v,) in money.table_rows] == ["Rp 50.000", "—", "Rp 1"]
        assert [v for _c, (v,) in days.table_rows] == [
            "1 hari kerja",
            "2,5 hari kerja",
            "3 hari kerja",
        ]
        assert money.as_option()["sigap"]["axis"]["prefix"] == "Rp "
        assert days.as_option()["yAxis"]["name"] == "hari kerja"


def test_an_empty_chart_says_so_and_draws_nothing():
    html = render(sla_chart(series=[Series("Loket A", [None, None, None])]))
    assert "No data yet." in html
    assert "data-chart=" not in html
    assert "<table" in html  # the table view is always there


def test_a_chart_without_categories_still_has_a_table_saying_no_data():
    html = render(sla_chart(categories=[], series=[Series("Loket A", [])]))
    assert '<td colspan="2">No data yet.</td>' in html


def test_text_in_a_chart_is_escaped_in_the_table_and_in_the_json():
    html = render(sla_chart(title="<b>x</b>", series=[Series("</script><i>", [1, 2, 3])]))
    assert "</script><i>" not in html
    assert "<b>x</b>" not in html


def test_export_links_come_with_the_chart_when_asked(rf):
    tpl = Template('{% include "web/_chart.html" with chart=chart export="sla" %}')
    request = rf.get("/x/", {"periode": "2026"})
    request.user = AnonymousUser()
    html = tpl.render(RequestContext(request, {"chart": sla_chart()}))
    assert 'href="?periode=2026&amp;export=csv&amp;table=sla"' in html
    assert 'href="?periode=2026&amp;export=xlsx&amp;table=sla"' in html
