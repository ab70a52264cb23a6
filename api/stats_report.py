"""Turn the daily counters into the tables the privacy office sees, with small numbers suppressed.

The release
-----------
Every stored counter is a cell ``(period, platform, measure)`` at three levels of time: UTC day,
ISO week (Monday to Sunday, ``2025-W09``) and calendar month (``2025-03``), for each platform and
for ``all`` platforms. Measures: ``checks``, ``warned_posts``, ``category:<c>`` (posts warned for
c), ``type:<c>:<t>:<s>``, ``event:<e>``, ``event:<e>:<c>``, ``outcomes`` (edited + cancelled +
posted anyway) and ``outcomes:<c>``, and ``unrecorded`` (records lost in a store outage).

Suppression (k = ``STATS_MIN_COUNT``, default 5)
------------------------------------------------
1. Primary: a cell whose count is below k — zero included, so "<5" never tells that someone was
   there — is published as the string ``"<k"`` (e.g. ``"<5"``).
2. Complementary: the cells form *lines*: cells that add up to, or at least to, a published total:
   the platforms of a cell add up to its ``all``; the days of a week, and the days of a month, add
   up to the week and the month; the categories of a period and platform add up (at least) to its
   warned posts, a category's types (at least) to the category; edited + cancelled + posted anyway
   to the outcomes, per category too; an event's categories (at least) to the event. In every line
   whose total is published, the suppressed non-zero cells must be either none, or at least two
   that add up to k or more. Until that holds, the smallest published cell of the line is hidden
   too (published as ``"hidden"``), or the total itself if no cell is left. Hiding a cell re-checks
   every line it belongs to, until nothing changes (the hypercube heuristic of statistical
   disclosure control, with lines that only add up "at least" treated as if exact, which is
   conservative).
3. The suppression pattern is computed once over every retained day, whatever was asked, so a
   day, its week and its month, a platform and ``all``, and any two date ranges always come from the
   same protected release: there are no totals over an arbitrary range to subtract. The
   ``summary`` of a response only adds up cells it shows, so it reveals nothing the periods don't.
4. A share (revised or cancelled / outcomes) is given only when both of its counts are shown.

A lost record only ever makes counts smaller; counters never hold anything but counts.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from api.schemas import PLATFORMS
from api.stats_store import EVENTS, OUTCOME_EVENTS, UNRECORDED
from nlp.policy import CATEGORIES

ALL = "all"
GROUPS = ("day", "week", "month")
HIDDEN = "hidden"

Cell = tuple[str, str, str]  # (period label, platform or "all", measure)
Count = int | str


def period_label(day: date, group_by: str) -> str:
    """Return the label of the day, ISO week or month that ``day`` falls in."""
    if group_by == "day":
        return day.isoformat()
    if group_by == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day.year}-{day.month:02d}"


def period_bounds(day: date, group_by: str) -> tuple[date, date]:
    """Return the first and last day of the period that ``day`` falls in."""
    if group_by == "day":
        return day, day
    if group_by == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


def periods(first: date, last: date, group_by: str) -> list[tuple[str, date, date]]:
    """Return the whole periods covering ``first`` to ``last``: (label, start, end)."""
    result = []
    day = period_bounds(first, group_by)[0]
    while day <= last:
        start, end = period_bounds(day, group_by)
        result.append((period_label(day, group_by), start, end))
        day = end + timedelta(days=1)
    return result


def _derived(measure: str) -> tuple[str, ...]:
    """Return the measures computed from a stored one (the outcomes totals)."""
    parts = measure.split(":")
    if parts[0] == "event" and parts[1] in OUTCOME_EVENTS:
        return ("outcomes",) if len(parts) == 2 else (f"outcomes:{parts[2]}",)
    return ()


def _known(measure: str) -> bool:
    """Return whether a stored measure is one this release publishes (others are ignored)."""
    parts = measure.split(":")
    if measure in ("checks", "warned_posts"):
        return True
    if parts[0] == "category":
        return len(parts) == 2 and parts[1] in CATEGORIES
    if parts[0] == "type":
        return len(parts) == 4 and parts[1] in CATEGORIES
    if parts[0] == "event":
        return parts[1] in EVENTS and (len(parts) == 2 or (len(parts) == 3 and parts[2] in CATEGORIES))
    return False


#: A line: the ids of cells that add up (or at least add up) to the cell whose id comes last.
Line = tuple[tuple[int, ...], int]


def _parse(name: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """Return the platforms and measures a stored counter adds to, or None to ignore it."""
    if name == UNRECORDED:
        return (ALL,), ("unrecorded",)
    platform, _, measure = name.partition("|")
    if platform not in PLATFORMS or not _known(measure):
        return None
    return (platform, ALL), (measure, *_derived(measure))


def build_cube(daily: Mapping[date, Mapping[str, int]]) -> dict[Cell, int]:
    """Return every non-zero cell at day, week and month level, per platform and for all.

    Days and counters are taken in sorted order, so the same counters always give the same cube,
    in the same order, and so the same suppression.
    """
    cube: dict[Cell, int] = defaultdict(int)
    parsed: dict[str, tuple[tuple[str, ...], tuple[str, ...]] | None] = {}
    for day in sorted(daily):
        label = day.isoformat()
        counters = daily[day]
        for name in sorted(counters):
            amount = counters[name]
            if amount <= 0:
                continue
            if name not in parsed:
                parsed[name] = _parse(name)
            spec = parsed[name]
            if spec is None:
                continue
            for target in spec[0]:
                for measure in spec[1]:
                    cube[(label, target, measure)] += amount
    above: dict[Cell, int] = defaultdict(int)
    periods_of = {d.isoformat(): (period_label(d, "week"), period_label(d, "month")) for d in daily}
    for (label, platform, measure), amount in cube.items():
        week, month = periods_of[label]
        above[(week, platform, measure)] += amount
        above[(month, platform, measure)] += amount
    cube.update(above)
    return dict(cube)


def build_lines(cube: Mapping[Cell, int]) -> list[Line]:
    """Return every line of the release (see the module docstring), as ids: positions in ``cube``."""
    ids = {cell: n for n, cell in enumerate(cube)}
    lines: list[Line] = []
    by_measure: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_slice: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_period: dict[Cell, list[int]] = defaultdict(list)
    week_month: dict[str, tuple[str, str]] = {}
    for cell, n in ids.items():
        label, platform, measure = cell
        by_slice[(label, platform)].add(measure)
        if platform != ALL:
            by_measure[(label, measure)].append(n)
        if len(label) == 10:  # a day: it adds up to its week and its month
            if label not in week_month:
                day = date.fromisoformat(label)
                week_month[label] = (period_label(day, "week"), period_label(day, "month"))
            for period in week_month[label]:
                by_period[(period, platform, measure)].append(n)

    # Platforms add up to "all".
    for (label, measure), members in by_measure.items():
        lines.append((tuple(members), ids[(label, ALL, measure)]))

    # Within one period and platform: categories, types, outcomes, event categories.
    for (label, platform), present in by_slice.items():
        groups: list[tuple[Iterable[str], str]] = [
            ([f"category:{c}" for c in CATEGORIES], "warned_posts"),
            ([f"event:{e}" for e in OUTCOME_EVENTS], "outcomes"),
        ]
        types: dict[str, list[str]] = defaultdict(list)
        for measure in sorted(present):
            if measure.startswith("type:"):
                types[measure.split(":", 2)[1]].append(measure)
        groups.extend((names, f"category:{category}") for category, names in types.items())
        if any(m.startswith("event:") for m in present):
            for category in CATEGORIES:
                groups.append(([f"event:{e}:{category}" for e in OUTCOME_EVENTS], f"outcomes:{category}"))
            for event in EVENTS:
                groups.append(([f"event:{event}:{c}" for c in CATEGORIES], f"event:{event}"))
        for names, total_measure in groups:
            slice_members = tuple(ids[(label, platform, m)] for m in names if m in present)
            if slice_members and total_measure in present:
                lines.append((slice_members, ids[(label, platform, total_measure)]))

    # Days add up to their week and to their month.
    for total, days in by_period.items():
        lines.append((tuple(days), ids[total]))
    return lines


def protect(cube: Mapping[Cell, int], lines: list[Line], k: int) -> set[Cell]:
    """Return the cells to hide besides those below k, so that no small cell can be worked out."""
    cells = list(cube)
    counts = list(cube.values())
    masked = bytearray(count < k for count in counts)  # grows as cells are hidden
    hidden: list[int] = []
    # Only cells of k or more can be hidden, so only their lines need finding again.
    member_of: dict[int, list[int]] = defaultdict(list)
    queue: deque[int] = deque()
    for index, (members, total) in enumerate(lines):
        if masked[total]:
            continue  # a total below k hides its line, and stays hidden
        member_of[total].append(index)
        for cell in members:
            if not masked[cell]:
                member_of[cell].append(index)
        queue.append(index)
    queued = set(queue)
    while queue:
        index = queue.popleft()
        queued.discard(index)
        members, total = lines[index]
        while not masked[total]:
            small = [counts[c] for c in members if masked[c]]
            if not small or (len(small) >= 2 and sum(small) >= k):
                break
            candidates = [c for c in members if not masked[c]]
            target = min(candidates, key=lambda c: (counts[c], cells[c])) if candidates else total
            masked[target] = 1
            hidden.append(target)
            for other in member_of[target]:
                if other not in queued:
                    queue.append(other)
                    queued.add(other)
    return {cells[n] for n in hidden}


class Release:
    """Every retained counter, protected once, ready to be sliced by date, grouping and platform."""

    def __init__(self, daily: Mapping[date, Mapping[str, int]], k: int) -> None:
        self.k = k
        self.cube = build_cube(daily)
        self.hidden = protect(self.cube, build_lines(self.cube), k) if k > 1 else set()
        self.below = f"<{k}"
        self.types: dict[tuple[str, str], list[str]] = defaultdict(list)
        for label, platform, measure in self.cube:
            if measure.startswith("type:"):
                self.types[(label, platform)].append(measure)

    def value(self, cell: Cell) -> Count:
        """Return a cell as published: its count, ``"<k"`` or ``"hidden"``."""
        count = self.cube.get(cell, 0)
        if count < self.k:
            return self.below if self.k > 1 else count
        return HIDDEN if cell in self.hidden else count

    def _outcomes(self, label: str, platform: str, suffix: str = "") -> dict[str, Any]:
        block: dict[str, Any] = {e: self.value((label, platform, f"event:{e}{suffix}")) for e in EVENTS}
        block["total"] = self.value((label, platform, f"outcomes{suffix}"))
        block["revised_or_cancelled_share"] = share(block["total"], block["posted_anyway"])
        return block

    def period(self, label: str, start: date, end: date, platform: str) -> dict[str, Any]:
        """Return the published tables of one period for one platform (or ``all``)."""
        at = (label, platform)
        result: dict[str, Any] = {
            "period": label,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "checks": self.value((*at, "checks")),
            "warned_posts": self.value((*at, "warned_posts")),
            "categories": {c: self.value((*at, f"category:{c}")) for c in CATEGORIES},
        }
        types = []
        for measure in self.types.get(at, ()):
            count = self.value((*at, measure))
            if isinstance(count, int):  # listing only shown kinds reveals nothing about the rest
                _, category, type_, severity = measure.split(":")
                types.append({"category": category, "type": type_, "severity": severity, "posts": count})
        result["types"] = sorted(types, key=lambda t: (-t["posts"], t["category"], t["type"], t["severity"]))
        if platform == ALL:
            result["platforms"] = {
                p: {
                    "checks": self.value((label, p, "checks")),
                    "warned_posts": self.value((label, p, "warned_posts")),
                }
                for p in PLATFORMS
            }
        result["outcomes"] = self._outcomes(label, platform)
        result["outcomes_by_category"] = {c: self._outcomes(label, platform, f":{c}") for c in CATEGORIES}
        if platform == ALL:
            result["unrecorded"] = self.value((label, ALL, "unrecorded"))
        return result

    def report(self, first: date, last: date, group_by: str, platform: str | None) -> dict[str, Any]:
        """Return the whole periods covering ``first`` to ``last``, and a summary of what they show."""
        spans = periods(first, last, group_by)
        rows = [self.period(label, start, end, platform or ALL) for label, start, end in spans]
        return {
            "from": spans[0][1].isoformat(),
            "to": spans[-1][2].isoformat(),
            "group_by": group_by,
            "platform": platform,
            "min_count": self.k,
            "legend": {
                self.below: f"fewer than {self.k}, possibly none",
                HIDDEN: f"hidden so that a '{self.below}' cell cannot be worked out from a total",
            },
            "summary": summarise(rows),
            "periods": rows,
        }


def share(total: Count, posted_anyway: Count) -> float | None:
    """Return the share of outcomes that were revised or cancelled, when both counts are shown."""
    if isinstance(total, int) and isinstance(posted_anyway, int) and total > 0:
        return round((total - posted_anyway) / total, 3)
    return None


def _shown(value: Count) -> int:
    return value if isinstance(value, int) else 0


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the sums of the cells the periods show ('<k' and hidden cells add nothing)."""
    summary: dict[str, Any] = {
        "checks": sum(_shown(r["checks"]) for r in rows),
        "warned_posts": sum(_shown(r["warned_posts"]) for r in rows),
        "categories": {c: sum(_shown(r["categories"][c]) for r in rows) for c in CATEGORIES},
    }
    if rows and "platforms" in rows[0]:
        summary["platforms"] = {
            p: {m: sum(_shown(r["platforms"][p][m]) for r in rows) for m in ("checks", "warned_posts")}
            for p in PLATFORMS
        }
    outcomes: dict[str, Any] = {e: sum(_shown(r["outcomes"][e]) for r in rows) for e in EVENTS}
    # The share only from periods that show both of its counts, so it is as safe as they are.
    both = [r["outcomes"] for r in rows if r["outcomes"]["revised_or_cancelled_share"] is not None]
    total = sum(o["total"] for o in both)
    posted = sum(o["posted_anyway"] for o in both)
    outcomes["revised_or_cancelled_share"] = share(total, posted) if both else None
    outcomes["share_based_on"] = total
    outcomes["revised_or_cancelled"] = total - posted
    summary["outcomes"] = outcomes
    return summary


