"""The Jinja2 templates of the reports (``reports/``) and of the web console (``web/``).

Installed as the ``postlink.templates`` package (see ``setup.py``) and found through
``postlink.resources``, so a wheel carries them."""
