"""`specialist-app match` and `specialist-app search`: the GUI's suggestions and catalog search, scriptable."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from specialist_app.cli.common import entity_label, error, open_current_store, print_json
from specialist_app.cli.texts import text
from specialist_app.matching import engine
from specialist_app.matching.reasons import render
from specialist_app.services import search as search_service
from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store import search_index
from sync.messages import choose
from sync.regions import PROVINCES

if TYPE_CHECKING:
    from specialist_app.cli.common import SubParsers

TARGETS = {"demand": ("achievement", "expert"), "achievement": ("demand",)}


def register(subparsers: SubParsers, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("match", parents=[common],
                              help="suggestions for a demand (achievements, experts) or an achievement (demands)")
    p.add_argument("entity", choices=sorted(TARGETS))
    p.add_argument("id")
    p.add_argument("--target", choices=("achievement", "demand", "expert"), default=None,
                   help="only this kind of suggestion (default: achievements and experts for a demand)")
    p.add_argument("--limit", type=int, default=20, help="suggestions per kind (default 20)")
    p.add_argument("--offset", type=int, default=0, help="skip this many (for the next page)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run_match)
    s = subparsers.add_parser("search", parents=[common], help="the catalog search of the app")
    s.add_argument("query")
    s.add_argument("--entity", action="append", choices=search_index.SEARCH_ENTITIES,
                   help="only this kind of record (repeatable; default: all)")
    s.add_argument("--limit", type=int, default=20)
    s.add_argument("--offset", type=int, default=0)
    s.add_argument("--sort", choices=[v.value for v in search_service.SearchSort], default="relevance")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(run=run_search)


def _suggestion_json(s: engine.Suggestion, lang: str) -> dict[str, Any]:
    return {"entity": s.entity, "id": s.id, "title": s.title, "subtitle": s.subtitle, "score": s.score,
            "digest_province": s.digest_province,  # held only as a digest (another province): its province
            "shared_terms": list(s.shared),
            "reasons": [{"code": r.code, "text": render(r, lang), "effect": round(r.effect, 4),
                         "against": r.against} for r in s.reasons]}


def _digest_mark(s: engine.Suggestion, lang: str) -> str:
    """[摘要 · 北京市] before a suggestion held only as a digest, as the GUI's lists mark it."""
    if s.digest_province is None:
        return ""
    names = PROVINCES.get(s.digest_province)
    return text("match_digest", lang, province=choose(lang, *names) if names else text("another_province", lang))


def run_match(args: argparse.Namespace) -> int:
    lang: str = args.lang
    targets = (args.target,) if args.target else TARGETS[args.entity]
    limit, offset = max(1, args.limit), max(0, args.offset)
    store = open_current_store(args.data_dir)
    try:
        search_service.prepare_index(store)
        results: dict[str, engine.Result] = {}
        with ReadUnitOfWork(store) as read:
            for target in targets:
                try:
                    found = engine.suggest(read.conn, args.entity, args.id, target)
                except ValueError:
                    error(text("match_direction", lang, source=entity_label(args.entity, lang),
                               target=entity_label(target, lang)))
                    return 2
                if found is None:
                    error(text("record_missing", lang, entity=entity_label(args.entity, lang), id=args.id))
                    return 1
                results[target] = found
    finally:
        store.close()
    if args.json:
        print_json({"source": {"entity": args.entity, "id": args.id},
                    "suggestions": {t: {"total": r.candidates, "offset": offset, "items": [
                        _suggestion_json(s, lang) for s in r.suggestions[offset:offset + limit]]}
                        for t, r in results.items()}})
        return 0
    for target, result in results.items():
        print(text("match_header", lang, source=result.source.title, target=entity_label(target, lang),
                   total=result.candidates))
        shown = result.suggestions[offset:offset + limit]
        if not shown:
            print("  " + text("no_suggestions", lang))
        for n, s in enumerate(shown, start=offset + 1):
            print(f"{n:3}. [{s.score:.3f}] {_digest_mark(s, lang)}{s.title}"
                  + (f" — {s.subtitle}" if s.subtitle else ""))
            for r in s.reasons:
                print(f"       {'−' if r.against else '+'} {render(r, lang)}")
    return 0


def run_search(args: argparse.Namespace) -> int:
    lang: str = args.lang
    store = open_current_store(args.data_dir)
    try:
        search_service.prepare_index(store)
        with ReadUnitOfWork(store) as read:
            page = search_service.search(read, args.query, entities=args.entity, sort=args.sort,
                                         limit=args.limit, offset=args.offset)
    finally:
        store.close()
    if args.json:
        print_json({"query": args.query, "total": page.total, "total_capped": page.total_capped,
                    "total_text": page.total_text,
                    "total_by": page.total_by, "suggestion": page.suggestion, "unsearchable": page.unsearchable,
                    "hits": [{"entity": h.entity, "id": h.id, "title": h.title, "subtitle": h.subtitle,
                              "snippet": h.snippet, "score": round(h.score, 4), "by_only": h.by_only}
                             for h in page.hits]})
        return 0
    if page.unsearchable:
        print(text("search_unsearchable", lang, query=args.query))
        return 0
    if page.total_capped:  # more than `total` matches: the split by where they matched is not counted
        print(text("search_totals_capped", lang, total=f"{page.total:,}"))
    else:
        print(text("search_totals", lang, total=page.total, text_hits=page.total_text, by_hits=page.total_by))
    if page.suggestion:
        print(text("search_suggestion", lang, suggestion=page.suggestion))
    for n, h in enumerate(page.hits, start=args.offset + 1):
        by = " *" if h.by_only else ""
        print(f"{n:3}. {entity_label(h.entity, lang)} {h.title}{by}" + (f" — {h.subtitle}" if h.subtitle else ""))
    return 0
