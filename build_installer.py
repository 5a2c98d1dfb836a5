"""Build the desktop app for this platform with PyInstaller, smoke-launch the built app, then package it.

    python build_installer.py            # needs the `installer` extra: pip install -e '.[installer]'

Linux: dist/specialist-app-<version>-linux-x86_64.tar.gz (the one-folder app, a .desktop entry, the icon and
install.sh). Windows: dist/specialist-app/ and, when Inno Setup's ISCC is on PATH, the setup .exe made by
packaging/windows/specialist-app.iss. macOS: dist/Specialist App.app. The build fails (exit 1) if the built app's
smoke launch (`--smoke`: offscreen, temp profile, main window, store) does not pass.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "specialist-app.spec"
APP_NAME = "specialist-app"
MAC_BUNDLE = "Specialist App.app"
ICON_SVG = PACKAGING / "icons" / "specialist-app.svg"
ISS_SCRIPT = PACKAGING / "windows" / "specialist-app.iss"
SMOKE_TIMEOUT_SECONDS = 180

# Qt platform plugins that must be in the build (offscreen: the smoke launch; the others: the user's desktop).
REQUIRED_PLATFORM_PLUGINS = {
    "linux": ("libqoffscreen.so", "libqxcb.so"),
    "win32": ("qoffscreen.dll", "qwindows.dll"),
    "darwin": ("libqoffscreen.dylib", "libqcocoa.dylib"),
}


class BuildError(Exception):
    """The build cannot go on; the message says why."""


@dataclass
class BuildResult:
    version: str
    folder: Path
    artifact: Path
    smoke: dict[str, object]
    seconds: dict[str, float] = field(default_factory=dict)


def project_version() -> str:
    """pyproject's version, which must also be the installed metadata's (what the app shows and sends)."""
    declared = str(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])
    try:
        installed = metadata.version(APP_NAME)
    except metadata.PackageNotFoundError as exc:
        raise BuildError("specialist-app is not installed: run `pip install -e '.[installer]'`") from exc
    if installed != declared:
        raise BuildError(f"installed metadata says {installed}, pyproject says {declared}: run `pip install -e .`")
    return declared


def platform_tag() -> str:
    """The archive's platform part: linux-x86_64, windows-amd64, macos-arm64..."""
    system = {"linux": "linux", "win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    return f"{system}-{platform.machine().lower()}"


def compile_translations() -> None:
    _run([sys.executable, "-m", "specialist_app.gui.i18n", "compile"], "compiling translations")


def render_icon(out_dir: Path) -> Path:
    """The app icon for this platform (.png on Linux, .ico on Windows, .icns on macOS) rendered from the SVG."""
    suffix = {"win32": ".ico", "darwin": ".icns"}.get(sys.platform, ".png")
    target = out_dir / f"{APP_NAME}{suffix}"
    out_dir.mkdir(parents=True, exist_ok=True)
    script = (
        "import sys\n"
        "from PySide6.QtGui import QGuiApplication, QImage, QPainter\n"
        "from PySide6.QtSvg import QSvgRenderer\n"
        "app = QGuiApplication([])\n"
        "image = QImage(256, 256, QImage.Format.Format_ARGB32)\n"
        "image.fill(0)\n"
        "painter = QPainter(image)\n"
        "QSvgRenderer(sys.argv[1]).render(painter)\n"
        "painter.end()\n"
        "sys.exit(0 if image.save(sys.argv[2]) else 1)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    _run([sys.executable, "-c", script, str(ICON_SVG), str(target)], f"rendering the icon {target.name}", env=env)
    return target


def run_pyinstaller(version: str, icon: Path, dist: Path, work: Path) -> Path:
    """PyInstaller one-folder build from packaging/specialist-app.spec; returns the app folder."""
    env = {**os.environ, "SPECIALIST_APP_VERSION": version, "SPECIALIST_APP_ICON": str(icon)}
    _run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
          "--distpath", str(dist), "--workpath", str(work), str(SPEC)], "running PyInstaller", env=env)
    folder = dist / APP_NAME
    if not executable(folder).is_file():
        raise BuildError(f"PyInstaller did not produce {executable(folder)}")
    return folder


def executable(folder: Path) -> Path:
    return folder / (f"{APP_NAME}.exe" if sys.platform == "win32" else APP_NAME)


def missing_parts(folder: Path) -> list[str]:
    """Files the running app loads by name that are not in the build folder."""
    present = {p.name for p in folder.rglob("*") if p.is_file()}
    wanted = [*REQUIRED_PLATFORM_PLUGINS.get(sys.platform, ()), "specialist_app_zh_CN.qm", "specialist_app_en.qm",
              "qtbase_zh_CN.qm",
              "schema_v1.sql", "sync.svg", "main_window.ui", "signin_dialog.ui"]
    missing = [name for name in wanted if name not in present]
    if not any(p.name == "entry_points.txt" and "keyring" in p.parent.name for p in folder.rglob("entry_points.txt")):
        missing.append("keyring metadata (entry_points.txt)")
    return missing


