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

setup(
    packages=[
        *find_namespace_packages(include=["postlink", "postlink.*"], exclude=["*.__pycache__"]),
        *DATA_PACKAGES,
    ],
    package_dir=DATA_PACKAGES,
    package_data={
        "postlink": ["migrations/script.py.mako", "py.typed"],
        **{package: ["**/*"] for package in DATA_PACKAGES},
    },
    exclude_package_data={"": ["__pycache__/*", "**/__pycache__/*", "*.pyc"]},
)
