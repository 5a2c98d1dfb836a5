"""`python -m specialist_app.gui`: start the desktop app."""

import multiprocessing
import sys

if __name__ == "__main__":
    # In the installed (frozen) app, the sync's second process (tokenizing a big first pull) starts from this
    # same executable: freeze_support() runs that worker and exits before any Qt is loaded.
    multiprocessing.freeze_support()
    from specialist_app.gui.app import main

    sys.exit(main(sys.argv))
