""""Did you mean": the sound of a character from pypinyin's data file, without importing pypinyin in a search."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pypinyin import lazy_pinyin

from specialist_app.services import records as R
from specialist_app.services import search_suggest
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import open_store


def test_a_characters_sound_is_what_pypinyin_says() -> None:
    readings = search_suggest._readings()
    assert readings is not None and len(readings) > 40_000
    chars = [chr(int(code)) for code in readings] + [chr(c) for c in range(0x3400, 0xA000, 7)]  # and unlisted ones
    assert [search_suggest._sound(c) for c in chars] == [lazy_pinyin(c)[0] for c in chars]
    assert [search_suggest._sound(c) for c in "绿女法络路"] == ["lv", "nv", "fa", "luo", "lu"]


@pytest.mark.e2e  # a real Python process: what it imported
def test_a_suggestion_in_a_fresh_process_does_not_import_pypinyin(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    store = open_store(path)
    with UnitOfWork(store) as uow:  # indexing the institution's name imports pypinyin here, not in the search
        inst = R.create(uow, "institution", {"name": "吉林大学", "org_type": "university", "region_code": "220102"})
        for title in ("有限元模型分析方法", "有限元模型修正技术", "有限元法计算平台"):
            R.create(uow, "achievement", {"title": title, "institution_id": inst})
        uow.commit()
    store.close()
    script = textwrap.dedent(f"""
        import sys
        from specialist_app.services.search import search
        from specialist_app.services.uow import ReadUnitOfWork
        from specialist_app.store.db import open_store
        store = open_store({str(path)!r})
        with ReadUnitOfWork(store) as read:
            page = search(read, "有限元发")
        store.close()
        print(page.suggestion, "pypinyin" in sys.modules)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["有限元法", "False"]  # fa for fa (a homophone), pypinyin never imported
