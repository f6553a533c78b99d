"""Krejcie & Morgan (1970), referred to by PermenPANRB 14/2017: formula against the whole table."""

from __future__ import annotations

import pytest

from sigap.rules.sample_size import KREJCIE_MORGAN_TABLE, krejcie_morgan, sample_adequacy


def test_the_published_table_has_its_90_rows():
    assert len(KREJCIE_MORGAN_TABLE) == 90
    assert len({n for n, _ in KREJCIE_MORGAN_TABLE}) == 90


@pytest.mark.parametrize(("population", "sample"), KREJCIE_MORGAN_TABLE)
def test_the_formula_reproduces_every_row_of_the_table(population, sample):
    assert krejcie_morgan(population) == sample


@pytest.mark.parametrize(
    ("population", "sample"), [(10, 10), (100, 80), (1000, 278), (10000, 370), (1000000, 384)]
)
def test_sample_rows_of_the_rules(population, sample):
    assert krejcie_morgan(population) == sample


def test_between_rows_the_formula_lies_between_its_neighbours():
    assert 80 < krejcie_morgan(105) < 86


def test_small_and_empty_populations():
    assert krejcie_morgan(0) == 0
    assert krejcie_morgan(1) == 1
    with pytest.raises(ValueError):
        krejcie_morgan(-1)


def test_a_short_sample_is_flagged_with_its_shortfall():
    check = sample_adequacy(population=1000, respondents=200)
    assert not check.adequate and check.required == 278 and check.shortfall == 78
    assert sample_adequacy(population=100, respondents=80).adequate


def test_the_population_is_never_below_the_respondents():
    check = sample_adequacy(population=5, respondents=12)
    assert check.population == 12 and check.required == 12 and check.adequate
