"""Abuse limits shared by every worker process: the rate-limit counters (one table), the limiter
(`ratelimit`) and the one-statement write path of public submissions (`intake`), which counts the
hit in the same statement as the row. Below every app that takes input from strangers (surveys,
complaints, Open311, log-in, whistleblowing, privacy requests, the REST API); it imports no
other sigap app."""
