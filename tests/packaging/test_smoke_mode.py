"""`python -m specialist_app.gui --smoke`: passes on a working install, fails (exit 1, named problem) otherwise."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def test_smoke_mode_opens_the_window_and_reports(tmp_path: Path) -> None:
    report = tmp_path / "smoke.json"
    done = subprocess.run([sys.executable, "-m", "specialist_app.gui", "--smoke", "--report", str(report)], env=ENV,
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(report.read_text(encoding="utf-8"))
    assert result["problems"] == []
    assert result["store"] == ["opened"] and result["pages"] == 8 and result["platform"] == "offscreen"


def test_smoke_mode_fails_when_a_dynamically_loaded_part_is_missing(tmp_path: Path) -> None:
    report = tmp_path / "smoke.json"
    script = ("import sys\nfrom specialist_app.gui import smoke\n"
              "smoke.DYNAMIC_MODULES += ('keyring.backends.NoSuchBackend',)\n"
              "sys.exit(smoke.main(['specialist-app', '--smoke', '--report', sys.argv[1]]))\n")
    done = subprocess.run([sys.executable, "-c", script, str(report)], env=ENV, capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    assert len(problems) == 1 and "keyring.backends.NoSuchBackend" in problems[0]
