"""``python -m matcher``: the library's commands alone (the installed ``skillmatch`` adds serve, db, keys)."""

from matcher.cli import main

if __name__ == "__main__":  # worker processes started by "spawn" import this module too
    main()
