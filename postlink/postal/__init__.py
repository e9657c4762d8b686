"""The postal side: one interface (adapter.py), typed models, and one folder per carrier.

``get_adapter(settings, recorder)`` returns the adapter ``POSTLINK_POSTAL_ADAPTER`` names;
``sandbox/`` is a real HTTP server speaking the carriers' dialects for demos and tests.
This package never imports catalog, sync or web (architecture sketch).
"""
