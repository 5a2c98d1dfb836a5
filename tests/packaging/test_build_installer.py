"""build_installer.py on Linux: the archive holds the app, its .desktop entry and icon; the built app passes --smoke."""

from __future__ import annotations

import configparser
import importlib.util
import json
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VERSION_SOURCE = ROOT / "pyproject.toml"

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux archive is built on Linux"),
    pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None,
                       reason="PyInstaller is not installed (pip install -e '.[installer]')"),
]


def pyproject_version() -> str:
    import tomllib

    return str(tomllib.loads(VERSION_SOURCE.read_text(encoding="utf-8"))["project"]["version"])


@pytest.mark.slow
def test_build_produces_the_linux_archive_and_the_built_app_smoke_launches(tmp_path: Path) -> None:
    dist, work = tmp_path / "dist", tmp_path / "work"
    started = time.monotonic()
    built = subprocess.run([sys.executable, str(ROOT / "build_installer.py"), "--dist", str(dist), "--work", str(work)],
                           cwd=ROOT, capture_output=True, text=True, check=False, timeout=900)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    print(f"build_installer.py took {time.monotonic() - started:.0f} s")
    version = pyproject_version()
    archive = dist / f"specialist-app-{version}-linux-x86_64.tar.gz"
    assert archive.is_file(), sorted(p.name for p in dist.iterdir())
    top = f"specialist-app-{version}"
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        executable = tar.getmember(f"{top}/specialist-app")
        assert executable.mode & 0o111
        desktop_text = tar.extractfile(f"{top}/specialist-app.desktop").read().decode("utf-8")  # type: ignore[union-attr]
        tar.extractall(tmp_path / "unpacked", filter="data")
    for part in ("specialist-app.svg", "specialist-app.png", "install.sh", "_internal/resources/icons/sync.svg",
                 "_internal/resources/i18n/specialist_app_zh_CN.qm", "_internal/resources/i18n/qt/qtbase_zh_CN.qm",
                 "_internal/specialist_app/store/schema_v1.sql",
                 "_internal/PySide6/Qt/plugins/platforms/libqxcb.so",
                 "_internal/PySide6/Qt/plugins/platforms/libqoffscreen.so"):
        assert f"{top}/{part}" in names, part
    assert not any("market_server" in name for name in names)
    entry = configparser.ConfigParser(interpolation=None)
    entry.read_string(desktop_text)
    assert entry["Desktop Entry"]["Exec"].split()[0] == "specialist-app"
    assert entry["Desktop Entry"]["Icon"] == "specialist-app"

    # The unpacked archive, as a specialist gets it, launches and passes the same smoke check.
    unpacked = tmp_path / "unpacked" / top / "specialist-app"
    report = tmp_path / "smoke.json"
    smoke = subprocess.run([str(unpacked), "--smoke", "--lang", "en", "--report", str(report)],
                           env={"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
                           capture_output=True, text=True, check=False, timeout=180)
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    result = json.loads(report.read_text(encoding="utf-8"))
    assert result["problems"] == [] and result["version"] == version and result["pages"] == 8
