"""Texts the command line prints (zh_CN + en)."""

from __future__ import annotations

from typing import Any

from sync.tabular.messages import render as transfer_render

CLI_TEXTS: dict[str, tuple[str, str]] = {
    "profile": ("配置", "Profile"),
    "store": ("数据文件", "Data file"),
    "records": ("记录数", "Records"),
    "pending": ("待同步的修改", "Changes waiting to sync"),
    "none": ("无", "none"),
    "exported": ("已导出到 {path}：{counts}", "Exported to {path}: {counts}"),
    "template_written": (
        "已写入模板 {path}（导入前请删除示例行）",
        "Template written to {path} (delete the example row before importing)",
    ),
}


def text(code: str, lang: str, **params: Any) -> str:
    if code in CLI_TEXTS:
        zh, en = CLI_TEXTS[code]
        return (zh if lang.startswith("zh") else en).format(**params)
    return transfer_render(code, lang, **params)
