"""The entity schemas, defined once for both ends: every field of every syncable record.

Each entity is a flat row. Children (contacts, follow-ups, IP items) are entities of their own with a
reference to their parent, so every row syncs, merges and authorises the same way. `institution_path`
says how a row reaches the institution whose scope governs who may read and write it.
"""

from __future__ import annotations

from sync import codes as C
from sync.entity_model import Entity as Entity
from sync.entity_model import NotBeforeParent as NotBeforeParent
from sync.entity_model import RequiredWhen as RequiredWhen
from sync.entity_model import Writes as Writes
from sync.entity_model import _f
from sync.fields import Kind
from sync.file_types import ALLOWED
from sync.messages import Label

T, LT = Kind.TEXT, Kind.LONGTEXT

_DUPLICATE_FIELDS = (
    # Set by the server when a pushed record looks like one it already holds (sync/duplicates), and by an
    # administrator's decision: the record stays and syncs as before; a confirmed duplicate leaves the catalog lists.
    _f("duplicate_of", T, "疑似重复于", "Possible duplicate of", max_len=36, server_managed=True),
    _f("duplicate_state", Kind.CODE, "重复核对", "Duplicate check", codes=C.DUPLICATE_STATE, server_managed=True),
)

INSTITUTION = Entity(
    "institution", "机构", "Institution",
    (
        _f("name", T, "名称", "Name", required=True, max_len=100, searchable=True, aliases=("机构名称", "单位名称")),
        _f("credit_code", T, "统一社会信用代码", "Unified social credit code", max_len=18, check="credit_code"),
        _f("org_type", Kind.CODE, "机构类型", "Organisation type", required=True, codes=C.ORG_TYPE),
        _f("region_code", T, "行政区划", "Region code", max_len=6, check="region_code"),
        _f("address", T, "地址", "Address", max_len=200),
        _f("website", T, "网址", "Website", max_len=200, check="url"),
        _f("profile", LT, "简介", "Profile", max_len=4000, searchable=True),
        _f("key_technologies", LT, "关键技术", "Key technologies", max_len=2000, searchable=True),
        _f("status", Kind.CODE, "审核状态", "Review status", codes=C.INSTITUTION_STATUS, server_managed=True),
        _f("proposed_by", T, "提议人", "Proposed by", max_len=64, server_managed=True),
        # Why the market rejected a proposal (or returned an achievement): written by the reviewer, synced to the app.
        _f("review_note", T, "审核意见", "Review note", max_len=1000, server_managed=True),
        *_DUPLICATE_FIELDS,
    ),
    institution_path=(),
    in_catalog=True,
    writes=Writes.PROPOSAL,
    listed_status="active",
)

CONTACT = Entity(
    "contact", "联系人", "Contact",
    (
        _f("institution_id", Kind.REF, "所属机构", "Institution", required=True, ref="institution"),
        _f("name", T, "姓名", "Name", required=True, max_len=50),
        _f("position", T, "职务", "Position", max_len=50),
        _f("phone", T, "电话", "Phone", max_len=30, check="phone"),
        _f("email", T, "电子邮箱", "E-mail", max_len=100, check="email"),
        _f("notes", LT, "备注", "Notes", max_len=1000),
    ),
    institution_path=("institution_id",),
    parent_field="institution_id",
)

VISIT = Entity(
    "visit", "走访记录", "Visit",
    (
        _f("institution_id", Kind.REF, "走访机构", "Institution", required=True, ref="institution"),
        _f("specialists", Kind.STRINGS, "走访专员", "Specialists", max_len=200, max_items=20),
        _f("status", Kind.CODE, "走访状态", "Status", required=True, codes=C.VISIT_STATUS),
        _f("planned_at", Kind.DATETIME, "计划时间", "Planned at"),
        _f("visited_at", Kind.DATETIME, "走访时间", "Visited at"),
        _f("visit_type", Kind.CODE, "走访类型", "Visit type", codes=C.VISIT_TYPE),
        _f("people_met", Kind.STRINGS, "接待人员", "People met", max_len=500, max_items=50),
        _f("contacts_met", Kind.REFS, "接待联系人", "Contacts met", ref="contact", max_items=50),
        _f("purpose", T, "走访目的", "Purpose", max_len=200, searchable=True),
        _f("notes", LT, "走访纪要", "Notes", max_len=20000, searchable=True),
        _f("next_visit_at", Kind.DATETIME, "下次走访", "Next visit"),
        _f("location", T, "地点", "Location", max_len=200),
    ),
    institution_path=("institution_id",),
    title_field="purpose",
    children=("follow_up",),
    catalog_importable=False,
    date_order=(("next_visit_at", "visited_at"), ("next_visit_at", "planned_at")),
    rules=(RequiredWhen("visited_at", "status", "done", "visited_needs_date"),),
)