CSV_COLUMNS = (
    "period",
    "start",
    "end",
    "platform",
    "measure",
    "category",
    "type",
    "severity",
    "event",
    "value",
)


def csv_rows(report: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    """Yield one CSV row per published cell of a report (long format, easy to pivot)."""
    for row in report["periods"]:
        base = {
            "period": row["period"],
            "start": row["start"],
            "end": row["end"],
            "platform": report["platform"] or ALL,
        }
        yield {**base, "measure": "checks", "value": row["checks"]}
        yield {**base, "measure": "warned_posts", "value": row["warned_posts"]}
        for category, value in row["categories"].items():
            yield {**base, "measure": "warned_posts_by_category", "category": category, "value": value}
        for item in row["types"]:
            yield {
                **base,
                "measure": "warned_posts_by_type",
                **{k: item[k] for k in ("category", "type", "severity")},
                "value": item["posts"],
            }
        for platform, counts in row.get("platforms", {}).items():
            for measure, value in counts.items():
                yield {**base, "platform": platform, "measure": measure, "value": value}
        for category, block in (("", row["outcomes"]), *row["outcomes_by_category"].items()):
            for event in (*EVENTS, "total"):
                measure = "events" if event != "total" else "outcomes_total"
                yield {
                    **base,
                    "measure": measure,
                    "category": category,
                    "event": "" if event == "total" else event,
                    "value": block[event],
                }
        if "unrecorded" in row:
            yield {**base, "measure": "unrecorded", "value": row["unrecorded"]}


def to_csv(report: Mapping[str, Any]) -> str:
    """Return a report as CSV text."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, restval="", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(csv_rows(report))
    return out.getvalue()
