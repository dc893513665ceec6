"""Generate the synthetic evaluation set (survey, interviews, requirements, KPIs, costs, incidents).

    python examples/evaluation/generate.py            # rewrites both copies below
    python examples/evaluation/generate.py --check    # exit 1 when a committed file differs

The same bytes go to `crmsec/evaluation/demo_inputs/` (package data: `crmsec demo` reads it from an
installed wheel) and `examples/evaluation/` (for `--inputs examples/evaluation`). Everything is synthetic
and seeded (SEED), so the output is reproducible byte for byte. The survey has 500 respondents, about 40%
of whom find the system complex and about 30% worry about data security, with comments in English and
Chinese, plus 30 interview notes summarised as comment-only rows and two deliberately unusable rows.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

SEED = 20260101
ROOT = Path(__file__).resolve().parent.parent.parent
DESTINATIONS = (ROOT / "crmsec" / "evaluation" / "demo_inputs", ROOT / "examples" / "evaluation")
RESPONDENTS = 500
INTERVIEWS = 30

ROLES = ("sales rep", "sales manager", "service agent", "marketing", "operations", "executive")
DEPARTMENTS = ("Sales East", "Sales West", "Customer Service", "Marketing", "Operations", "Management")
PHRASES: dict[str, tuple[tuple[str, ...], tuple[str, ...], float]] = {
    # theme: (English phrases, Chinese phrases, share of respondents)
    "complexity": (("The screens are too complex for daily work.", "Creating a quote is complicated.",
                    "Too many clicks to log a call."),
                   ("系统太复杂，很多功能找不到。", "录入商机的流程很繁琐。"), 0.40),
    "security": (("I worry about the security of customer data.", "Not sure who can see our customer data, "
                  "privacy is a concern."), ("担心客户数据的安全。", "客户信息会不会泄露？"), 0.30),
    "training": (("More training would help.", "The onboarding documentation is thin."),
                 ("希望有更多培训。", "缺少操作教程。"), 0.15),
    "performance": (("Reports are slow to load.", "Search is slow in the afternoon."),
                    ("报表加载很慢。", "下午系统很卡顿。"), 0.12),
    "mobile": (("The mobile app is missing key features.",), ("手机上用起来不方便。",), 0.10),
    "positive": (("Pipeline view is really useful.", "It saves time when preparing meetings."),
                 ("客户信息集中，很方便。", "提高效率了。"), 0.25),
}  # fmt: skip
INTERVIEW_NOTES = (
    "Interview summary: the team finds opportunity entry complex; wants training on reports.",
    "Interview summary: worries about data security when exporting contacts; asks for clearer permissions.",
    "访谈纪要：销售团队认为系统复杂，需要更多培训。",
    "访谈纪要：担心客户数据安全，希望限制导出。",
    "Interview summary: service agents like the case queue but say search is slow.",
    "访谈纪要：移动端功能不足，外勤人员不方便。",
)


def survey(generator: random.Random) -> str:
    """survey.csv: 500 scored respondents, 30 interview rows, two unusable rows."""
    lines = [f"# Synthetic survey (crmsec examples/evaluation/generate.py, seed {SEED})",
             "respondent_id,role,department,channel," + ",".join(f"sus_{n}" for n in range(1, 11))
             + ",csat,nps,comment"]  # fmt: skip
    for index in range(1, RESPONDENTS + 1):
        themes = [theme for theme, (_, _, share) in PHRASES.items() if generator.random() < share]
        lines.append(_respondent_row(generator, f"R-{index:04d}", themes))
        if index == 120:
            lines.append("R-0120b,sales rep,Sales East,survey,4,2,4,2,4,2,4,2,4,2,7,9,")  # csat out of range
        if index == 340:
            lines.append("R-0340b,service agent,Customer Service,survey,4,2,,2,4,2,4,2,4,2,4,8,")  # SUS item blank
    for index in range(1, INTERVIEWS + 1):
        note = INTERVIEW_NOTES[(index - 1) % len(INTERVIEW_NOTES)]
        role = generator.choice(ROLES)
        lines.append(f"I-{index:02d},{role},{generator.choice(DEPARTMENTS)},interview,,,,,,,,,,,,,{_quote(note)}")
    return "\n".join(lines) + "\n"


def _respondent_row(generator: random.Random, identifier: str, themes: list[str]) -> str:
    ease = generator.gauss(0.0, 1.0) - (0.8 if "complexity" in themes else 0.0) + (0.6 if "positive" in themes else 0)
    sus = []
    for item in range(10):
        base, lean = (3.9, ease) if item % 2 == 0 else (2.4, -ease)  # odd items positive, even items negative
        sus.append(min(5, max(1, round(base + 0.9 * lean + generator.gauss(0, 0.7)))))
    csat = min(5, max(1, round(3.9 + 0.8 * ease + generator.gauss(0, 0.6))))
    nps = min(10, max(0, round(8.0 + 1.6 * ease + generator.gauss(0, 1.2))))
    chinese = generator.random() < 0.5
    parts = [generator.choice(PHRASES[theme][1 if chinese else 0]) for theme in themes]
    comment = ("" if chinese else " ").join(parts) if parts else ("还可以。" if chinese else "OK overall.")
    role, department = generator.choice(ROLES), generator.choice(DEPARTMENTS)
    answers = ",".join(str(answer) for answer in sus)
    return f"{identifier},{role},{department},survey,{answers},{csat},{nps},{_quote(comment)}"


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


REQUIREMENTS = """\
# Required capabilities of the CRM (synthetic). Detection: object / field (in schema.objects),
# evidence + path (+ equals), or a manual verdict. Priorities: must, should, could.
requirements:
  - {id: REQ-01, title: Account management, priority: must, detect: {object: Account}}
  - {id: REQ-02, title: Contact management in use, priority: must, detect: {object: Contact, min_records: 1}}
  - {id: REQ-03, title: Contact email on record, priority: must, detect: {field: Contact.Email}}
  - {id: REQ-04, title: Lead capture with company, priority: must, detect: {field: Lead.Company}}
  - {id: REQ-05, title: Opportunity pipeline, priority: must, detect: {object: Opportunity}}
  - {id: REQ-06, title: MFA enforced for administrators, priority: must,
     detect: {evidence: auth.mfa, path: enforced_for_admins, equals: true}}
  - {id: REQ-07, title: Service case management, priority: should, detect: {object: Case}}
  - {id: REQ-08, title: Single sign-on, priority: should, detect: {evidence: auth.sso, path: enabled, equals: true}}
  - {id: REQ-09, title: Quotes, priority: should, detect: {object: Quote}}
  - {id: REQ-10, title: ERP order sync, priority: should, detect: {manual: met, note: verified in UAT}}
  - {id: REQ-11, title: Mobile access for field sales, priority: should,
     detect: {manual: partial, note: read-only on mobile}}
  - {id: REQ-12, title: Marketing campaigns, priority: could, detect: {object: Campaign}}
  - {id: REQ-13, title: Territory management, priority: could, detect: {manual: unknown, note: not yet assessed}}
