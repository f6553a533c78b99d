"""The analytics as a Spark job on a cluster (YARN, Kubernetes or standalone).

    spark-submit --master yarn --deploy-mode client deploy/spark/sigap_job.py \\
        --events s3a://sigap/events/ --standards s3a://sigap/standards.parquet \\
        --agency 3201 --from 2025-01 --to 2025-06 --out /srv/sigap/analytics/results/
    python -m sigap.analytics.spark_job --master local[2] --events out/events/ --out report.html

`--events` is a canonical log: one Parquet file, or a directory partitioned by agency and month
as `sigap.analytics.partitioned` writes it. The agency and month filters read only the matching
directories (partition pruning); each case lives whole in the partition of its first event, so a
filtered run analyses whole cases, those that started in the months asked for.

The analyses are those of `sigap analyze`, run by `SparkEngine` on the session spark-submit made
(or a local one with `--master local[N]`). `--out` ending in .json, .html or .xlsx writes the
report; any other path is a directory of result tables (`sigap.analytics.results`). Both are
written by the driver to its own file system: small files, for the web to read.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sigap.analytics.engine import SQL_CONF, SparkEngine, spark_session
from sigap.analytics.partitioned import PARTITION_COLUMNS, check_month
from sigap.analytics.performance import PerformanceSettings, ServiceStandard
from sigap.analytics.refresh import standards_from_rows
from sigap.analytics.report import REPORT_FORMATS, build_report, write_report
from sigap.analytics.results import write_results
from sigap.analytics.scorecards import MIN_CASES


def session(master: str | None = None) -> Any:
    """The Spark session: spark-submit's (when this runs under it, and no `master` is given) with
    sigap's SQL settings applied over the cluster's defaults, else a local one."""
    if master is None and not os.environ.get("PYSPARK_GATEWAY_PORT"):
        master = "local[2]"  # `python -m` outside spark-submit
    if master is not None:
        return spark_session(master)
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("sigap-analytics").getOrCreate()
    for key, value in SQL_CONF.items():
        spark.conf.set(key, value)
    return spark


def read_events(
    spark: Any,
    path: str,
    *,
    agencies: Sequence[str] = (),
    first_month: str | None = None,
    last_month: str | None = None,
) -> Any:
    """The canonical events at `path` as a DataFrame, only the given agencies and months (of the
    cases' first events) when `path` is a partitioned directory. The filters are on the
    partition columns, so Spark lists and reads only the matching directories."""
    from pyspark.sql import functions as F

    df = spark.read.option("basePath", path).parquet(path)
    filters = []
    if agencies:
        filters.append(F.col("agency").isin(list(agencies)))
    if first_month:
        filters.append(F.col("month") >= check_month(first_month, what="--from"))
    if last_month:
        filters.append(F.col("month") <= check_month(last_month, what="--to"))
    if filters and not set(PARTITION_COLUMNS) <= set(df.columns):
        raise ValueError(
            f"{path} is not partitioned by agency and month (no agency=/month= directories): "
            "the agency and month filters need the layout of sigap.analytics.partitioned"
        )
    for condition in filters:
        df = df.where(condition)
    return df


def read_standards(spark: Any, path: str) -> tuple[ServiceStandard, ...]:
    """The service standards file of the store (`standards.parquet`), local or on the bucket."""
    rows = spark.read.parquet(path).orderBy("service", "valid_from", "order").collect()
    return standards_from_rows(r.asDict() for r in rows)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="sigap-spark-job", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    p.add_argument("--events", required=True, help="canonical Parquet: a file or a directory")
    p.add_argument("--out", required=True, help="report (.json, .html, .xlsx) or results dir")
    p.add_argument("--standards", help="standards.parquet of the analytics store")
    p.add_argument("--agency", action="append", default=[], help="agency code (repeatable)")
    p.add_argument("--from", dest="first_month", help="first month YYYY-MM (of the cases' start)")
    p.add_argument("--to", dest="last_month", help="last month YYYY-MM, included")
    p.add_argument("--master", help="e.g. local[2]; default: the session of spark-submit")
    p.add_argument("--procedure", help="declared steps, comma-separated, for conformance")
    p.add_argument("--local-timezone", default="Asia/Jakarta", help="for working days")
    p.add_argument("--closing-outcomes", default="completed,rejected")
    p.add_argument("--min-cases", type=int, default=MIN_CASES, help="for officer scorecards")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        for month, flag in ((args.first_month, "--from"), (args.last_month, "--to")):
            if month:
                check_month(month, what=flag)
        spark = session(args.master)
        engine = SparkEngine(session=spark)
        try:
            settings = PerformanceSettings(
                timezone=args.local_timezone,
                closing_outcomes=tuple(s.strip() for s in args.closing_outcomes.split(",")),
                standards=read_standards(spark, args.standards) if args.standards else (),
            )
            engine.register_frame(
                read_events(
                    spark,
                    args.events,
                    agencies=args.agency,
                    first_month=args.first_month,
                    last_month=args.last_month,
                )
            )
            out = Path(args.out)
            if out.suffix.lower().lstrip(".") in REPORT_FORMATS:
                procedure = tuple(s.strip() for s in (args.procedure or "").split(",") if s.strip())
                report = build_report(
                    engine,
                    source=args.events,
                    procedure=procedure,
                    settings=settings,
                    min_cases=args.min_cases,
                )
                write_report(report, out)
                summary = f"{report.dfg.events:,} events, {report.dfg.cases:,} cases"
            else:
                written = write_results(engine, out, settings, min_cases=args.min_cases)
                summary = f"{len(written)} result tables"
        finally:
            engine.close()
    except ValueError as exc:
        print(f"sigap spark job: {exc}", file=sys.stderr)
        return 2
    print(f"{summary} → {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
