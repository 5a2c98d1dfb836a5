"""An editor's lifecycle as one state: loading, creating or editing, saving, closed (replaces six flags)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from enum import Enum


class Phase(Enum):
    LOADING = "loading"  # the record (or the new record's prefill) is being read; nothing is typed yet
    CREATING = "creating"  # a new record, not stored yet
    EDITING = "editing"  # a stored record
    SAVING = "saving"  # a save is running; its answer moves to EDITING (stored) or back where it came from
    CLOSED = "closed"  # closed for good (deleted on close): late change signals from dying widgets are ignored


_NEXT: dict[Phase, set[Phase]] = {
    Phase.LOADING: {Phase.CREATING, Phase.EDITING, Phase.CLOSED},
    Phase.CREATING: {Phase.SAVING, Phase.CLOSED},
    Phase.EDITING: {Phase.SAVING, Phase.CLOSED},
    Phase.SAVING: {Phase.CREATING, Phase.EDITING, Phase.CLOSED},
    Phase.CLOSED: set(),
}


class IllegalMove(RuntimeError):
    """A move the lifecycle does not have (a bug in the editor, never a user's doing)."""


class EditorState:
    """The phase of one editor, the moves between phases, and what each phase allows."""

    def __init__(self, new: bool) -> None:
        self.phase = Phase.LOADING
        self._loaded_as = Phase.CREATING if new else Phase.EDITING
        self._before_save = self._loaded_as
        self._quiet = 0  # pickers being filled with their choices: their change signals are not typing

    def _move(self, to: Phase) -> None:
        if to not in _NEXT[self.phase]:
            raise IllegalMove(f"{self.phase.value} -> {to.value}")
        self.phase = to

    def loaded(self) -> None:
        self._move(self._loaded_as)

    def saving(self) -> None:
        self._before_save = self.phase
        self._move(Phase.SAVING)

    def saved(self) -> None:
        self._move(Phase.EDITING)

    def save_failed(self) -> None:
        self._move(self._before_save)

    def closed(self) -> None:
        if self.phase is not Phase.CLOSED:
            self._move(Phase.CLOSED)

    @property
    def creating(self) -> bool:
        """The record is not stored yet: a save creates it (also while that save runs)."""
        if self.phase is Phase.LOADING:
            return self._loaded_as is Phase.CREATING
        return self.phase is Phase.CREATING or (self.phase is Phase.SAVING and self._before_save is Phase.CREATING)

    @property
    def is_loaded(self) -> bool:
        return self.phase not in (Phase.LOADING, Phase.CLOSED)

    @property
    def is_closed(self) -> bool:
        return self.phase is Phase.CLOSED

    @property
    def may_save(self) -> bool:
        return self.phase in (Phase.CREATING, Phase.EDITING)

    @property
    def takes_typing(self) -> bool:
        """A change signal now is the user's typing (worth a draft)."""
        return self.is_loaded and not self._quiet

    @contextlib.contextmanager
    def quiet(self) -> Iterator[None]:
        """Changes made inside (filling pickers) are not typing."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1