def smoke_launch(exe: Path, timeout: float = SMOKE_TIMEOUT_SECONDS) -> dict[str, object]:
    """Launch the built app with --smoke, headless, on a temp profile; its report, or BuildError if it failed."""
    with tempfile.TemporaryDirectory(prefix="specialist-app-smoke-") as temp:
        report_file = Path(temp) / "report.json"
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SPECIALIST_APP_DATA_DIR": str(Path(temp) / "data"),
               "HOME": os.environ.get("HOME", temp)}
        started = time.monotonic()
        try:
            done = subprocess.run([str(exe), "--smoke", "--report", str(report_file)], env=env, cwd=temp,
                                  capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise BuildError(f"smoke launch did not finish in {timeout:.0f} s") from exc
        seconds = time.monotonic() - started
        report: dict[str, object] = {}
        if report_file.exists():
            report = json.loads(report_file.read_text(encoding="utf-8"))
        if done.returncode != 0 or not report or report.get("problems"):
            raise BuildError(f"smoke launch failed (exit {done.returncode}): {report.get('problems') or ''}\n"
                             f"{done.stdout[-4000:]}{done.stderr[-4000:]}")
    report["launch_seconds"] = round(seconds, 2)
    return report


def package_linux(folder: Path, version: str, icon_png: Path, dist: Path) -> Path:
    """dist/specialist-app-<version>-linux-<arch>.tar.gz: the app folder plus .desktop, icons and install.sh."""
    stem = f"{APP_NAME}-{version}-{platform_tag()}"
    archive = dist / f"{stem}.tar.gz"
    extras = {
        f"{APP_NAME}.desktop": PACKAGING / "linux" / f"{APP_NAME}.desktop",
        "install.sh": PACKAGING / "linux" / "install.sh",
        f"{APP_NAME}.svg": ICON_SVG,
        f"{APP_NAME}.png": icon_png,
    }
    top = f"{APP_NAME}-{version}"
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(folder, arcname=top)
        for name, source in extras.items():
            tar.add(source, arcname=f"{top}/{name}")
    return archive


def package_windows(folder: Path, version: str, icon_ico: Path, dist: Path) -> Path:
    """The setup .exe when Inno Setup's ISCC is available; otherwise the folder (the CI workflow runs ISCC)."""
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if iscc is None:
        print(f"ISCC not found: the folder {folder} is ready; make the setup with:\n"
              f'  iscc /DAppVersion={version} /DSourceDir="{folder}" /DIconFile="{icon_ico}" '
              f'/DOutputDir="{dist}" "{ISS_SCRIPT}"')
        return folder
    _run([iscc, f"/DAppVersion={version}", f"/DSourceDir={folder}", f"/DIconFile={icon_ico}",
          f"/DOutputDir={dist}", str(ISS_SCRIPT)], "running Inno Setup")
    return dist / f"{APP_NAME}-{version}-setup.exe"


def build(dist: Path, work: Path) -> BuildResult:
    """The whole build: version check, translations, icon, PyInstaller, parts check, smoke launch, package."""
    seconds: dict[str, float] = {}
    started = time.monotonic()
    version = project_version()
    compile_translations()
    icon = render_icon(work / "icon")
    folder = run_pyinstaller(version, icon, dist, work)
    seconds["pyinstaller"] = round(time.monotonic() - started, 1)
    if missing := missing_parts(folder):
        raise BuildError(f"the build lacks: {', '.join(missing)}")
    exe = executable(folder)
    if sys.platform == "darwin":
        exe = dist / MAC_BUNDLE / "Contents" / "MacOS" / APP_NAME
    smoke = smoke_launch(exe)
    step = time.monotonic()
    if sys.platform == "win32":
        artifact = package_windows(folder, version, icon, dist)
    elif sys.platform == "darwin":
        artifact = dist / MAC_BUNDLE
    else:
        artifact = package_linux(folder, version, icon, dist)
    seconds["package"] = round(time.monotonic() - step, 1)
    seconds["total"] = round(time.monotonic() - started, 1)
    return BuildResult(version, folder, artifact, smoke, seconds)


def _run(command: list[str], what: str, env: dict[str, str] | None = None) -> None:
    print(f"build_installer: {what}", flush=True)
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BuildError(f"{what} failed (exit {done.returncode}):\n{done.stdout[-6000:]}{done.stderr[-6000:]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the specialist-app installer for this platform.")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller work folder")
    args = parser.parse_args(argv)
    try:
        result = build(args.dist.resolve(), args.work.resolve())
    except BuildError as err:
        print(f"build_installer: FAILED: {err}", file=sys.stderr)
        return 1
    size_mb = sum(p.stat().st_size for p in [result.artifact] if p.is_file()) / 1e6
    print(f"build_installer: {result.artifact}" + (f" ({size_mb:.1f} MB)" if size_mb else ""))
    print(f"build_installer: smoke {json.dumps(result.smoke, ensure_ascii=False)}")
    print(f"build_installer: seconds {json.dumps(result.seconds)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
