"""What the shipped catalog's patterns cost, in RE2 program size (guard.patterns.Pattern.cost): in all,
per provider's link patterns, and for one link behind the host prefilter (guard.detect.link_hosts)."""

from __future__ import annotations

from typing import Any

from guard.catalog import Catalog
from guard.catalog.models import pattern_cost
from guard.detect.link_hosts import LinkHosts, link_cost, shipped_gates
from guard.patterns import compile_pattern


def costs(catalog: Catalog) -> dict[str, Any]:
    hosts = LinkHosts()
    for source, names in shipped_gates().items():
        hosts.add(source, names)
    links: list[tuple[str, str, int]] = []
    excludes: dict[str, int] = {}
    for provider in catalog:
        web = provider.detect.web
        links += [(provider.id, p, compile_pattern(p).cost) for p in (*web.url_patterns, *web.any_host_url_patterns)]
        excludes[provider.id] = sum(compile_pattern(p).cost for p in web.url_excludes)
    shares: dict[str, int] = dict(excludes)
    for provider_id, _source, cost in links:
        shares[provider_id] = shares.get(provider_id, 0) + cost
    all_links = sum(shares.values())
    total = sum(pattern_cost(provider.detect) for provider in catalog)
    per_link = link_cost(links, excludes, hosts)
    return {"all_patterns": total, "link_patterns": all_links, "other_patterns": total - all_links,
            "one_link": per_link, "budget_measure": total - all_links + per_link,
            "link_shares": dict(sorted(((p, c) for p, c in shares.items() if c), key=lambda item: -item[1]))}
