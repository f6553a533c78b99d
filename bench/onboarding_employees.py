"""The employee import (SIASN "Export Data ASN") at agency size, against a bare bulk insert.

    .venv/bin/python -m bench.onboarding_employees          # --rows 10000

Generates `--rows` valid SIASN-export rows (seed 2026: NIPs built with `make_nip`, 5 % PPPK,
300 position names over the three position types, spread over the 7 units of the sample agency,
docs/onboarding/samples/unor.json) and runs two legs, each in its own process on its own fresh
SQLite database in a temporary directory (never the real one):

- **import**: the unit tree, then `dry_run` (the plan), `apply` (plan again + write: the
  employees, the new positions, the audit entry, the import record), and a second `dry_run` of
  the same file (every row unchanged), each timed with `time.perf_counter`;
- **bare**: the same rows as `Employee` objects (the positions made beforehand) written with one
  `bulk_create(batch_size=1000)`: the yardstick.

Peak memory is each leg's process `ru_maxrss` (before the timed work and at the end). Prints a
table with the ratio apply / bare and writes bench/out/onboarding_employees.json.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "docs" / "onboarding" / "samples"
UNITS = [
    "A8ACA7397AEB3912E040640A040269BB",
    "A8ACA7397AF23912E040640A040269BB",
    "A8ACA7397AF33912E040640A040269BB",
    "A8ACA7397AF43912E040640A040269BB",
    "A8ACA7397AF53912E040640A040269BB",
    "A8ACA7397AF63912E040640A040269BB",
    "A8ACA7397AF73912E040640A040269BB",
]
HEADERS = [
    "PNS ID", "NIP BARU", "NIP LAMA", "NAMA", "GELAR DEPAN", "GELAR BELAKANG", "TANGGAL LAHIR",
    "JENIS KELAMIN", "NIK", "KEDUDUKAN HUKUM ID", "KEDUDUKAN HUKUM NAMA", "TMT CPNS",
    "GOL AKHIR ID", "GOL AKHIR NAMA", "JENIS JABATAN ID", "JENIS JABATAN NAMA", "JABATAN NAMA",
    "TMT JABATAN", "ESELON NAMA", "UNOR ID", "UNOR NAMA", "INSTANSI INDUK NAMA",
]  # fmt: skip
_FIRST = "Agus Budi Siti Dewi Hendra Rina Asep Yuni Rizky Lina Fajar Nurul Maya Ujang Sri"
_LAST = "Wijaya Santoso Rahmawati Lestari Gunawan Hidayat Pratama Setiawan Sari Nugraha"
FIRST, LAST = _FIRST.split(" "), _LAST.split(" ")
RANKS = [f"{g}/{r}" for g in ("II", "III", "IV") for r in "abcd"]


def generate(rows: int, seed: int = 2026) -> bytes:
    from sigap.rules.nip import make_nip

    rng = random.Random(seed)
    kinds = ["Struktural"] * 30 + ["Fungsional"] * 150 + ["Pelaksana"] * 120
    positions = [(f"Jabatan {k} {i:03d}", k) for i, k in enumerate(kinds)]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(HEADERS)
    for n in range(rows):
        born = date(1965, 1, 1) + timedelta(days=n // 900 * 7 + rng.randint(0, 6))
        female = rng.random() < 0.5
        tmt = (born.year + 25, rng.randint(1, 12))
        pppk = n % 20 == 0
        if pppk:
            nip = f"{born:%Y%m%d}2022{21}{2 if female else 1}{n % 999 + 1:03d}"
        else:
            nip = make_nip(born, *tmt, "P" if female else "L", n % 900 + 1)
        day = born.day + (40 if female else 0)
        nik = f"321901{day:02d}{born:%m%y}{n % 9999 + 1:04d}"
        name, kind = positions[rng.randrange(len(positions))]
        rank = rng.choice(["V", "VII", "IX"]) if pppk else rng.choice(RANKS)
        w.writerow(
            [
                f"PNSID{n:08d}", nip, "", f"{rng.choice(FIRST)} {rng.choice(LAST)}", "", "S.Kom.",
                f"{born:%d-%m-%Y}", "Wanita" if female else "Pria", nik, "71" if pppk else "01",
                "PPPK Aktif" if pppk else "Aktif", f"01-{tmt[1]:02d}-{tmt[0]}", "", rank, "",
                kind, name, "01-01-2024", "III.b" if kind == "Struktural" else "",
                rng.choice(UNITS), "", "Pemerintah Kab. Sukamaju",
            ]
        )  # fmt: skip
    return out.getvalue().encode()


def _setup() -> None:
    var = Path(tempfile.mkdtemp(prefix="sigap-bench-onboard-"))
    os.environ["SIGAP_VAR_DIR"] = str(var)
    os.environ["SIGAP_DATABASE_URL"] = f"sqlite:///{var / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "sigap.settings"
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    from sigap import keys

    keys.use_demo_keys(var)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _agency() -> Any:
    from sigap.onboarding import plan as onboarding
    from sigap.organisation.models import Agency

    agency = Agency.objects.create(code="sukamaju", name="Kabupaten Sukamaju", kind="kabupaten")
    onboarding.apply("units", (SAMPLES / "unor.json").read_bytes(), "unor.json", agency=agency)
    return agency


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def leg_import(rows: int) -> dict[str, Any]:
    _setup()
    from sigap.onboarding import plan as onboarding
    from sigap.organisation.models import Employee

    agency = _agency()
    data = generate(rows)
    before = _maxrss_mb()
    t0 = time.perf_counter()
    plan = onboarding.dry_run("employees", data, "export.csv", agency=agency)
    t1 = time.perf_counter()
    applied = onboarding.apply("employees", data, "export.csv", agency=agency)
    t2 = time.perf_counter()
    again = onboarding.dry_run("employees", data, "export.csv", agency=agency)
    t3 = time.perf_counter()
    assert plan.ok and applied.counts["create"] == rows, plan.errors[:5]
    assert again.counts()["unchanged"] == rows
    return {
        "rows": rows,
        "employees": Employee.objects.count(),
        "plan_s": t1 - t0,
        "apply_s": t2 - t1,
        "rerun_plan_s": t3 - t2,
        "maxrss_before_mb": before,
        "maxrss_mb": _maxrss_mb(),
    }


def leg_bare(rows: int) -> dict[str, Any]:
    _setup()
    from sigap.organisation.models import Employee, Position, Unit

    agency = _agency()
    data = generate(rows)
    table = list(csv.DictReader(io.StringIO(data.decode())))
    Position.objects.bulk_create(
        [Position(name=n, kind="pelaksana") for n in sorted({r["JABATAN NAMA"] for r in table})]
    )
    positions = dict(Position.objects.values_list("name", "pk"))
    units = dict(Unit.objects.filter(agency=agency).values_list("siasn_id", "pk"))
    before = _maxrss_mb()
    t0 = time.perf_counter()
    Employee.objects.bulk_create(
        [
            Employee(
                nip=r["NIP BARU"],
                name=r["NAMA"],
                status="pppk" if r["KEDUDUKAN HUKUM ID"] == "71" else "pns",
                rank=r["GOL AKHIR NAMA"],
                position_id=positions[r["JABATAN NAMA"]],
                unit_id=units[r["UNOR ID"]],
                pns_id=r["PNS ID"],
                active_from=date(2010, 1, 1),
            )
            for r in table
        ],
        batch_size=1000,
    )
    t1 = time.perf_counter()
    return {
        "rows": rows,
        "employees": Employee.objects.count(),
        "bare_s": t1 - t0,
        "maxrss_before_mb": before,
        "maxrss_mb": _maxrss_mb(),
    }


def _run_leg(leg: str, rows: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.onboarding_employees", "--leg", leg, "--rows", str(rows)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--leg", choices=("import", "bare"))
    args = parser.parse_args()
    if args.leg:
        result = (leg_import if args.leg == "import" else leg_bare)(args.rows)
        print(json.dumps(result))
        return
    load_before = os.getloadavg()[0]
    imp = _run_leg("import", args.rows)
    bare = _run_leg("bare", args.rows)
    load_after = os.getloadavg()[0]
    rows = [
        ("plan (dry run)", imp["plan_s"], imp["maxrss_mb"]),
        ("apply (plan + write)", imp["apply_s"], imp["maxrss_mb"]),
        ("re-run plan (all unchanged)", imp["rerun_plan_s"], imp["maxrss_mb"]),
        ("bare bulk_create", bare["bare_s"], bare["maxrss_mb"]),
    ]
    print(f"{args.rows:,} SIASN-export rows, SQLite, load average {load_before:.1f} -> "
          f"{load_after:.1f}")  # fmt: skip
    print(f"{'step':<30} {'seconds':>8} {'rows/s':>9} {'peak RSS MB':>12}")
    for label, seconds, rss in rows:
        print(f"{label:<30} {seconds:>8.2f} {args.rows / seconds:>9,.0f} {rss:>12.0f}")
    ratio = imp["apply_s"] / bare["bare_s"]
    print(f"ratio apply / bare: {ratio:.1f}   (plan + apply) / bare: "
          f"{(imp['plan_s'] + imp['apply_s']) / bare['bare_s']:.1f}")  # fmt: skip
    print(f"peak RSS before the timed work: import {imp['maxrss_before_mb']:.0f} MB, "
          f"bare {bare['maxrss_before_mb']:.0f} MB")  # fmt: skip
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "onboarding_employees.json").write_text(
        json.dumps({"import": imp, "bare": bare, "ratio": ratio, "load": [load_before, load_after]})
        + "\n"
    )


if __name__ == "__main__":
    main()
