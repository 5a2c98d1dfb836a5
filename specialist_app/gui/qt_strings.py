"""Qt's own strings missing from Qt's shipped zh_CN catalogue, so `i18n update` puts them in ours to translate."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

# Labels of Qt's non-native file dialog whose mnemonic forms qtbase_zh_CN.qm lacks, and the file types its list
# shows, which Qt 6 asks for in a context the catalogue does not have yet (tests/.../test_qt_translations).
MISSING_IN_QT = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Folder"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "File Folder"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Drive"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Shortcut"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Alias"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Unknown"),
)
