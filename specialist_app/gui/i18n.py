"""Translations: choosing the language, compiling resources/i18n/*.ts to .qm, installing the translator.

Qt's own strings (file dialogs, context menus, standard buttons) come from Qt's catalogue for the language
(qtbase_<lang>.qm: beside ours in resources/i18n/qt in a build, else PySide6's), installed with ours; the locale
(calendar month and day names) follows the language too.

Run `python -m specialist_app.gui.i18n update` after changing GUI strings or ui/*.ui (pyside6-lupdate), and
`python -m specialist_app.gui.i18n compile` to build the .qm files (the app and the tests do it when missing).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from sync.codes import CodeTable
from sync.fields import Field
from sync.messages import in_language

LANGUAGES: tuple[str, ...] = ("zh_CN", "en")
ROOT = Path(__file__).resolve().parents[2]
I18N_DIR = ROOT / "resources" / "i18n"
GUI_DIR = Path(__file__).resolve().parent
UI_DIR = ROOT / "ui"  # Qt Designer forms: their strings are translated with the form's class name as context
TS_PREFIX = "specialist_app_"


def ts_path(lang: str) -> Path:
    return I18N_DIR / f"{TS_PREFIX}{lang}.ts"


def qm_path(lang: str) -> Path:
    return I18N_DIR / f"{TS_PREFIX}{lang}.qm"


QT_CATALOGUE = "qtbase"  # Qt Widgets' and Qt Core's strings; qt_<lang>.qm is only a list of such catalogues
BUNDLED_QT_DIR = I18N_DIR / "qt"  # where the installer puts Qt's catalogues (build_installer.py)


def qt_qm_path(lang: str) -> Path | None:
    """Qt's own catalogue for `lang` (None for English, Qt's source language, or when none is found)."""
    if lang == "en":
        return None
    name = f"{QT_CATALOGUE}_{lang}.qm"
    for folder in (BUNDLED_QT_DIR, Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))):
        if (folder / name).is_file():
            return folder / name
    return None


def locale_of(lang: str) -> QLocale:
    if lang == "zh_CN":
        return QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def system_language(locale: QLocale | None = None) -> str:
    """zh_CN when the (system) locale is Chinese, else en."""
    chosen = locale if locale is not None else QLocale.system()
    return "zh_CN" if chosen.language() == QLocale.Language.Chinese else "en"


def resolve_language(preferred: str | None, locale: QLocale | None = None) -> str:
    """The language to use: a supported saved choice, else the system's."""
    return preferred if preferred in LANGUAGES else system_language(locale)


def _tool(name: str) -> str:
    beside_python = Path(sys.executable).parent / name
    found = str(beside_python) if beside_python.exists() else shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} not found (it ships with PySide6)")
    return found


def gui_sources() -> list[Path]:
    """The files lupdate reads: the GUI's Python modules and the Designer forms in ui/."""
    modules = sorted(p for p in GUI_DIR.rglob("*.py") if "__pycache__" not in p.parts)
    return modules + sorted(UI_DIR.glob("*.ui"))


def update_ts() -> None:
    """Refresh the .ts files from the GUI sources (keeps existing translations, drops obsolete ones)."""
    for lang in LANGUAGES:
        subprocess.run(
            [_tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", "-source-language", "en",
             "-target-language", lang, *map(str, gui_sources()), "-ts", str(ts_path(lang))],
            check=True, capture_output=True,
        )


def compile_qm(force: bool = False) -> list[Path]:
    """Compile each .ts to its .qm when missing or older than the .ts; returns the .qm paths."""
    built = []
    for lang in LANGUAGES:
        source, target = ts_path(lang), qm_path(lang)
        if force or not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
            subprocess.run([_tool("pyside6-lrelease"), "-silent", str(source), "-qm", str(target)],
                           check=True, capture_output=True)
        built.append(target)
    return built


def install_translator(app: QCoreApplication, lang: str) -> QTranslator:
    """Load and install the language's translations, the app's and Qt's (compiling ours first if needed), and make
    the language's locale the default; keep the returned object, and undo with remove_translator()."""
    # Missing, or older than its .ts (a checkout that pulled new strings): build it. An installed app ships the .qm
    # without the .ts and without lrelease: it keeps what it has; no .qm at all means English source strings rather
    # than no app.
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        compile_qm()
    QLocale.setDefault(locale_of(lang))
    translator = QTranslator(app)
    qt_file = qt_qm_path(lang)
    qt_translator = QTranslator(translator)  # a child: lives and goes with the app's translator
    if qt_file is not None and qt_translator.load(str(qt_file)):
        app.installTranslator(qt_translator)
    # Installed last, so asked first: ours also fills the few Qt strings Qt's catalogue lacks (gui/qt_strings.py).
    if translator.load(str(qm_path(lang))):
        app.installTranslator(translator)
    return translator


def qt_translator_of(translator: QTranslator) -> QTranslator | None:
    """The Qt catalogue installed with `translator` by install_translator(), when one was found."""
    child = translator.findChild(QTranslator)
    return child if isinstance(child, QTranslator) and not child.isEmpty() else None


def remove_translator(app: QCoreApplication, translator: QTranslator) -> None:
    """Undo install_translator(): the app's and Qt's translations and the language's default locale."""
    app.removeTranslator(translator)
    for child in translator.findChildren(QTranslator):
        app.removeTranslator(child)
    QLocale.setDefault(QLocale.system())


def field_label(field: Field, lang: str) -> str:
    """A contract field's label (data from sync/, in both languages)."""
    return in_language(field, lang)


def code_label(table: CodeTable | None, value: object, lang: str) -> str:
    """A code's label, or the value itself when it is not in the table."""
    if value is None:
        return ""
    if table is None:
        return str(value)
    return table.label(str(value), lang)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    command = args[0] if args else "compile"
    if command == "update":
        update_ts()
        compile_qm(force=True)
    elif command == "compile":
        compile_qm(force=True)
    else:
        print("usage: python -m specialist_app.gui.i18n [update|compile]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
