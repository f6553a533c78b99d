"""Malformed and hostile logs through `sigap analyze`: each run either succeeds (the oddities
become data-quality notes) or stops with one clear line naming the file, and never with a
traceback; names from the file never become markup in the report. Seeds are fixed."""

from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path

import openpyxl
import pytest

from sigap.analytics.cli import main

HEADER = "case:concept:name,concept:name,time:timestamp,org:resource\n"
GOOD = [
    ("c1", "submit", "2024-03-01T08:00:00+07:00", "ani"),
    ("c1", "verify", "2024-03-04T09:00:00+07:00", "budi"),
    ("c2", "submit", "2024-03-02T08:00:00+07:00", "ani"),
]
XES = (
    '<?xml version="1.0" encoding="UTF-8"?><log xes.version="1.0"><trace>'
    '<string key="concept:name" value="{case}"/>'
    '<event><string key="concept:name" value="{activity}"/>'
    '<date key="time:timestamp" value="{ts}"/></event>'
    '<event><string key="concept:name" value="b"/>'
    '<date key="time:timestamp" value="2024-03-02T08:00:00+07:00"/></event></trace></log>'
)


def csv_text(rows: list[tuple[str, ...]], header: str = HEADER) -> str:
    return header + "".join(",".join(r) + "\n" for r in rows)


def xes_text(case: str = "1", activity: str = "a", ts: str = "2024-03-01T08:00:00+07:00") -> str:
    return XES.format(case=case, activity=activity, ts=ts)


def analyze(
    path: Path, capsys: pytest.CaptureFixture[str], *args: str, out: str = "report.html"
) -> tuple[int, str, Path]:
    """Run the CLI; any exception other than its exit status fails the test (a traceback)."""
    report = path.parent / out
    code = main([str(path), "--no-progress", "--out", str(report), *args])
    err = capsys.readouterr().err.strip()
    assert code in (0, 2), err
    if code == 2:
        assert len(err.splitlines()) == 1, err  # one line, not DuckDB's twenty
        assert err.startswith(f"sigap analyze: {path.name}"), err  # names the file
    else:
        assert err == ""
    return code, err, report


def no_injected_markup(page: str) -> None:
    body = re.sub(r"<script[^>]*>.*?</script>", "", page, flags=re.S)
    assert "<script>alert" not in page and "<img" not in body and "<b>x" not in body
    # the JSON the map and explorer read cannot close its <script> element
    for payload in re.findall(r"<script type='application/json'[^>]*>(.*?)</script>", page, re.S):
        json.loads(payload)


ODD_CSV: dict[str, bytes] = {
    "bom.csv": ("\ufeff" + csv_text(GOOD)).encode(),
    "crlf.csv": csv_text(GOOD).replace("\n", "\r\n").encode(),
    "quotes_newlines.csv": (
        HEADER + 'c1,"step ""one""\nsecond line",2024-03-01T08:00:00+07:00,a\n'
        "c1,two,2024-03-02T08:00:00+07:00,b\n"
    ).encode(),
    "long_names.csv": csv_text(
        [
            ("c1", "x" * 10_000, "2024-03-01T08:00:00+07:00", "a"),
            ("c1", "y" * 10_000, "2024-03-02T08:00:00+07:00", "a"),
        ]
    ).encode(),
    "numeric_cases.csv": csv_text(
        [
            ("1", "a", "2024-03-01T08:00:00+07:00", "r"),
            ("2", "a", "2024-03-01T09:00:00+07:00", "r"),
            ("1", "b", "2024-03-03T08:00:00+07:00", "r"),
            ("10", "a", "2024-03-05T08:00:00+07:00", "r"),
        ]
    ).encode(),
    "before_1970.csv": csv_text(
        [
            ("c1", "a", "1950-03-01T08:00:00+07:00", "r"),
            ("c1", "b", "1951-03-01T08:00:00+07:00", "r"),
        ]
    ).encode(),
    "semicolons.csv": csv_text(GOOD).replace(",", ";").encode(),
    "one_event.csv": csv_text(GOOD[:1]).encode(),
}


