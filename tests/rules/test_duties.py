"""Separation of duties: who may complete a step, from its declaration in the standard."""

from __future__ import annotations

import pytest

from sigap.rules.duties import Officer, Refusal, StepDuty, may_complete, same_position

HEAD_POST = "Kepala Dinas Kependudukan dan Pencatatan Sipil"
CLERK = Officer(7, "Operator Layanan Operasional", frozenset({"officer"}))
OTHER_CLERK = Officer(8, "Verifikator Berkas Kependudukan", frozenset({"officer"}))
HEAD = Officer(9, HEAD_POST, frozenset({"officer"}))
UNIT_HEAD = Officer(10, "Kepala Seksi Identitas Penduduk", frozenset({"unit_head"}))
# (step order, officer id) of the steps done so far: the clerk received and entered the file.
DONE = [(1, 7), (3, 7)]
NOT_HOLDER, FOUR_EYES = Refusal.NOT_HOLDER, Refusal.FOUR_EYES

CASES = [
    # (what, declaration, officer, steps done, expected refusals)
    ("nothing declared: any officer", StepDuty(2), CLERK, DONE, ()),
    ("role: the unit head", StepDuty(4, role="unit_head"), UNIT_HEAD, DONE, ()),
    ("role: a clerk is refused", StepDuty(4, role="unit_head"), CLERK, DONE, (NOT_HOLDER,)),
    ("position: the head", StepDuty(4, position=HEAD_POST), HEAD, DONE, ()),
    ("position: a clerk is refused", StepDuty(4, position=HEAD_POST), CLERK, DONE, (NOT_HOLDER,)),
    ("position: a unit head is not the post", StepDuty(4, position=HEAD_POST), UNIT_HEAD, DONE,
     (NOT_HOLDER,)),
    ("position: case and spaces ignored",
     StepDuty(4, position="  kepala dinas kependudukan  dan pencatatan sipil"), HEAD, DONE, ()),
    ("role or position: the role is enough", StepDuty(4, role="unit_head", position=HEAD_POST),
     UNIT_HEAD, DONE, ()),
    ("role or position: the post is enough", StepDuty(4, role="unit_head", position=HEAD_POST),
     HEAD, DONE, ()),
    ("role or position: neither", StepDuty(4, role="unit_head", position=HEAD_POST), CLERK, DONE,
     (NOT_HOLDER,)),
    ("four eyes: another officer", StepDuty(2, other_than_step=1), OTHER_CLERK, DONE, ()),
    ("four eyes: the same officer", StepDuty(2, other_than_step=1), CLERK, DONE, (FOUR_EYES,)),
    ("four eyes: step not done yet", StepDuty(2, other_than_step=1), CLERK, [], ()),
    ("four eyes: any round counts", StepDuty(4, other_than_step=1), OTHER_CLERK,
     [(1, 7), (2, 8), (1, 8)], (FOUR_EYES,)),
    ("four eyes: other steps do not count", StepDuty(4, other_than_step=2), CLERK, DONE, ()),
    ("position and four eyes: both fail", StepDuty(4, position=HEAD_POST, other_than_step=3),
     CLERK, DONE, (NOT_HOLDER, FOUR_EYES)),
    ("position and four eyes: the head passes", StepDuty(4, position=HEAD_POST,
     other_than_step=3), HEAD, DONE, ()),
    ("a blank position declares nothing", StepDuty(2, position="   "), CLERK, DONE, ()),
]  # fmt: skip


@pytest.mark.parametrize(
    ("duty", "officer", "done", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_who_may_complete_a_step(
    duty: StepDuty, officer: Officer, done: list[tuple[int, int]], expected: tuple[Refusal, ...]
) -> None:
    verdict = may_complete(duty, officer, done)
    assert verdict.refusals == expected
    assert verdict.allowed is (expected == ())


@pytest.mark.parametrize("other", [0, 4, 5, -1])
def test_four_eyes_can_only_refer_to_an_earlier_step(other: int) -> None:
    with pytest.raises(ValueError, match="earlier step"):
        StepDuty(4, other_than_step=other)


def test_open_and_restricted_declarations() -> None:
    assert StepDuty(1).is_open
    assert not StepDuty(2, role="unit_head").is_open
    assert not StepDuty(2, other_than_step=1).is_open
    assert not StepDuty(2, other_than_step=1).restricts_holder


def test_same_position_is_about_words_not_case_or_spacing() -> None:
    assert same_position("Kepala  Seksi", "kepala seksi ")
    assert not same_position("Kepala Seksi", "Kepala Bidang")
    assert not same_position("", "Kepala Seksi")
