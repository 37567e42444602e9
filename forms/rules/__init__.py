"""The rules: ``run(application, profile, on=date)`` returns keyed findings and the estimates.

Each module looks at one concern and returns findings; this function gathers the facts
once and runs them all. Nothing here formats text: see forms.messages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from forms.application import Application
from forms.estimates import Estimates, estimate
from forms.findings import Finding, sort_findings
from forms.profiles.schema import Profile
from forms.rules import completeness, eligibility, identity, materials, timing
from forms.rules.facts import gather


@dataclass(frozen=True, slots=True)
class CheckResult:
    findings: list[Finding]
    estimates: Estimates

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def run(app: Application, profile: Profile, on: dt.date | None = None, *,
        base_dir: Path | None = None) -> CheckResult:
    """Findings and estimates together; ``base_dir`` enables the material-file checks."""
    on = on or dt.date.today()
    facts = gather(app, profile, on)
    est = estimate(app, profile, on, facts.birth_date)
    found = (
        completeness.check(facts)
        + identity.check(facts)
        + eligibility.check(facts)
        + materials.check(facts, base_dir)
        + timing.check(facts, est)
    )
    return CheckResult(sort_findings(found), est)

