"""对接记录 of the demo: some demands matched with an achievement and/or an expert, at every stage."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any

from sync.demo import clock
from sync.demo.rand import IdMaker, rng_for

MATCH_EVERY = 3  # one match record for every third demand
_STAGES = ("recommended", "negotiating", "signed", "registered", "terminated")
_SOURCES = ("algorithm", "specialist", "event")
_EVENTS = ("2026吉林省科技成果转化对接会", "长春新区技术需求发布会", "农业科技成果路演（公主岭）")
_REASONS = ("企业资金计划调整，暂缓合作", "技术指标未达到企业要求", "双方在知识产权归属上未达成一致")
_NOTES = ("双方已互派技术人员现场交流", "企业希望先做小批量试制", "等待企业董事会审议", "已提交技术合同登记材料")


def match_records(seed: int, demands: Sequence[str], achievements: Sequence[str],
                  experts: Sequence[str]) -> Iterator[dict[str, Any]]:
    """One record for every MATCH_EVERY-th demand; stage, source and partners cycle so every value appears."""
    rng = rng_for(seed, "match_record")
    ids = IdMaker(seed, "match_record", spread_days=365, spread_end_ms=clock.REFERENCE_MS)
    for n, demand in enumerate(demands[::MATCH_EVERY]):
        stage, source = _STAGES[n % len(_STAGES)], _SOURCES[n % len(_SOURCES)]
        reached = _STAGES.index(stage) if stage != "terminated" else 1 + n % 2
        recommended = clock.day(-rng.randint(60, 400))
        days = [recommended]
        for _ in range(3):
            days.append(days[-1] + timedelta(days=rng.randint(7, 60)))
        signed = stage in ("signed", "registered")
        yield {
            "id": ids.next(),
            "demand_id": demand,
            "achievement_id": rng.choice(achievements) if achievements and n % 4 != 3 else None,
            "expert_id": rng.choice(experts) if experts and (n % 2 == 1 or n % 4 == 3) else None,
            "source": source,
            "event_name": _EVENTS[n % len(_EVENTS)] if source == "event" else None,
            "stage": stage,
            "terminated_reason": _REASONS[n % len(_REASONS)] if stage == "terminated" else None,
            "recommended_on": recommended.isoformat(),
            "negotiated_on": days[1].isoformat() if reached >= 1 else None,
            "signed_on": days[2].isoformat() if reached >= 2 else None,
            "registered_on": days[3].isoformat() if reached >= 3 else None,
            "contract_amount": float(rng.randint(5, 300)) if signed else None,
            "notes": _NOTES[n % len(_NOTES)] if n % 3 != 2 else None,
            "confidential_fields": ["contract_amount"] if stage == "registered" else None,
        }
