"""Exchanges with the national systems: SIASN (BKN), SP4N-LAPOR!, BSrE signing.

Each adapter is off by default, configured from SIGAP_* settings only (never the repository),
and records every call it makes as an `Exchange` (system, operation, outcome) next to the audit
trail. Tests run them against local fake servers that speak the documented shapes.
"""