"""

KPIS = """\
# KPI values before and after go-live (synthetic), with targets. Directions of the standard KPIs are
# known (lower is better for acquisition cost, response time and sales cycle).
period: {before: 2024 H2, after: 2025 H2}
kpis:
  customer_acquisition_cost: {before: 1800, after: 1650, target: 1500, unit: CNY}
  customer_lifetime_value: {before: 42000, after: 46500, target: 45000, unit: CNY}
  customer_satisfaction_index: {before: 72, after: 76, target: 80, unit: points}
  conversion_rate: {before: 11.2, after: 12.9, target: 12.0, unit: percent}
  service_response_time: {before: 20, after: 26, target: 12, unit: hours}
  retention_rate: {before: 81, after: 84, target: 85, unit: percent}
  sales_cycle_length: {before: 64, after: 58, target: 55, unit: days}
"""

COSTS = """\
# Costs and benefits over the evaluation horizon (synthetic, CNY).
currency: CNY
horizon_years: 3
discount_rate: 0.06
initial: {licences: 300000, implementation: 450000, data_migration: 120000}
operating_per_year: {subscription: 360000, administration: 180000, support: 60000}
hidden:
  training: {one_off: 150000, per_year: 40000}
  integration: {one_off: 220000, per_year: 60000}
  downtime: {one_off: 0, per_year: 35000}
benefits_per_year: [800000, 1300000, 1600000]
"""


def incidents(generator: random.Random) -> str:
    """incidents.csv: a year of outages, degradations and defects."""
    lines = ["# Incidents of the CRM in 2025 (synthetic)", "# observed_from: 2025-01-01",
             "# observed_to: 2025-12-31", "id,start,end,severity,kind"]  # fmt: skip
    origin = datetime(2025, 1, 1, tzinfo=UTC)
    starts = sorted(generator.uniform(0, 360 * 24) for _ in range(14))
    for number, hours in enumerate(starts, start=1):
        start = origin + timedelta(hours=round(hours, 1))
        duration = timedelta(hours=round(min(generator.lognormvariate(1.0, 0.9), 30.0), 1))
        severity = generator.choices(("critical", "high", "medium", "low"), weights=(1, 3, 5, 3))[0]
        kind = generator.choices(("outage", "degradation", "defect"), weights=(4, 5, 3))[0]
        end = "" if number == len(starts) else _stamp(start + duration)
        lines.append(f"INC-{number:03d},{_stamp(start)},{end},{severity},{kind}")
    return "\n".join(lines) + "\n"


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def files() -> dict[str, str]:
    """File name -> content of the whole evaluation set (deterministic for SEED)."""
    generator = random.Random(SEED)  # noqa: S311 -- synthetic data, reproducible on purpose
    return {
        "survey.csv": survey(generator),
        "requirements.yaml": REQUIREMENTS,
        "kpis.yaml": KPIS,
        "costs.yaml": COSTS,
        "incidents.csv": incidents(generator),
    }


def main() -> int:
    """Write (or with --check, compare) both copies of the evaluation set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    arguments = parser.parse_args()
    stale = []
    for folder in DESTINATIONS:
        for name, text in files().items():
            path = folder / name
            if arguments.check:
                if not path.exists() or path.read_text(encoding="utf-8") != text:
                    stale.append(str(path.relative_to(ROOT)))
            else:
                folder.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    if stale:
        sys.stderr.write("stale: " + ", ".join(stale) + " (run examples/evaluation/generate.py)\n")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
