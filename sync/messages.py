"""User-facing messages of the contract (validation, sync outcomes) in zh_CN and en, keyed by a stable code."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

T = TypeVar("T")

# code -> (zh_CN template, en template). Templates use str.format with named parameters; {label} is the
# field's label in the reader's language.
MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("“{label}”为必填项", "{label} is required"),
    "too_long": ("“{label}”最多 {max} 个字符（现有 {length} 个）", "{label} must be at most {max} characters ({length} given)"),
    "too_many": ("“{label}”最多 {max} 项（现有 {count} 项）", "{label} may hold at most {max} items ({count} given)"),
    "not_integer": ("“{label}”应为整数", "{label} must be a whole number"),
    "not_number": ("“{label}”应为数字", "{label} must be a number"),
    "negative": ("“{label}”不能为负数", "{label} must not be negative"),
    "out_of_range": ("“{label}”应在 {min} 到 {max} 之间", "{label} must be between {min} and {max}"),
    "bad_date": ("“{label}”不是有效日期（例如 2025-03-18）", "{label} is not a valid date (e.g. 2025-03-18)"),
    "bad_datetime": (
        "“{label}”不是有效时间（例如 2025-03-18 14:30）",
        "{label} is not a valid date and time (e.g. 2025-03-18 14:30)",
    ),
    "bad_bool": ("“{label}”应为“是”或“否”", "{label} must be yes or no"),
    "bad_code": ("“{label}”不能取值“{value}”，可选：{choices}", "{label} cannot be “{value}”; choose from: {choices}"),
    "bad_id": ("“{label}”不是有效的记录编号", "{label} is not a valid record id"),
    "bad_credit_code": (
        "“{label}”应为 18 位统一社会信用代码，且校验位正确",
        "{label} must be an 18-character unified social credit code with a correct check character",
    ),
    "bad_region_code": ("“{label}”应为 6 位行政区划代码", "{label} must be a 6-digit administrative region code"),
    "bad_reg_no": ("“{label}”应为 12 位数字", "{label} must be 12 digits"),
    "bad_email": ("“{label}”不是有效的电子邮箱", "{label} is not a valid e-mail address"),
    "bad_phone": ("“{label}”不是有效的电话号码", "{label} is not a valid phone number"),
    "bad_url": ("“{label}”不是有效的网址", "{label} is not a valid web address"),
    "date_order": ("“{label}”不能早于“{other}”", "{label} must not be before {other}"),
    "visited_needs_date": ("已走访的记录需要填写“{label}”", "A visited record needs {label}"),
    "price_needs_value": ("价格方式为“定价”时需要填写“{label}”", "{label} is required when the price mode is fixed"),
    "terminated_needs_reason": ("终止的对接需要填写“{label}”", "A terminated match needs {label}"),
    "unknown_field": ("未知字段“{name}”", "Unknown field “{name}”"),
    "bad_confidential_field": ("字段“{name}”不能设为保密", "Field “{name}” cannot be marked confidential"),
    "missing_ref": ("“{label}”指向的记录不存在或已删除", "{label} points to a record that does not exist or was deleted"),
    "server_managed": ("“{label}”由服务器设置，不能修改", "{label} is set by the server and cannot be edited"),
    "in_use": (
        "还有 {count} 条“{other}”记录引用它（{label}），请先处理这些记录",
        "{count} {other} record(s) still refer to it ({label}); deal with them first",
    ),
    # The local store file (client only).
    "store_damaged": (
        "数据文件 {path} 已损坏（{detail}）。请关闭程序，用备份 {backup} 替换该文件后重新打开",
        "The data file {path} is damaged ({detail}). Close the app, replace it with the backup {backup}, then reopen",
    ),
    "store_damaged_no_backup": (
        "数据文件 {path} 已损坏（{detail}），且没有备份。请将其改名保存后重新登录同步，服务器上的数据会重新下载",
        "The data file {path} is damaged ({detail}) and there is no backup. Rename it, then log in and sync again:"
        " the server's data will be downloaded again",
    ),
    "store_too_new": (
        "数据文件 {path} 由更新版本的程序写入（数据版本 {found}，本程序支持到 {supported}），请安装最新版本",
        "The data file {path} was written by a newer version of the app (data version {found}; this version"
        " supports up to {supported}). Please install the latest version",
    ),
    # Sync outcomes shown to the user.
    "permission_denied": ("您没有权限修改该记录（{detail}）", "You are not allowed to change this record ({detail})"),
    "not_found": ("服务器上找不到该记录", "The record does not exist on the server"),
    # Why a write is refused (sync.permissions.Refusal), the {detail} of permission_denied.
    "refused_admin_only": ("专家信息由管理员维护", "experts are maintained by administrators"),
    "refused_own_pending_only": (
        "只能修改您本人提议、尚在审核中的机构",
        "only your own pending proposals can be changed",
    ),
    "refused_no_institution": ("请选择分配给您的机构", "choose an institution assigned to you"),
    "refused_not_assigned": ("该机构未分配给您", "institution not assigned to you"),
    "refused_note_sent": ("已发送的更正建议不能修改，请另发一条", "a correction proposal once sent cannot be changed; send another"),
    # The way forward beside a record the app opens read-only (sync.permissions.Refusal -> hint_<code>).
    "hint_refused_admin_only": (
        "专家信息由大市场管理员维护，您可以查看。如需更正，请点“建议更正”给管理员留言。",
        "Experts are kept by the market's administrators: you can read this record. To correct it, send them a note with Propose a correction.",
    ),
    "hint_refused_own_pending_only": (
        "已审核或他人提议的机构资料由管理员维护，您可以查看；只有您本人提议、尚在审核中的机构可以修改。如需更正，请点“建议更正”给管理员留言。",
        "An approved institution, or one someone else proposed, is kept by the administrators: you can read it;"
        " you change only your own proposals while they wait for review. To correct it, send the administrators a note"
        " with Propose a correction.",
    ),
    "hint_refused_no_institution": (
        "没有所属机构的记录由管理员维护，您可以查看。如需更正，请点“建议更正”给管理员留言。",
        "A record of no institution is kept by the administrators: you can read it. To correct it, send them a note with Propose a correction.",
    ),
    "hint_refused_note_sent": (
        "更正建议发出后由管理员处理；需要补充时请另发一条。",
        "A correction proposal, once sent, is for the administrators to handle; to add to it, send another one.",
    ),
    "hint_refused_not_assigned": (
        "该记录属于未分配给您的机构，您可以查看，但不能修改。如需更正，请点“建议更正”给管理员留言。",
        "This record belongs to an institution not assigned to you: you can read it but not change it. To correct"
        " it, send the administrators a note with Propose a correction.",
    ),
    "protocol_outdated": (
        "客户端版本过旧，请安装 {version} 或更新版本后再同步",
        "This app is out of date: install version {version} or newer, then sync again",
    ),
    # Server answers (market_server) a client shows to the user.
    "server_outdated": (
        "服务器版本较旧，不支持此客户端的同步协议 {version}，请联系管理员",
        "The server is older than this app (sync protocol {version}); contact an administrator",
    ),
    "login_failed": ("用户名或密码不正确", "Wrong user name or password"),
    "login_rate_limited": (
        "登录失败次数过多，请 {minutes} 分钟后再试",
        "Too many failed sign-ins; try again in {minutes} minutes",
    ),
    "login_busy": ("服务器正忙于处理其他登录，请稍后再试", "The server is busy with other sign-ins; try again in a moment"),
    "account_disabled": ("该账号已停用，请联系管理员", "This account is disabled; contact an administrator"),
    "login_required": ("登录已失效，请重新登录", "Your sign-in has expired; please sign in again"),
    "forbidden": ("您没有权限执行此操作", "You are not allowed to do this"),
    "wrong_device": (
        "此登录凭据属于另一台设备，请在本设备上重新登录",
        "These credentials belong to another device: sign in again on this device",
    ),
    "bad_request": ("请求内容有误：{detail}", "The request is not valid: {detail}"),
    "unknown_entity": ("未知的记录类型“{name}”", "Unknown record type “{name}”"),
    "field_not_editable": ("“{label}”由服务器设置，不能修改", "{label} is set by the server and cannot be changed"),
    "parent_not_changeable": (
        "“{label}”创建后不能修改，请新建一条记录",
        "{label} cannot be changed after creation; create a new record instead",
    ),
    "already_exists": ("该编号的记录已存在", "A record with this id already exists"),
    "body_too_large": ("请求内容过大（最大 {max_kb} KB）", "The request is too large (at most {max_kb} KB)"),
    "blob_too_large": ("文件过大（最大 {max_mb} MB）", "The file is too large (at most {max_mb} MB)"),
    "blob_type_not_allowed": ("不支持的文件类型", "This file type is not allowed"),
    "blob_hash_mismatch": (
        "文件上传不完整或已损坏，请重新上传",
        "The uploaded file is incomplete or damaged; upload it again",
    ),
    "blob_offset_mismatch": (
        "上传位置不一致，请从第 {offset} 字节继续",
        "Upload position mismatch; resume from byte {offset}",
    ),
    "blob_not_found": ("找不到该文件", "The file was not found"),
    "blob_name_not_allowed": (
        "文件名“{filename}”含有可执行文件或脚本的扩展名“{ext}”，不能作为附件",
        "The file name “{filename}” has the extension “{ext}” of a program or script; it cannot be attached",
    ),
    "blob_quota_exceeded": (
        "未完成的上传已达上限（{quota_mb} MB），请先完成这些上传，或等它们过期后再试",
        "Your unfinished uploads reached the limit ({quota_mb} MB); finish them, or try again once they expire",
    ),
    "blob_disk_full": ("服务器存储空间不足，请联系管理员", "The server is running out of storage space; tell the administrator"),
    "blob_type_mismatch": (
        "文件内容不是所声明的类型（{mime_type}）",
        "The file's content is not of its declared type ({mime_type})",
    ),
    "snapshot_unavailable": ("没有可用的目录快照（{detail}）", "No catalog snapshot is available ({detail})"),
    # The server address (client): the password and tokens never travel in clear.
    "insecure_server": (
        "服务器地址 {url} 使用不加密的 http://，密码和数据会以明文传输，已拒绝。请改用 https://"
        "（http:// 只用于本机地址 localhost、127.0.0.1、::1）",
        "Refused: the server address {url} uses unencrypted http://, so your password and data would travel in"
        " clear. Use https:// (http:// is accepted only for this computer: localhost, 127.0.0.1, ::1)",
    ),
    "insecure_server_allowed": (
        "警告：{url} 使用不加密的 http://（由 {setting} 允许），密码和数据以明文传输；只应在受控的实验网络中使用，"
        "正式使用请改用 https://",
        "Warning: {url} uses unencrypted http:// (allowed by {setting}); the password and data travel in clear."
        " Use this only on a controlled lab network; use https:// for real work",
    ),
    "bad_server_url": (
        "服务器地址“{url}”无效，应为 https://服务器名",
        "The server address “{url}” is not valid; it should be https://server-name",
    ),
    # Why an attachment file's last upload failed (shown next to the file; it is tried again at the next sync).
    "file_network_unavailable": ("网络中断", "the connection dropped"),
    "file_server_error": ("服务器出错", "the server answered with an error"),
    # Sync runs (client sync engine).
    "network_unavailable": (
        "无法连接服务器（{detail}），数据已保存在本机，联网后请再次同步",
        "Cannot reach the server ({detail}); your data is kept on this computer, sync again when online",
    ),
    "server_error": ("服务器出错（{detail}），请稍后再试", "The server reported an error ({detail}); try again later"),
    "sync_cancelled": ("同步已取消，已完成的部分已保存", "Sync cancelled; what was already done is kept"),
    # Progress of a running sync (the CLI; the GUI has the same texts in its translations).
    "progress_retry": ("网络不稳定，正在重试（{attempt}/{attempts}）", "Network unstable, retrying ({attempt}/{attempts})"),
    "progress_push": ("正在上传更改：{done} / {total}", "Sending your changes: {done} / {total}"),
    "progress_upload": ("正在上传附件：{done} / {total} MB", "Uploading attachments: {done} / {total} MB"),
    "progress_download": ("正在下载附件：{done} / {total} MB", "Downloading an attachment: {done} / {total} MB"),
    "progress_snapshot": ("正在下载大市场目录：{done} / {total} MB", "Downloading the market catalog: {done} / {total} MB"),
    "progress_install": ("正在安装大市场目录及其搜索索引…", "Installing the market catalog and its search index…"),
    "progress_checkpoint": ("大市场目录已安装，正在写入磁盘（现在即可检索）…",
                            "Market catalog installed; writing it to disk (you can search already)…"),
    "progress_pull": ("正在接收更新：{done} 条", "Receiving the market's changes: {done}"),
    "progress_pull_total": ("正在接收更新：{done} / {total} 条", "Receiving the market's changes: {done} / {total}"),
    "progress_index": ("正在建立全文索引：{done} / {total}", "Building the full-text search index: {done} / {total}"),
    "progress_rate": ("{speed}", "{speed}"),
    "progress_with_rate": ("{text}（{rate}）", "{text} ({rate})"),
    "progress_left_s": ("{speed}，约剩 {n} 秒", "{speed}, about {n} s left"),
    "progress_left_min": ("{speed}，约剩 {n} 分钟", "{speed}, about {n} min left"),
    "progress_left_h": ("{speed}，约剩 {n} 小时", "{speed}, about {n} h left"),
    "disk_full": (
        "磁盘空间已满，同步已停止；本机已保存的数据都还在。请清理磁盘空间后再次同步",
        "The disk is full; the sync stopped and everything already saved on this computer is kept. "
        "Free some disk space and sync again",
    ),
    "sync_failed": ("同步失败：{detail}", "Sync failed: {detail}"),
    "conflict_not_found": ("找不到冲突 {id}", "No conflict {id}"),
    # Punctuation and small words that differ by language (lists of names, problems, a label before its value).
    "enum_sep": ("、", ", "),  # between names in a list
    "problem_sep": ("；", "; "),  # between whole messages
    "label_colon": ("：", ": "),
    "more_items": ("…（另有 {more} 项）", "… ({more} more)"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
}


def is_chinese(lang: str) -> bool:
    """The one rule for which side of a (zh_CN, en) pair a language reads: zh, zh_CN, zh-Hans... read Chinese."""
    return lang.startswith("zh")


def choose(lang: str, zh: T, en: T) -> T:
    """The value for `lang` of a pair kept in both languages (stored messages, a server's zh/en texts)."""
    return zh if is_chinese(lang) else en


def lang_key(lang: str) -> str:
    """"zh" or "en": the key of texts the server and the sync log keep by language."""
    return choose(lang, "zh", "en")


class Bilingual(Protocol):
    """Anything labelled in both languages: an Entity, a Field, a Code, a Label."""

    @property
    def zh(self) -> str: ...

    @property
    def en(self) -> str: ...


def in_language(item: Bilingual, lang: str) -> str:
    """The label of `item` in `lang`."""
    return choose(lang, item.zh, item.en)


def fill(texts: Mapping[str, tuple[str, str]], code: str, lang: str, **params: Any) -> str:
    """The template `code` of a catalogue (code -> (zh_CN, en)) in `lang`, its parameters filled in (Label and
    other Bilingual parameters in `lang`); an unknown code reads as itself, a template missing a parameter as is."""
    zh, en = texts.get(code, (code, code))
    template = choose(lang, zh, en)
    values = {k: (in_language(v, lang) if isinstance(v, Label) else v) for k, v in params.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template


@dataclass(frozen=True, slots=True)
class Label:
    """A text in both languages, used as a message parameter (a field's label, say)."""

    zh: str
    en: str

    def text(self, lang: str = "zh_CN") -> str:
        return in_language(self, lang)


@dataclass(frozen=True, slots=True)
class Problem:
    """One validation problem: which field, which rule (a MESSAGES code), and its parameters."""

    field: str
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    def message(self, lang: str = "zh_CN") -> str:
        return render(self.code, lang, **{"label": self.field, **self.params})

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form; Label parameters become {"zh": .., "en": ..}."""
        params = {k: ({"zh": v.zh, "en": v.en} if isinstance(v, Label) else v) for k, v in self.params.items()}
        return {"field": self.field, "code": self.code, "params": params}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        params = {
            k: (Label(v["zh"], v["en"]) if isinstance(v, dict) and set(v) == {"zh", "en"} else v)
            for k, v in dict(data.get("params") or {}).items()
        }
        return cls(str(data["field"]), str(data["code"]), params)


def render(code: str, lang: str = "zh_CN", **params: Any) -> str:
    """The message for `code` in `lang` (zh* or en), with parameters filled in."""
    return fill(MESSAGES, code, lang, **params)
