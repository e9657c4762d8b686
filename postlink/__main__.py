"""Allow ``python -m postlink``."""

from postlink.cli import main

main()
