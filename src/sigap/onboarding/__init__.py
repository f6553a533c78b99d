"""Onboarding a real agency: its people, unit tree, service standards and request history.

Every import is planned first (a dry run that lists what it will create, change and refuse, with
file, row and column) and applied in one transaction only when the plan has no errors
(`sigap.onboarding.plan`). `sigap onboard KIND FILE [--apply]` and the page /onboarding/ are the
two doors to the same functions. docs/onboarding.md walks an agency from an empty server to live.
"""
