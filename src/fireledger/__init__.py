"""FireLedger 消防安全隐患整治台账: the fire-safety rectification ledger."""
