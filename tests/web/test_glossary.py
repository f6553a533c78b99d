""" "What does this mean": one plain explanation per figure, shown without JavaScript."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from sigap.metrics.registry import METRICS
from sigap.web.glossary import GLOSSARY


def test_every_figure_of_the_metric_registry_is_explained():
    assert set(METRICS) <= set(GLOSSARY)


def test_the_explanation_is_a_details_element_in_the_reader_s_language():
    html = Template('{% load glossary %}{% explain "ftr_share" %}').render(Context())
    assert html.startswith('<details class="explain"><summary>')
    assert "returned to the applicant for correction" in html
    with translation.override("id"):
        html = Template('{% load glossary %}{% explain "ftr_share" %}').render(Context())
    assert "Apa artinya?" in html and "dikembalikan" in html


def test_an_unknown_key_renders_nothing():
    assert Template('{% load glossary %}{% explain "nope" %}').render(Context()).strip() == ""
    assert Template('{% load glossary %}{% glossary "nope" %}').render(Context()).strip() == ""


def test_the_scorecard_explains_its_figures(client, world):
    client.force_login(world.users["leadership"])
    page = client.get("/pimpinan/").content.decode()
    assert 'data-testid="glossary"' in page and "First time right" in page
