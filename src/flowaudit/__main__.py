"""Allow ``python -m flowaudit``."""

from flowaudit.cli import main

main()
