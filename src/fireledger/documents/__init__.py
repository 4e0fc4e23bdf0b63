"""Statutory documents (整改通知书, 挂牌督办通知书, 抄告单, inspection records), numbered per issuer and year."""
