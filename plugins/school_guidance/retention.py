"""How long school guidance keeps personal data (applied by the core's purge).

Two years after a guidance talk, it loses its person link and its free-text question and
next step; day, language, age group, school type and referrals stay for the counts.
Parents' evenings hold counts only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_

from intranet.plugin import (
    RetentionRule,
    anonymise_or_count,
    hookimpl,
    local_day,
    plugin_domain,
)

from .models import Talk

NAME = "school_guidance"

_l = plugin_domain(NAME, __file__).lazy_gettext


def _talks(cutoff: datetime, dry_run: bool) -> int:
    due = (Talk.day < local_day(cutoff),
           or_(Talk.person_id.is_not(None), Talk.question != "", Talk.next_step != ""))
    return anonymise_or_count(Talk, due, {"person_id": None, "question": "", "next_step": ""},
                              dry_run)


@hookimpl
def retention_rules() -> list[RetentionRule]:
    return [RetentionRule(key=f"{NAME}.talks", days=2 * 365, order=40, apply=_talks,
                          label=_l("Guidance talks (person link and notes removed)"))]
