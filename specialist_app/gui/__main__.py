"""`python -m specialist_app.gui`: start the desktop app."""

import sys

from specialist_app.gui.app import main

sys.exit(main(sys.argv))