FOLLOW_UP = Entity(
    "follow_up", "后续事项", "Follow-up",
    (
        _f("visit_id", Kind.REF, "所属走访", "Visit", required=True, ref="visit"),
        _f("action", T, "事项", "Action", required=True, max_len=200),
        _f("owner", T, "负责人", "Owner", max_len=50),
        _f("due_date", Kind.DATE, "截止日期", "Due date"),
        _f("done", Kind.BOOL, "已完成", "Done"),
    ),
    institution_path=("visit_id", "institution_id"),
    parent_field="visit_id",
    title_field="action",
    catalog_importable=False,
    not_before_parent=NotBeforeParent("due_date", ("visited_at", "planned_at"), Label("走访日期", "Visit date")),
)

_CONTACT_FIELDS = (
    _f("contact_name", T, "联系人", "Contact person", max_len=50),
    _f("contact_phone", T, "联系电话", "Contact phone", max_len=30, check="phone"),
    _f("contact_email", T, "联系邮箱", "Contact e-mail", max_len=100, check="email"),
)

ACHIEVEMENT = Entity(
    "achievement", "科技成果", "Achievement",
    (
        _f("reg_no", T, "登记号", "Registration no.", max_len=12, check="reg_no"),
        _f("title", T, "成果名称", "Title", required=True, max_len=200, searchable=True, aliases=("项目名称",)),
        _f("institution_id", Kind.REF, "成果权属单位", "Owner institution", ref="institution"),
        _f("completing_units", Kind.STRINGS, "完成单位", "Completing units", max_len=500, max_items=50),
        _f("inventors", Kind.STRINGS, "主要完成人", "Inventors", max_len=500, searchable=True, max_items=100),
        _f("keywords", Kind.STRINGS, "关键词", "Keywords", max_len=200, searchable=True, max_items=30),
        _f("category", Kind.CODE, "成果类别", "Category", codes=C.ACHIEVEMENT_CATEGORY),
        _f("attribute", Kind.CODE, "成果属性", "Attribute", codes=C.ACHIEVEMENT_ATTRIBUTE),
        _f("stage", Kind.CODE, "所处阶段", "Stage", codes=C.ACHIEVEMENT_STAGE),
        _f("trl", Kind.INT, "技术就绪水平", "TRL", min=1, max=9, codes=C.TRL),
        _f("domain", T, "应用领域", "Application domain", max_len=100, searchable=True),
        _f("industry", T, "国民经济行业", "Industry (GB/T 4754)", max_len=100),
        _f("strategic_industry", T, "战略性新兴产业", "Strategic emerging industry", max_len=100),
        _f("summary", LT, "成果简介", "Summary", max_len=5000, searchable=True),
        _f("indicators", LT, "技术指标", "Technical indicators", max_len=5000, can_be_confidential=True),
        _f("advantages", LT, "竞争优势", "Competitive advantages", max_len=3000, can_be_confidential=True),
        _f("transfer_modes", Kind.CODES, "转化方式", "Transfer modes", codes=C.TRANSFER_MODE, max_items=20),
        _f("price_mode", Kind.CODE, "价格方式", "Price mode", codes=C.PRICE_MODE),
        _f("price", Kind.MONEY, "价格（万元）", "Price (10k CNY)", can_be_confidential=True),
        *(_fld for _fld in _CONTACT_FIELDS),
        _f("confidential_fields", Kind.FIELDNAMES, "保密字段", "Confidential fields", max_items=50),
        _f("review_status", Kind.CODE, "审核状态", "Review status", codes=C.REVIEW_STATUS,
           admin_values=("approved", "returned")),
        _f("source_visit_id", Kind.REF, "来源走访", "Source visit", ref="visit"),
        _f("collected_by", T, "采集人", "Collected by", max_len=64, server_managed=True),
        _f("review_note", T, "审核意见", "Review note", max_len=1000, server_managed=True),
        *_DUPLICATE_FIELDS,
    ),
    institution_path=("institution_id",),
    in_catalog=True,
    title_field="title",
    children=("ip_item",),
    stamps_collector=True,
    rules=(RequiredWhen("price", "price_mode", "fixed", "price_needs_value"),),
)

