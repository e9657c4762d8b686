"""The sandbox's national gateway (NGSP) dialect (postal brief §2)."""