@pytest.mark.parametrize("name", sorted(ODD_CSV))
def test_odd_but_valid_csv_is_analysed(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(ODD_CSV[name])
    code, err, report = analyze(path, capsys)
    assert code == 0, err
    no_injected_markup(report.read_text(encoding="utf-8"))


# file name → (content, extra arguments, what the one-line error must say)
BAD: dict[str, tuple[bytes, tuple[str, ...], str]] = {
    "empty.csv": (b"", (), "the file is empty"),
    "header_only.csv": (HEADER.encode(), (), "no events"),
    "latin1.csv": (
        csv_text([("c1", "pemeriksaan café", "2024-03-01T08:00:00+07:00", "José")]).encode(
            "latin-1"
        ),
        (),
        "not UTF-8 text",
    ),
    "binary.csv": (bytes(range(256)) * 4, (), "cannot tell how its columns are separated"),
    "truncated.csv": (csv_text(GOOD).encode()[:-20], (), "row 3: this row has 3 fields"),
    "short_row.csv": (
        (HEADER + "c1,a\nc1,b,2024-03-01T08:00:00+07:00,r,extra\n").encode(),
        (),
        "row 1: this row has 2 fields, the header 4",
    ),
    "year_99999.csv": (
        csv_text([("c1", "a", "99999-03-01T08:00:00+07:00", "r")]).encode(),
        (),
        "row 1, column 'time:timestamp': timestamp '99999-03-01T08:00:00+07:00' is outside",
    ),
    "year_2999.csv": (
        csv_text([("c1", "a", "2999-03-01T08:00:00+07:00", "r")]).encode(),
        (),
        "--calendar ID: no holiday data for year 2999",
    ),
    "words.csv": (
        csv_text([("c1", "a", "yesterday", "r")]).encode(),
        (),
        "row 1, column 'time:timestamp': unparseable timestamp 'yesterday'",
    ),
    "wrong_format.csv": (
        csv_text([("c1", "a", "01/03/2024 08:00", "r"), ("c1", "b", "2024-03-04", "r")]).encode(),
        ("--timestamp-format", "%d/%m/%Y %H:%M"),
        "row 2, column 'time:timestamp': unparseable timestamp '2024-03-04'",
    ),
    "empty_case.csv": (
        csv_text([("", "a", "2024-03-01T08:00:00+07:00", "r")]).encode(),
        (),
        "row 1, column 'case:concept:name': empty value",
    ),
    "truncated.xes": (xes_text().encode()[:150], (), "not well-formed XES"),
    "empty.xes": (b"", (), "the file is empty"),
    "latin1_said_utf8.xes": (xes_text(activity="café").encode("latin-1"), (), "not well-formed"),
    "not_a_log.xes": (b'<?xml version="1.0"?><foo/>', (), "no such columns"),
    "not_gzip.xes.gz": (xes_text().encode(), (), "cannot read xes"),
    "cut_gzip.xes.gz": (gzip.compress(xes_text().encode())[:60], (), "cannot read xes"),
    "year_1900.xes": (xes_text(ts="1900-01-01T00:00:00"), (), "--calendar none"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_log_gives_one_clear_line(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content, args, expected = BAD[name]
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    code, err, _ = analyze(path, capsys, *args)
    assert code == 2
    assert expected in err, err


def test_timestamp_format_and_far_dates_with_every_day_calendar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "dates.csv"
    rows = [("c1", "a", "01/03/2024 08:00", "r"), ("c1", "b", "04/03/2024 17:30", "r")]
    path.write_text(csv_text(rows))
    code, err, report = analyze(path, capsys, "--timestamp-format", "%d/%m/%Y %H:%M")
    assert code == 0, err
    assert "3 hari 9 jam" in report.read_text()
    path.write_text(csv_text([("c1", "a", "2999-03-01T08:00:00+07:00", "r")]))
    code, err, report = analyze(path, capsys, "--calendar", "none")
    assert code == 0, err  # a far-future date is a quality note, not a failure
    assert "lebih dari satu hari setelah pemeriksaan ini" in report.read_text()


@pytest.mark.parametrize("out", ["report.html", "report.xlsx", "report.json"])
def test_markup_in_names_stays_text(
    out: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "script.csv"
    rows = [
        ("c1", "<script>alert(1)</script>", "2024-03-01T08:00:00+07:00", "<img src=x>"),
        ("c1", "</script><b>x", "2024-03-02T08:00:00+07:00", "a"),
        ("<script>c</script>", "s", "2024-03-02T08:00:00+07:00", "a"),
    ]
    path.write_text(csv_text(rows))
    code, err, report = analyze(path, capsys, "--min-cases", "1", out=out)
    assert code == 0, err
    if out.endswith(".html"):
        page = report.read_text(encoding="utf-8")
        no_injected_markup(page)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown, as text
    elif out.endswith(".xlsx"):
        cells = {
            c.value for ws in openpyxl.load_workbook(report) for row in ws.iter_rows() for c in row
        }
        assert "<script>alert(1)</script>" in cells
    else:
        assert "<script>alert(1)</script>" in report.read_text()
    xes = tmp_path / "script.xes"
    xes.write_text(xes_text(case="&lt;b&gt;x", activity="&lt;script&gt;alert(1)&lt;/script&gt;"))
    code, err, report = analyze(xes, capsys, out="x" + out)
    assert code == 0, err
    if out.endswith(".html"):
        no_injected_markup(report.read_text(encoding="utf-8"))


def mutate(data: bytes, rng: random.Random, edits: int) -> bytes:
    b = bytearray(data)
    for _ in range(edits):
        at = rng.randrange(len(b))
        roll = rng.random()
        if roll < 0.4:
            b[at] = rng.randrange(256)
        elif roll < 0.7:
            del b[at : at + rng.randint(1, 12)]
        else:
            b[at:at] = rng.choice([b",", b'"', b"\n", b"\r", b"\x00", b"?", b"\xff", b"<"])
    return bytes(b)


@pytest.mark.parametrize("seed", range(12))
def test_mangled_logs_never_give_a_traceback(
    seed: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(seed)
    for name, data in (("log.csv", csv_text(GOOD).encode()), ("log.xes", xes_text().encode())):
        path = tmp_path / name
        path.write_bytes(mutate(data, rng, rng.randint(1, 6)))
        code, _, report = analyze(path, capsys)
        if code == 0:
            no_injected_markup(report.read_text(encoding="utf-8"))
