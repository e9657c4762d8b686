"""The sandbox's MyVNPost dialect: record rendering (records.py) and endpoints (routes.py)."""
