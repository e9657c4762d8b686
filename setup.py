"""The build rule ``pyproject.toml`` cannot state: ship ``templates/`` and ``config/`` inside
the package.

Both folders stay at the top of the repository, where staff and developers look for them, and
are mapped to the ``postlink.templates`` and ``postlink.config`` packages, so that a wheel
carries them and the code finds them with ``importlib.resources`` (``postlink.resources``)
in a wheel, in an editable install and in a checkout alike. Everything else is declared in
``pyproject.toml``.
"""

from setuptools import find_namespace_packages, setup

DATA_PACKAGES = {"postlink.templates": "templates", "postlink.config": "config"}
#: Each data folder with its sub-folders (web/admin, catalog, systemd, …), all data only.
DATA_TREE = [
    f"{package}.{sub}" if sub else package
    for package, folder in DATA_PACKAGES.items()
    for sub in ["", *find_namespace_packages(where=folder, exclude=["*__pycache__"])]
]

setup(
    packages=[
        *find_namespace_packages(include=["postlink", "postlink.*"], exclude=["*.__pycache__"]),
        *DATA_TREE,
    ],
    package_dir=DATA_PACKAGES,
    package_data={
        "postlink": ["migrations/script.py.mako", "py.typed", "locale/*/LC_MESSAGES/*.po"],
        **{package: ["*"] for package in DATA_TREE},
    },
    exclude_package_data={"": ["*.pyc"]},
)
