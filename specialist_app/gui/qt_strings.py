"""Qt's own strings missing from Qt's shipped zh_CN catalogue, so `i18n update` puts them in ours to translate."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

# Labels of Qt's non-native file dialog whose mnemonic forms qtbase_zh_CN.qm lacks (tests/.../test_qt_translations).
MISSING_IN_QT = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
)