IP_ITEM = Entity(
    "ip_item", "知识产权", "IP item",
    (
        _f("achievement_id", Kind.REF, "所属成果", "Achievement", required=True, ref="achievement"),
        _f("kind", Kind.CODE, "类型", "Kind", required=True, codes=C.IP_KIND),
        _f("number", T, "编号", "Number", max_len=50),
        _f("title", T, "名称", "Title", max_len=200),
        _f("status", Kind.CODE, "法律状态", "Legal status", codes=C.IP_STATUS),
        _f("filed_on", Kind.DATE, "申请日", "Filed on"),
        _f("granted_on", Kind.DATE, "授权日", "Granted on"),
    ),
    institution_path=("achievement_id", "institution_id"),
    parent_field="achievement_id",
    in_catalog=True,
    title_field="number",
    date_order=(("granted_on", "filed_on"),),
)

DEMAND = Entity(
    "demand", "企业技术需求", "Technology demand",
    (
        _f("title", T, "需求名称", "Title", required=True, max_len=200, searchable=True),
        _f("institution_id", Kind.REF, "需求企业", "Enterprise", required=True, ref="institution"),
        _f("demand_type", Kind.CODE, "需求类型", "Demand type", required=True, codes=C.DEMAND_TYPE),
        _f("problem", LT, "存在问题", "Problem", max_len=5000, searchable=True),
        _f("key_tech", LT, "关键技术", "Key technology", max_len=2000, searchable=True),
        _f("indicators", LT, "技术指标", "Technical indicators", max_len=3000, can_be_confidential=True),
        _f("goal", LT, "预期目标", "Expected goal", max_len=3000),
        _f("keywords", Kind.STRINGS, "关键词", "Keywords", max_len=200, searchable=True, max_items=30),
        _f("industry", T, "所属行业", "Industry", max_len=100),
        _f("budget", Kind.MONEY, "拟投入资金（万元）", "Budget (10k CNY)", can_be_confidential=True),
        _f("coop_modes", Kind.CODES, "合作方式", "Cooperation modes", codes=C.COOP_MODE, max_items=20),
        _f("intended_partner", T, "意向合作方", "Intended partner", max_len=200),
        _f("valid_until", Kind.DATE, "有效期至", "Valid until"),
        _f("confidentiality", Kind.CODE, "保密要求", "Confidentiality", codes=C.CONFIDENTIALITY),
        *(_fld for _fld in _CONTACT_FIELDS),
        _f("confidential_fields", Kind.FIELDNAMES, "保密字段", "Confidential fields", max_items=50),
        _f("status", Kind.CODE, "需求状态", "Status", required=True, codes=C.DEMAND_STATUS, default="open"),
        _f("source_visit_id", Kind.REF, "来源走访", "Source visit", ref="visit"),
        _f("collected_by", T, "采集人", "Collected by", max_len=64, server_managed=True),
        *_DUPLICATE_FIELDS,
    ),
    institution_path=("institution_id",),
    in_catalog=True,
    title_field="title",
    stamps_collector=True,
)

EXPERT = Entity(
    "expert", "专家", "Expert",
    (
        _f("name", T, "姓名", "Name", required=True, max_len=50, searchable=True),
        _f("title", T, "职称", "Title", max_len=50),
        _f("unit", T, "单位", "Unit", max_len=100, searchable=True),
        _f("discipline", T, "学科", "Discipline", max_len=100, searchable=True),
        _f("specialties", LT, "专长", "Specialties", max_len=2000, searchable=True),
        _f("industry", T, "行业", "Industry", max_len=100),
        _f("phone", T, "电话", "Phone", max_len=30, check="phone"),
        _f("email", T, "电子邮箱", "E-mail", max_len=100, check="email"),
        *_DUPLICATE_FIELDS,
    ),
    institution_path=None,
    in_catalog=True,
    writes=Writes.ADMIN,
)

