"""Visits to institutions over the 18 months before the reference date, planned visits, and follow-ups."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sync.demo import clock, text
from sync.demo.layout import Layout
from sync.demo.orgs import InstitutionInfo
from sync.demo.rand import IdMaker, rng_for

_PURPOSES = (
    "了解{short}近期科技成果及转化需求", "对接{field}领域企业技术需求", "回访上次走访后续事项落实情况",
    "组织专家开展{field}技术会诊", "宣传技术合同登记及科技成果转化奖补政策", "征集{field}方向可转化成果",
    "邀请参加{field}专场供需对接会", "调研{short}科技成果转化工作机制",
)
_ROOMS = ("会议室", "科技处", "第一会议室", "技术中心", "生产车间", "成果转化办公室", "综合楼")
_INTENTS = (
    "希望通过科技大市场寻找合作企业", "愿意将部分成果以许可方式转化", "对技术经纪服务很感兴趣",
    "近期计划参加路演活动", "希望政府在中试环节给予支持", "需要融资对接服务",
)
_NEXT = (
    "整理成果清单并录入系统", "推荐合适项目参加对接会", "联系意向企业安排实地考察", "协助办理技术合同登记",
    "提供科技成果评价服务信息", "对接金融机构提供融资服务",
)
_ACTIONS = (
    "整理{short}成果清单并录入系统", "协助办理技术合同登记", "推荐{field}项目参加供需对接会",
    "联系相关专家开展技术会诊", "跟进{product}技术转让洽谈", "帮助企业梳理技术需求并发布",
    "提供科技成果评价服务信息", "对接金融机构提供融资服务", "补充成果知识产权证明材料", "安排意向企业实地考察",
)


def short_name(info: InstitutionInfo) -> str:
    return info.name.removesuffix("股份有限公司").removesuffix("有限责任公司").removesuffix("有限公司")


class VisitMaker:
    """Builds visits (and their follow-ups) in yield order."""

    def __init__(self, layout: Layout, seed: int, institutions: list[InstitutionInfo], specialists: list[str],
                 display_names: dict[str, str]) -> None:
        self.layout = layout
        self.rng = rng_for(seed, "visit")
        self.ids = IdMaker(seed, "visit", offset_ms=10_000_000)
        self.follow_up_ids = IdMaker(seed, "follow_up", offset_ms=20_000_000)
        self.institutions = institutions
        self.specialists = specialists
        self.display_names = display_names

    def records(self) -> Iterator[tuple[str, dict[str, Any]]]:
        per_inst: dict[int, int] = {}
        for visit, inst, planned in self.layout.visit_slots():
            info = self.institutions[inst]
            k = per_inst.get(inst, 0)
            per_inst[inst] = k + 1
            if planned:
                yield "visit", self._planned(info)
                continue
            cancelled = self.layout.visit_cancelled(visit)
            record, on = self._past(info, k, self.layout.past_visits_of(inst), cancelled)
            yield "visit", record
            if not cancelled:
                info.done_visits.append(record["id"])
                for _ in range(self.layout.follow_ups_of(visit)):
                    yield "follow_up", self._follow_up(info, record["id"], on)

    def _team(self, info: InstitutionInfo) -> list[str]:
        team = [info.specialist]
        if self.rng.random() < 0.25:
            colleague = self.rng.choice(self.specialists)
            if colleague != info.specialist:
                team.append(colleague)
        return team

    def _purpose(self, info: InstitutionInfo) -> str:
        return self.rng.choice(_PURPOSES).format(short=short_name(info), field=info.domains[0].field)

    def _planned(self, info: InstitutionInfo) -> dict[str, Any]:
        rng = self.rng
        on = clock.day(rng.randint(1, 42))
        return {
            "id": self.ids.next(),
            "institution_id": info.id,
            "specialists": self._team(info),
            "status": "planned",
            "planned_at": clock.local_datetime(on, rng.choice(range(540, 960, 30))),
            "visited_at": None,
            "visit_type": rng.choice(("return", "return", "consultation", "event")) if info.done_visits else "first",
            "people_met": None,
            "contacts_met": None,
            "purpose": self._purpose(info),
            "notes": f"拟重点了解{rng.choice(info.domains[0].objects)}相关成果进展。" if rng.random() < 0.5 else None,
            "next_visit_at": None,
            "location": f"{info.name}{rng.choice(_ROOMS)}",
        }

    def _past(self, info: InstitutionInfo, k: int, n: int, cancelled: bool) -> tuple[dict[str, Any], date]:
        rng = self.rng
        slot = clock.HISTORY_DAYS // n
        on = clock.day(-clock.HISTORY_DAYS + k * slot + rng.randrange(max(1, slot - 1)))
        minutes = rng.choice(range(540, 960, 30))
        planned_at = clock.local_datetime(on, minutes)
        team = self._team(info)
        record: dict[str, Any] = {
            "id": self.ids.next(),
            "institution_id": info.id,
            "specialists": team,
            "status": "cancelled" if cancelled else "done",
            "planned_at": planned_at,
            "visited_at": None,
            "visit_type": "first" if k == 0 else rng.weighted(("return", "consultation", "event"), (70, 15, 15)),
            "people_met": None,
            "contacts_met": None,
            "purpose": self._purpose(info),
            "notes": "因对方临时工作安排调整，本次走访取消，另行约定时间。" if cancelled else None,
            "next_visit_at": None,
            "location": f"{info.name}{rng.choice(_ROOMS)}",
        }
        if cancelled:
            record["next_visit_at"] = clock.local_datetime(clock.add_days(on, rng.randint(7, 21)), minutes)
            return record, on
        met = rng.sample(info.contacts, min(len(info.contacts), rng.randint(1, 3)))
        people = [c.name for c in met]
        if rng.random() < 0.2:
            people.append(rng.choice(("项目负责人", "课题组骨干", "财务负责人", "生产车间主任")))
        record["visited_at"] = clock.local_datetime(on, minutes + rng.choice((0, 0, 10, 20, 30)))
        record["people_met"] = people
        record["contacts_met"] = [c.id for c in met]
        record["notes"] = self._notes(info, team, people)
        if rng.random() < 0.6:
            record["next_visit_at"] = clock.local_datetime(clock.add_days(on, rng.randint(30, 120)), minutes)
        return record, on

    def _notes(self, info: InstitutionInfo, team: list[str], people: list[str]) -> str:
        rng = self.rng
        d = info.domains[0]
        names = "、".join(self.display_names[u] for u in team)
        parts = [
            f"本次走访由{names}与{'、'.join(people)}座谈交流。",
            f"{short_name(info)}介绍了在{d.field}领域的最新进展，重点包括"
            f"“{text.title(rng, d, 'applied')}”“{text.title(rng, d, 'applied')}”等成果。",
            f"双方就{rng.choice(d.objects)}{rng.choice(d.actions)}的产业化前景、{rng.choice(d.pains)}等问题进行了交流。",
            f"对方表示{rng.choice(_INTENTS)}。",
        ]
        if rng.random() < 0.5:
            parts.append(f"现场了解到{rng.choice(d.products)}已完成{rng.choice(('小试', '中试', '样机试制'))}，"
                         f"{rng.choice(('拟寻求合作企业', '技术指标达到预期', '尚需进一步验证'))}。")
        parts.append(f"下一步将{rng.choice(_NEXT)}。")
        return "".join(parts)

    def _follow_up(self, info: InstitutionInfo, visit_id: str, on: date) -> dict[str, Any]:
        rng = self.rng
        due = clock.add_days(on, rng.randint(7, 60))
        owner = self.display_names[info.specialist] if rng.random() < 0.7 or not info.contacts else (
            rng.choice(info.contacts).name)
        action = rng.choice(_ACTIONS).format(
            short=short_name(info), field=info.domains[0].field, product=rng.choice(info.domains[0].products))
        return {
            "id": self.follow_up_ids.next(),
            "visit_id": visit_id,
            "action": action,
            "owner": owner,
            "due_date": due.isoformat(),
            "done": due < clock.REFERENCE_DATE and rng.random() < 0.8,
        }
