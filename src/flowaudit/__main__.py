"""Allow ``python -m flowaudit``."""

from flowaudit.entry import main

main()
