"""``python -m matcher`` is the ``skillmatch`` command."""

from matcher.cli import main

main()
