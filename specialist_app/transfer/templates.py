"""Blank import templates (headers, one example row, an instructions sheet) and their documentation."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

from specialist_app.transfer.examples import EXAMPLES
from specialist_app.transfer.writers import _save_atomically, add_table, column_width, export_targets, sheet_title
from sync.entities import ENTITIES, Entity
from sync.fields import Field, Kind
from sync.messages import choose, render
from sync.tabular.cells import LIST_JOIN, to_cell
from sync.tabular.columns import CATALOG_IMPORT_ENTITIES, ID, IMPORT_ENTITIES, header_text
from sync.tabular.messages import TransferError

_CHECKS = {
    "credit_code": ("18 位统一社会信用代码", "18-character unified social credit code"),
    "region_code": ("6 位行政区划代码（GB/T 2260）", "6-digit region code (GB/T 2260)"),
    "reg_no": ("12 位数字", "12 digits"),
    "email": ("电子邮箱", "e-mail address"),
    "phone": ("电话号码", "phone number"),
    "url": ("网址", "web address"),
}


def _t(lang: str, zh: str, en: str) -> str:
    """A template description's words, written beside their translation here (they document the template)."""
    return choose(lang, zh, en)


def field_format(entity: Entity, f: Field | None, lang: str) -> str:
    """What a cell of this column may hold, in `lang`."""
    if f is None:
        return _t(lang, "留空则自动生成；导出文件中的编号导入时保留", "empty: a new id; ids from an export are kept")
    sep = render("enum_sep", lang)
    kind = f.kind
    if kind in (Kind.TEXT, Kind.LONGTEXT):
        text = _t(lang, "文本", "text") if kind is Kind.TEXT else _t(lang, "长文本", "long text")
        if f.check:
            text = _t(lang, *_CHECKS[f.check])
        elif f.max_len:
            text += _t(lang, f"，最多 {f.max_len} 字", f", at most {f.max_len} characters")
        return text
    if kind is Kind.INT:
        return _t(lang, f"整数 {f.min}–{f.max}", f"whole number {f.min}-{f.max}")
    if kind is Kind.MONEY:
        return _t(lang, "数字（万元）", "number (10k CNY)")
    if kind is Kind.DATE:
        return _t(lang, "日期：2025-03-18、2025/3/18 或 2025年3月18日", "date: 2025-03-18, 2025/3/18 or 2025年3月18日")
    if kind is Kind.DATETIME:
        return _t(lang, "日期时间（北京时间）：2025-03-18 14:30", "date and time (Beijing time): 2025-03-18 14:30")
    if kind is Kind.BOOL:
        return _t(lang, "是 / 否", "yes / no")
    if kind in (Kind.CODE, Kind.CODES) and f.codes is not None:
        choices = sep.join(c.label(lang) for c in f.codes)
        if kind is Kind.CODES:
            return _t(lang, f"可多选，用、分隔：{choices}", f"one or more, separated by 、 or commas: {choices}")
        return _t(lang, f"选一项：{choices}", f"one of: {choices}")
    if kind is Kind.STRINGS:
        return _t(lang, "多项用、分隔", "several, separated by 、 or commas")
    if kind in (Kind.REF, Kind.REFS) and f.ref is not None:
        target = ENTITIES[f.ref]
        name = target.field(target.title_field).label.text(lang)
        what = _t(lang, f"{target.zh}的{name}或记录编号", f"the {target.en.lower()}'s {name.lower()} or its ID")
        return what if kind is Kind.REF else _t(lang, f"多个{what}，用、分隔", f"several: {what}, separated by 、")
    if kind is Kind.FIELDNAMES:
        names = sep.join(x.label.text(lang) for x in entity.fields if x.can_be_confidential)
        return _t(lang, f"需保密的字段，用、分隔：{names}", f"fields to keep confidential, separated by 、: {names}")
    return kind.value


def example_cell(entity: Entity, f: Field | None, lang: str) -> object:
    if f is None:
        return None
    value = EXAMPLES[entity.name].get(f.name)
    if f.kind in (Kind.REF, Kind.REFS):  # examples name the referenced record
        return LIST_JOIN.join(value) if isinstance(value, list) else value
    return to_cell(entity, f, value, lang)


def _spec_rows(entity: Entity, lang: str) -> list[tuple[str, str, str, str, object]]:
    rows = []
    for target in export_targets(entity):
        f = None if target == ID else entity.field(target)
        required = _t(lang, "必填", "required") if f is not None and f.required and f.default is None else ""
        rows.append((
            header_text(entity, target, "zh_CN"),
            header_text(entity, target, "en"),
            required,
            field_format(entity, f, lang),
            example_cell(entity, f, lang),
        ))
    return rows


