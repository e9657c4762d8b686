"""postlink: the province's link with the public postal service (BCCI) for TTHC dossiers."""

__version__ = "0.1.0"
