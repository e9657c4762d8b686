"""MyVNPost "customer-partner" API (postal brief §1): mapping (pure), proxy (HTTP), adapter."""
