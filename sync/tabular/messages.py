"""Messages of spreadsheet import and export (zh_CN + en); codes not found here fall back to sync.messages."""

from __future__ import annotations

from typing import Any

from sync import messages as contract_messages

# code -> (zh_CN template, en template), str.format with named parameters.
TRANSFER_MESSAGES: dict[str, tuple[str, str]] = {
    # Row problems.
    "unknown_ref": ("“{label}”找不到{target}“{value}”", "{label}: no {target} named “{value}”"),
    "ambiguous_ref": (
        "“{label}”：有 {count} 条{target}名为“{value}”，请改填记录编号",
        "{label}: {count} records of {target} are named “{value}”; give the record id instead",
    ),
    "duplicate_id": ("记录编号“{value}”在文件中重复（第 {first} 行）", "Record id “{value}” repeats row {first}"),
    "id_exists": (
        "记录编号“{value}”已存在，不能重复导入",
        "Record id “{value}” already exists and cannot be imported again",
    ),
    "formula_no_value": (
        "“{label}”是公式 {formula}，文件中没有保存它的计算结果；本程序不计算公式。请在 Excel 中打开并保存文件，"
        "或改填数值",
        "{label} is a formula {formula} with no saved result in the file; this app never calculates formulas."
        " Open and save the file in Excel, or type the value instead",
    ),
    # File problems.
    "file_missing": ("找不到文件：{path}", "File not found: {path}"),
    "file_unreadable": ("无法读取文件 {path}：{detail}", "Cannot read {path}: {detail}"),
    "file_format": (
        "不支持的文件格式：{path}（请使用 .xlsx、.csv 或 .json）",
        "Unsupported file format: {path} (use .xlsx, .csv or .json)",
    ),
    "file_xls": (
        "{path} 是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入",
        "{path} is an old Excel (.xls) file: save it as .xlsx in Excel, then import it",
    ),
    "file_not_xlsx": ("{path} 不是有效的 Excel（.xlsx）文件", "{path} is not a valid Excel (.xlsx) file"),
    "file_encoding": (
        "{path} 的编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV",
        "Cannot tell the encoding of {path}: save it as CSV in UTF-8 or GBK",
    ),
    "file_binary": ("{path} 不是文本格式的 CSV 文件", "{path} is not a text CSV file"),
    "file_json": ("{path} 不是本程序导出的 JSON 文件：{detail}", "{path} is not a JSON export of this app: {detail}"),
    "file_empty": ("{path} 中没有任何数据", "{path} holds no data"),
    "sheet_no_header": ("工作表“{sheet}”没有表头行", "Sheet “{sheet}” has no header row"),
    "sheet_entity_unknown": (
        "无法识别工作表“{sheet}”的记录类型，请用 --entity 指定（可选：{choices}）",
        "Cannot tell which kind of record sheet “{sheet}” holds; give --entity (one of: {choices})",
    ),
    "sheet_entity_ambiguous": (
        "工作表“{sheet}”的表头同时符合{choices}，请用 --entity 指定",
        "The headers of sheet “{sheet}” fit {choices}; give --entity",
    ),
    "entity_not_importable": (
        "工作表“{sheet}”是{entity}记录，服务器目录导入不接受此类记录（可导入：{choices}）",
        "Sheet “{sheet}” holds {entity} records, which the server's catalog import does not take"
        " (it takes: {choices})",
    ),
    "import_author_unknown": (
        "没有名为“{name}”的可用账号（--as）",
        "No enabled account named “{name}” (--as)",
    ),
    "bad_entity": ("未知的记录类型“{value}”，可选：{choices}", "Unknown record type “{value}”; choose from: {choices}"),
    "unknown_columns": (
        "工作表“{sheet}”（{entity}）有无法识别的列：{columns}。可用的列见 docs/import-templates.md",
        "Sheet “{sheet}” ({entity}) has columns that are not known: {columns}. See docs/import-templates.md",
    ),
    "duplicate_columns": (
        "工作表“{sheet}”中以下列指向同一字段：{columns}",
        "In sheet “{sheet}” these columns mean the same field: {columns}",
    ),
    "export_format": ("导出文件须为 .xlsx 或 .json：{path}", "Export to a .xlsx or .json file: {path}"),
    "template_format": ("模板文件须为 .xlsx 或 .csv：{path}", "Write the template to a .xlsx or .csv file: {path}"),
    "file_write": ("无法写入文件 {path}：{detail}", "Cannot write {path}: {detail}"),
}


class TransferError(Exception):
    """A file-level problem (unreadable, wrong format, unknown columns): nothing is imported."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, lang: str = "zh_CN") -> str:
        return render(self.code, lang, **self.params)


def render(code: str, lang: str = "zh_CN", **params: Any) -> str:
    """The message for `code` (this layer's or the contract's) in `lang`, with parameters filled in."""
    if code not in TRANSFER_MESSAGES:
        return contract_messages.render(code, lang, **params)
    return contract_messages.fill(TRANSFER_MESSAGES, code, lang, **params)

# Import report lines.
REPORT_MESSAGES: dict[str, tuple[str, str]] = {
    "report_entity": (
        "{entity}：读取 {rows} 行，导入 {imported} 行，有问题 {bad} 行",
        "{entity}: {rows} rows read, {imported} imported, {bad} with problems",
    ),
    "report_row": ("第 {row} 行，列“{column}”：{message}", "Row {row}, column “{column}”: {message}"),
    "report_item": ("第 {row} 条，字段“{column}”：{message}", "Item {row}, field “{column}”: {message}"),
    "report_sheet": ("工作表“{sheet}”", "Sheet “{sheet}”"),
    "report_nothing_written": (
        "未导入任何记录：请改正以上 {bad} 行后重新导入，或加 --skip-invalid 只导入无误的行",
        "Nothing was imported: fix the {bad} rows above and import again, or add --skip-invalid to import"
        " only the rows without problems",
    ),
    "report_skipped": (
        "已导入 {imported} 行，跳过 {bad} 行有问题的行（见上）",
        "Imported {imported} rows; skipped {bad} rows with problems (listed above)",
    ),
    "report_done": ("全部 {imported} 行已导入", "All {imported} rows imported"),
}
TRANSFER_MESSAGES.update(REPORT_MESSAGES)
