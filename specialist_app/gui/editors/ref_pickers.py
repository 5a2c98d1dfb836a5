"""The pickers of other records in a form: their choices come from the store; pickers scoped by the chosen
institution (its visits, its contacts) follow that choice; pickers of the shared catalog search it as one types."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from functools import partial

from PySide6.QtCore import QObject

from specialist_app.gui.context import AppContext
from specialist_app.gui.editors import jobs
from specialist_app.gui.editors.catalog_ref_input import CatalogRefInput
from specialist_app.gui.editors.form import EntityForm
from specialist_app.gui.editors.ref_inputs import RefInput, RefsInput

SCOPE_FIELD = "institution_id"  # the picker that scopes the others


class RefPickers:
    """Fills `form`'s pickers through the task runner; `quiet()` wraps each fill (a fill is not typing)."""

    def __init__(self, ctx: AppContext, form: EntityForm, owner: QObject,
                 quiet: Callable[[], AbstractContextManager[None]], is_closed: Callable[[], bool],
                 *, writable_only: bool = False, record: tuple[str, str] | None = None) -> None:
        self.ctx = ctx
        self.record = record  # (entity, id) of the record being edited: its institution stays a choice
        self.writable_only = writable_only  # a new record: only institutions the server takes it for
        self.form = form
        self.owner = owner
        self._quiet = quiet
        self._is_closed = is_closed
        scope = form.inputs.get(SCOPE_FIELD)
        self.scope = scope if isinstance(scope, RefInput) else None
        if self.scope is not None:
            self.scope.changed.connect(self.follow_scope)
        for field_input in form.inputs.values():
            if isinstance(field_input, CatalogRefInput):
                field_input.wanted.connect(partial(self._search, field_input))
                field_input.label_wanted.connect(partial(self._title, field_input))

    def scoped(self) -> Iterator[RefInput | RefsInput]:
        for name, field_input in self.form.inputs.items():
            if name != SCOPE_FIELD and isinstance(field_input, RefInput | RefsInput) and field_input.field.ref:
                yield field_input

    def load_scope(self) -> None:
        """The scoping picker's own choices (the user's institutions)."""
        if self.scope is not None:
            writer = self.ctx.username if self.writable_only else None
            self.ctx.runner.submit(jobs.choices("institution", writer=writer, record=self.record),
                                   partial(self._fill, self.scope),
                                   owner=self.owner)

    def scope_id(self) -> str | None:
        value = self.form.values().get(SCOPE_FIELD)
        return str(value) if value else None

    def follow_scope(self) -> None:
        """Pickers that depend on the institution (its visits, its contacts) follow it."""
        if self._is_closed():
            return
        scope = self.scope_id()
        for field_input in self.scoped():
            ref = field_input.field.ref
            assert ref is not None
            self.ctx.runner.submit(jobs.choices(ref, scope), partial(self._fill, field_input), owner=self.owner)

    def _search(self, field_input: CatalogRefInput, text: str) -> None:
        """A catalog picker's hits for what was typed (a newer search of the same picker supersedes a waiting one)."""
        ref = field_input.field.ref
        assert ref is not None
        self.ctx.runner.submit(jobs.catalog_hits(ref, text, writer=self.ctx.username),
                               partial(field_input.set_hits, text), owner=self.owner,
                               key=f"catalog-ref-{id(field_input)}")

    def _title(self, field_input: CatalogRefInput, record_id: str) -> None:
        ref = field_input.field.ref
        assert ref is not None
        self.ctx.runner.submit(jobs.title_of(ref, record_id), partial(self._show_title, field_input, record_id),
                               owner=self.owner)

    def _show_title(self, field_input: CatalogRefInput, record_id: str, title: str | None) -> None:
        with self._quiet():
            field_input.set_label(record_id, title)

    def _fill(self, field_input: RefInput | RefsInput, found: list[tuple[str, str]]) -> None:
        with self._quiet():
            field_input.set_choices(found)
