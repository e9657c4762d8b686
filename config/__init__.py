"""Configuration shipped with postlink: carrier status tables (``postal/``), the deadline
table, sample province lists (``catalog/``), example ``.env`` files, systemd units and the
nginx site.

Installed as the ``postlink.config`` package (see ``setup.py``) and found through
``postlink.resources``, so a wheel carries them."""
