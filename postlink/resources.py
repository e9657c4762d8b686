"""Where the files shipped with postlink are: the templates and the configuration folder.

``templates/`` and ``config/`` live at the top of the repository and are installed as the
``postlink.templates`` and ``postlink.config`` packages (``setup.py``), so they are found the
same way in a wheel, in an editable install and in a checkout: through ``importlib.resources``
rather than a path relative to this file, which only exists in a checkout (issue 15).

Both are needed as real folders (Jinja2's loader, WeasyPrint's base URL, settings holding a
``Path``); pip installs wheels unpacked, so they always are.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def package_folder(package: str) -> Path:
    """The folder of a data package, or an error saying the installation is not usable."""
    folder = files(package)
    if not isinstance(folder, Path):
        raise RuntimeError(
            f"{package} is not a folder on disk ({folder!r}): install postlink unpacked "
            "(pip install), not from a zip archive"
        )
    return folder


#: The Jinja2 templates of the reports (``reports/``) and of the web console (``web/``).
TEMPLATES_DIR = package_folder("postlink.templates")

#: Status tables, the deadline table, sample lists, example settings, systemd and nginx files.
CONFIG_DIR = package_folder("postlink.config")
