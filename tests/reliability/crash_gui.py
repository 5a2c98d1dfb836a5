"""A GUI process for the autosave crash test: types into a visit and an achievement editor until it is killed.

    python crash_gui.py DATA_DIR INSTITUTION FIRST_SEQ SEED STEPS

It first opens both editors and restores any draft they offer (a crash's leftover), printing
`restored <key> <json values>`, then `editing`; then it types numbered texts ("gui-<seq>") into the editors'
fields through their widgets, pausing at random so the debounced autosave sometimes fires and sometimes not,
and every few steps saves one editor through the real save path (task runner -> records service -> outbox) and
opens a new one. Lines: `draft <key> <seq>` after each draft file is written (`cleared <key>` when removed),
`saved <entity> <id> <seq>` after each committed save. It never syncs. STEPS bounds the run when nobody kills it.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any QApplication exists

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from specialist_app.gui import drafts
from specialist_app.gui.app import make_context
from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.dialog import EditorDialog, open_editor
from specialist_app.gui.editors.visit_editor import LOG

# The fields typed into, per entity; the first one carries the seq the parent reads back.
TYPED = {"visit": ("purpose", "notes"), "achievement": ("title", "summary")}
LABELS = {"purpose": "走访目的", "notes": "纪要", "title": "成果", "summary": "简介"}
SEQ = re.compile(r"gui-(\d+)")
AUTOSAVE_MS = 25  # the real debounce is a second; shorter here so many drafts are written before each kill
SAVE_EVERY = 8
_PRINTING = threading.Lock()


def seq_of(text: Any) -> int | None:
    found = SEQ.search(str(text or ""))
    return int(found.group(1)) if found else None


def emit(line: str) -> None:
    with _PRINTING:  # draft lines come from the worker thread: one whole line per write
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def report_draft_writes() -> None:
    """Print a line after every draft file write: the keeper calls the module's `_write` on the worker thread."""
    original = drafts._write

    def write(files: drafts.DraftFiles, key: str, content: dict[str, Any] | None) -> bool:
        done = original(files, key, content)
        if content is None:
            emit(f"cleared {key}")
        else:
            values = content.get("values") or {}
            emit(f"draft {key} {seq_of(next((values.get(n) for n in ('purpose', 'title') if n in values), ''))}")
        return done

    drafts._write = write


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the editor did not get there in time")
        QTest.qWait(5)  # runs the event loop: queued results, timers


def open_loaded(ctx: AppContext, entity: str, institution: str) -> EditorDialog:
    if entity == "visit":
        editor = open_editor(ctx, "visit", mode=LOG, institution_id=institution)
    else:
        editor = open_editor(ctx, "achievement", prefill={"institution_id": institution})
    wait_until(lambda: editor.state.is_loaded and ctx.runner.pending() == 0)  # the draft offer (if any) has arrived
    return editor


def restore_offered(editor: EditorDialog) -> None:
    if editor.draft_banner.isHidden():
        return
    key = editor.drafts.key
    editor.restore_button.click()
    values = editor.form.values()
    emit(f"restored {key} {json.dumps({n: values.get(n) for n in TYPED[editor.entity.name]}, ensure_ascii=False)}")


def type_step(editor: EditorDialog, seq: int) -> None:
    for name in TYPED[editor.entity.name]:
        widget = editor.form.inputs[name].widget
        text = f"{LABELS[name]} gui-{seq:07d}"
        if hasattr(widget, "setPlainText"):
            widget.setPlainText(text + "\n第二行")
        else:
            widget.setText(text)


def save(ctx: AppContext, editor: EditorDialog) -> str:
    saved: list[str] = []
    editor.saved.connect(saved.append)
    editor.save_button.click()
    wait_until(lambda: bool(saved) or not editor.error_label.isHidden())
    if not saved:
        raise RuntimeError(f"save failed: {editor.error_label.text()}")
    return saved[0]


def main(argv: list[str]) -> int:
    data_dir, institution, first_seq, seed, steps = Path(argv[0]), argv[1], int(argv[2]), int(argv[3]), int(argv[4])
    drafts.AUTOSAVE_DELAY_MS = AUTOSAVE_MS
    report_draft_writes()
    app = QApplication([])
    ctx = make_context(data_dir, "zh_CN")
    rng = random.Random(seed)
    editors = {entity: open_loaded(ctx, entity, institution) for entity in TYPED}
    for editor in editors.values():
        restore_offered(editor)
    emit("editing")
    seq = first_seq
    last_typed: dict[str, int] = {}
    for step in range(1, steps + 1):
        entity = rng.choice(sorted(editors))
        editor = editors[entity]
        seq += 1
        type_step(editor, seq)
        last_typed[entity] = seq
        QTest.qWait(rng.choice((0, 5, 15, 40)))  # a pause: longer than the debounce sometimes
        if step % SAVE_EVERY == 0:
            record_id = save(ctx, editor)
            emit(f"saved {entity} {record_id} {last_typed[entity]}")
            wait_until(lambda: ctx.runner.pending() == 0)  # the editor closed itself; its draft is cleared
            editors[entity] = open_loaded(ctx, entity, institution)
    for editor in editors.values():
        editor.close()  # keeps what was typed as a draft
    ctx.runner.shutdown()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