def write_template(entity_name: str, path: Path, lang: str = "zh_CN") -> None:
    """A blank template for `entity_name`: .xlsx (data sheet + instructions sheet) or .csv (UTF-8 with BOM)."""
    entity = ENTITIES[entity_name]
    targets = export_targets(entity)
    headers = [header_text(entity, t, lang) for t in targets]
    example = [example_cell(entity, None if t == ID else entity.field(t), lang) for t in targets]
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            workbook = Workbook(write_only=True)
            add_table(workbook, sheet_title(entity, lang), headers, [example],
                      [column_width(entity, t) for t in targets])
            spec_headers = [_t(lang, *pair) for pair in (("中文列名", "Chinese header"), ("英文列名", "English header"),
                                                          ("必填", "Required"), ("格式", "Format"),
                                                          ("示例", "Example"))]
            add_table(workbook, _t(lang, "说明", "Instructions"), spec_headers, _spec_rows(entity, lang),
                      [20, 24, 8, 60, 30])
            _save_atomically(path, workbook.save)
        elif suffix == ".csv":
            with path.open("w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel then reads UTF-8
                writer = csv.writer(fh)
                writer.writerow(headers)
                writer.writerow(["" if v is None else v for v in example])
        else:
            raise TransferError("template_format", path=str(path))
    except OSError as err:
        raise TransferError("file_write", path=str(path), detail=err.strerror or str(err)) from None


def _md_cell(value: object) -> str:
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")


def templates_markdown() -> str:
    """docs/import-templates.md, generated from the entity schemas (a test keeps the file up to date)."""
    out = [
        "# Import templates 导入模板",
        "",
        "Generated by `specialist_app.transfer.templates.templates_markdown()`; do not edit by hand.",
        "",
        "`specialist-app template ENTITY FILE.xlsx` writes a blank template (headers, one example row, and an",
        "instructions sheet). Delete the example row before importing. Headers may be Chinese or English (also",
        "the field name, e.g. `title`), matched ignoring case, spaces and full-/half-width brackets.",
        "",
        "- Several sheets in one .xlsx are imported together, parents first; a sheet is recognised by its name",
        "  (e.g. 科技成果 / Achievement / achievement) or by its headers, or by `--entity`.",
        "- Choices may be given by their Chinese or English label. Lists are separated by 、，, ; or |.",
        "- Reference columns take a record ID or the referenced record's name, found in the app's data or in",
        "  rows above / earlier sheets of the same file. An unknown or ambiguous name is a row error. An ID of a",
        "  record that neither the app's data nor the file holds is kept as it is (a synced store is partial: its",
        "  catalog names visits and pending institutions it never receives); an ID of a deleted record, or of a",
        "  row of the file that has problems, is a row error.",
        "- CSV files may be UTF-8 (with or without BOM) or GBK/GB18030. In .xlsx, formulas are read as their",
        "  saved values, never computed; a formula cell with no saved value (a file written by a program, not",
        "  saved by Excel) is a row error naming the formula. In .csv a cell starting with = is plain text.",
        "- Exports write text that starts with = + - @ as text cells (never formulas), so opening an export in",
        "  a spreadsheet program runs nothing and the text re-imports unchanged.",
        "- By default a file with any bad row imports nothing and lists every problem (row number as shown in",
        "  the spreadsheet, column, reason); `--skip-invalid` imports the good rows and lists the bad ones.",
        "- The 记录编号 / ID column is optional; exports write it so an export re-imports with the same ids.",
        "  Columns the server sets (审核状态 of an institution, 采集人) are ignored on import.",
        "- Every export re-imports into an empty data folder with the same rows and values. Exports of",
        "  achievements and demands also write 已隐去的保密字段 / Masked fields: the confidential fields this",
        "  copy holds only masked (another person's catalog row). Listed fields stay empty and masked on import",
        "  (a fixed price with its price masked is not an error); only confidential fields may be listed.",
        "",
        "## Server catalog import 服务器目录导入",
        "",
        "An administrator loads catalog spreadsheets on the server with the same templates and rules:",
        "",
        "    market-server import FILE [--entity NAME] [--skip-invalid] [--as USER] [--lang zh_CN|en] [--json]",
        "",
        "- It takes " + ", ".join(f"`{name}`" for name in CATALOG_IMPORT_ENTITIES) + "; a sheet of any other",
        "  record type (visits, follow-ups: specialists push those) makes the whole file an error.",
        "- Reference names are looked up in the server's database (deleted records are not found) and in",
        "  earlier rows of the file; an ID already used on the server, even by a deleted record, is a row error.",
        "- Rows are checked with the same validation as a sync push. Each written row gets its own server",
        "  version from the one counter, so every specialist's next pull brings the new catalog rows.",
        "- Imported institutions are active at once. `--as USER` records an existing, enabled account as",
        "  author (and 采集人 of achievements and demands); without it the author is `catalog import`.",
        "- Exit status: 0 imported (or `--skip-invalid` imported the good rows), 1 bad rows and nothing",
        "  written, 2 a file or usage error (unreadable file, unknown columns or record type, unknown `--as`).",
        "",
    ]
    for name in IMPORT_ENTITIES:
        entity = ENTITIES[name]
        out += [
            f"## {entity.zh} {entity.en} (`{name}`)",
            "",
            "| 中文列名 | English header | 必填 Required | 格式 Format | 示例 Example |",
            "|---|---|---|---|---|",
        ]
        en_formats = [row[3] for row in _spec_rows(entity, "en")]
        for (zh, en, required, fmt, example), en_fmt in zip(_spec_rows(entity, "zh_CN"), en_formats, strict=True):
            cells = (zh, en, "✓" if required else "", f"{fmt}<br>{en_fmt}", example)
            out.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
        out.append("")
    return "\n".join(out)