# 对接记录: a demand matched with an achievement and/or an expert, from the suggestion to the registered contract.
# Governed by the demand's institution (the enterprise that stated the need) and by the achievement's (the
# university or institute offering it): the specialists of both pull it and write it.
MATCH = Entity(
    "match_record", "对接记录", "Match record",
    (
        _f("demand_id", Kind.REF, "技术需求", "Demand", required=True, ref="demand", ref_catalog=True),
        _f("achievement_id", Kind.REF, "科技成果", "Achievement", ref="achievement", ref_catalog=True),
        _f("expert_id", Kind.REF, "专家", "Expert", ref="expert", ref_catalog=True),
        _f("source", Kind.CODE, "推荐来源", "Suggested by", required=True, codes=C.MATCH_SOURCE),
        _f("event_name", T, "对接活动名称", "Event", max_len=200),
        _f("stage", Kind.CODE, "对接阶段", "Stage", required=True, codes=C.MATCH_STAGE),
        _f("terminated_reason", T, "终止原因", "Reason for termination", max_len=500),
        _f("recommended_on", Kind.DATE, "推荐日期", "Recommended on"),
        _f("negotiated_on", Kind.DATE, "洽谈日期", "Negotiations began"),
        _f("signed_on", Kind.DATE, "签约日期", "Signed on"),
        _f("registered_on", Kind.DATE, "合同登记日期", "Contract registered on"),
        _f("contract_amount", Kind.MONEY, "合同金额（万元）", "Contract amount (10k CNY)", can_be_confidential=True),
        _f("notes", LT, "备注", "Notes", max_len=5000),
        _f("confidential_fields", Kind.FIELDNAMES, "保密字段", "Confidential fields", max_items=50),
    ),
    institution_path=("demand_id", "institution_id"),
    second_institution_path=("achievement_id", "institution_id"),
    parent_field="demand_id",
    title_field="event_name",
    date_order=(("negotiated_on", "recommended_on"), ("signed_on", "negotiated_on"),
                ("registered_on", "signed_on")),
    rules=(RequiredWhen("terminated_reason", "stage", "terminated", "terminated_needs_reason"),),
)

ATTACHMENT = Entity(
    "attachment", "附件", "Attachment",
    (
        _f("owner_entity", Kind.CODE, "所属类型", "Attached to", required=True, codes=C.ATTACHMENT_OWNER),
        _f("owner_id", Kind.REF, "所属记录", "Owner record", required=True),
        _f("filename", T, "文件名", "File name", required=True, max_len=255),
        _f("mime_type", T, "文件类型", "File type", required=True, max_len=100),
        _f("size", Kind.INT, "大小（字节）", "Size (bytes)", required=True, min=0),
        _f("sha256", T, "校验值", "SHA-256", required=True, max_len=64),
        _f("caption", T, "说明", "Caption", max_len=200),
        _f("taken_at", Kind.DATETIME, "拍摄/生成时间", "Taken at"),
    ),
    institution_path=("owner_id", "institution_id"),
    parent_field="owner_id",
    owner_field="owner_entity",
    holds_file=True,
    importable=False,
    catalog_importable=False,
    title_field="filename",
)

# A note to the market proposing a correction of a record the user may not change (sync.permissions): it names the
# record and says what is wrong; administrators read it in the web console and close it (a tombstone).
CORRECTION = Entity(
    "correction", "更正建议", "Correction proposal",
    (
        _f("target_entity", Kind.CODE, "更正对象", "Record to correct", required=True, codes=C.CORRECTION_TARGET),
        _f("target_id", Kind.REF, "更正的记录", "Record", required=True),
        _f("note", LT, "建议更正的内容", "What should be corrected", required=True, max_len=2000),
    ),
    institution_path=None,
    title_field="note",
    writes=Writes.NOTE,
    importable=False,
    catalog_importable=False,
)

ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in (INSTITUTION, CONTACT, VISIT, FOLLOW_UP, ACHIEVEMENT, IP_ITEM, DEMAND, EXPERT, MATCH, ATTACHMENT,
              CORRECTION)
}

# Order in which entities are applied so parents exist before children (creates) and vice versa (deletes).
DEPENDENCY_ORDER: tuple[str, ...] = (
    "institution", "contact", "expert", "visit", "follow_up", "achievement", "ip_item", "demand", "match_record",
    "attachment", "correction",
)

# Attachment types accepted (both ends): the allow-list in sync.file_types; the size limit per file.
ATTACHMENT_MIME_TYPES: frozenset[str] = frozenset(ALLOWED)
ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024


def entity(name: str) -> Entity:
    return ENTITIES[name]
