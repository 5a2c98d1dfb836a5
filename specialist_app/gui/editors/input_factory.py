"""The input widget for each field kind of the contract."""

from __future__ import annotations

from PySide6.QtCore import QObject

from specialist_app.gui.editors.catalog_ref_input import CatalogRefInput
from specialist_app.gui.editors.date_inputs import DateInput, DateTimeInput
from specialist_app.gui.editors.inputs import (
    BoolInput,
    CodeInput,
    CodesInput,
    FieldInput,
    IntInput,
    LongTextInput,
    MoneyInput,
    StringsInput,
    TextInput,
)
from specialist_app.gui.editors.ref_inputs import RefInput, RefsInput
from sync.fields import Field, Kind

_BY_KIND: dict[
    Kind,
    type[
        TextInput
        | LongTextInput
        | IntInput
        | MoneyInput
        | DateInput
        | DateTimeInput
        | BoolInput
        | CodeInput
        | CodesInput
        | RefInput
        | RefsInput
    ],
] = {
    Kind.TEXT: TextInput,
    Kind.LONGTEXT: LongTextInput,
    Kind.INT: IntInput,
    Kind.MONEY: MoneyInput,
    Kind.DATE: DateInput,
    Kind.DATETIME: DateTimeInput,
    Kind.BOOL: BoolInput,
    Kind.CODE: CodeInput,
    Kind.CODES: CodesInput,
    Kind.STRINGS: StringsInput,
    Kind.REF: RefInput,
    Kind.REFS: RefsInput,
}


def make_input(field: Field, lang: str, parent: QObject | None = None) -> FieldInput:
    """The input for `field` (an INT with a code table, such as the TRL, is a choice of its levels; a reference to
    the shared catalog, a search of it)."""
    if field.kind is Kind.INT and field.codes is not None:
        return CodeInput(field, lang, parent)
    if field.kind is Kind.REF and field.ref_catalog:  # any record of the shared catalog: searched as one types
        return CatalogRefInput(field, lang, parent)
    if field.kind is Kind.FIELDNAMES:
        raise ValueError("confidential field names are edited by the form's check boxes, not an input")
    return _BY_KIND[field.kind](field, lang, parent)
