"""Dashboards and bulletins (通报): scoped aggregates over the ledger, read-only."""
