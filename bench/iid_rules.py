"""The IID ranking ("what would raise our IID most") against one scoring of the same registry.

    .venv/bin/python -m bench.iid_rules

A registry at the 2026 frame's cap (200 innovations in application over the 6 basic urusan, a
few rows answered each, 17 SPD answers): `improvements` lists every single change (each row of
each innovation raised, each missing mandatory row, each SPD answer, one more innovation, each
urusan not covered). Prints the time of one `score` and of `improvements`, and the ratio.
"""

from __future__ import annotations

import time
from datetime import date

from sigap.rules.innovation import (
    BASIC_URUSAN,
    InnovationInput,
    SpdInput,
    frame,
    improvements,
    score,
)

N = 200
ROUNDS = 20


def main() -> None:
    f = frame(2026)
    basic = sorted(BASIC_URUSAN)
    innovations = [
        InnovationInput(i, basic[i % 5], date(2025, 1, 1), {"regulasi": 2, "sdm": 1, "video": 1})
        for i in range(N)
    ]
    spd = [SpdInput(ind.key, 2 if n < 4 else 1, 1) for n, ind in enumerate(f.spd)]

    began = time.perf_counter()
    for _ in range(ROUNDS):
        score(f, spd, innovations)
    score_s = (time.perf_counter() - began) / ROUNDS

    began = time.perf_counter()
    for _ in range(ROUNDS):
        changes = improvements(f, spd, innovations)
    ranking_s = (time.perf_counter() - began) / ROUNDS

    print(f"{'what':<34}{'ms':>10}{'ratio':>8}")
    print(f"{'score (one IID, 200 innovations)':<34}{score_s * 1000:>10.2f}{1:>8.1f}")
    print(
        f"{'improvements (' + str(len(changes)) + ' changes)':<34}"
        f"{ranking_s * 1000:>10.2f}{ranking_s / score_s:>8.1f}"
    )


if __name__ == "__main__":
    main()
