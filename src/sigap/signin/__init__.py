"""Staff log-in: throttled passwords, TOTP two-factor for the sensitive roles, idle timeout.

See docs/security.md, section "Staff log-in".
"""
