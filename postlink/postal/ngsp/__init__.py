"""The national integration gateway (NGSP, postal brief §2): mapping, proxy, adapter."""
