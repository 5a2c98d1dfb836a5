"""Build the desktop installer for this platform (placeholder until the installer issue lands).

The installer issue (#5) fills this in: a PyInstaller one-folder build carrying ui/, resources/ and every
dynamically loaded part, a headless smoke launch of the built app, and the platform archive or setup script.
Until then this script says so and exits with status 2, so nothing mistakes it for a working build.
"""

from __future__ import annotations

import sys


def main() -> int:
    print("build_installer.py: the installer build is not implemented yet (see issue #5).", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
