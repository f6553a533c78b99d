"""What spark-submit runs: it takes a .py file, not a module (see docs/analytics-cluster.md).

spark-submit --master yarn deploy/spark/sigap_job.py --events s3a://... --out results/
"""

from sigap.analytics.spark_job import main

raise SystemExit(main())
