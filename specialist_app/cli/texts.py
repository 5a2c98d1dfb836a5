"""Texts the command line prints (zh_CN + en)."""

from __future__ import annotations

from typing import Any

from sync.messages import fill
from sync.tabular.messages import render as transfer_render

CLI_TEXTS: dict[str, tuple[str, str]] = {
    "profile": ("配置", "Profile"),
    "store": ("数据文件", "Data file"),
    "records": ("记录数", "Records"),
    "pending": ("待同步的修改", "Changes waiting to sync"),
    "pending_files": ("待上传附件 {count} 个，{mb} MB", "Attachments waiting to upload: {count}, {mb} MB"),
    "partial_file": ("  {name}（{mb} MB）：已上传 {pct}%，下次同步时从这里继续",
                     "  {name} ({mb} MB): {pct} % uploaded; the next sync goes on from there"),
    "failed_file": ("  {name}（{mb} MB）：上次上传失败（{reason}，{since}），下次同步时重试",
                    "  {name} ({mb} MB): the last upload failed ({reason}, {since}); retried at the next sync"),
    "none": ("无", "none"),
    "last_sync": ("上次成功同步", "Last successful sync"),
    "never": ("从未", "never"),
    "open_conflicts": ("未解决的冲突", "Open conflicts"),
    "rejected_changes": ("被退回的修改", "Changes refused by the server"),
    "record_created": ("已新建{entity}：{id}", "Created {entity}: {id}"),
    "record_updated": ("已修改{entity}：{id}", "Updated {entity}: {id}"),
    "record_deleted": ("已删除{entity}：{id}", "Deleted {entity}: {id}"),
    "record_missing": ("找不到{entity}：{id}", "No {entity} with id {id}"),
    "bad_assignment": ("“{text}”应写成 字段=值", "“{text}” must be FIELD=VALUE"),
    "bad_values_json": ("--values-json 不是 JSON 对象：{detail}", "--values-json is not a JSON object: {detail}"),
    "exported": ("已导出到 {path}：{counts}", "Exported to {path}: {counts}"),
    "not_logged_in": ("尚未登录，请先运行 specialist-app login", "Not signed in: run specialist-app login first"),
    "snapshot_published": (
        "已发布目录快照：版本 {cursor}，{mb:.1f} MB（{sha}），格式 {format}",
        "Catalog snapshot published: version {cursor}, {mb:.1f} MB ({sha}), format {format}",
    ),
    "match_header": ("为“{source}”推荐的{target}（共评估 {total} 条）：",
                     "{target} suggested for “{source}” ({total} scored):"),
    "match_direction": ("不能为{source}推荐{target}", "Cannot suggest {target} records for a {source}"),
    "no_suggestions": ("没有找到有共同关键词的记录", "No record shares a term with it"),
    "match_digest": ("[摘要 · {province}] ", "[Digest · {province}] "),
    "another_province": ("外省", "another province"),
    "search_totals": ("共 {total} 条：标题/正文中 {text_hits} 条，按单位或人员找到 {by_hits} 条（标 *）",
                      "{total} found: {text_hits} in title/text, {by_hits} by institution or people (marked *)"),
    "search_totals_capped": ("超过 {total} 条（只统计到 {total} 条；用 --offset 翻页，或多输入字词缩小范围）",
                             "More than {total} found (counting stops at {total}; page on with --offset, or type more"
                             " to narrow it)"),
    "search_unsearchable": ("“{query}”中没有可搜索的内容：请输入汉字、字母或数字",
                            "Nothing to search for in “{query}”: type Chinese characters, letters or digits"),
    "search_suggestion": ("您是不是要找：{suggestion}", "Did you mean: {suggestion}"),
    "template_written": (
        "已写入模板 {path}（导入前请删除示例行）",
        "Template written to {path} (delete the example row before importing)",
    ),
}


def text(code: str, lang: str, **params: Any) -> str:
    if code in CLI_TEXTS:
        return fill(CLI_TEXTS, code, lang, **params)
    return transfer_render(code, lang, **params)
