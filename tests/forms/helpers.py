"""Build applications for rule tests from the complete sample, changed one thing at a time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from stdnum.cn import ric

from forms.application import Application
from forms.findings import Finding
from forms.profiles import load_profile
from forms.rules import CheckResult, run
from tests.conftest import SAMPLES, TODAY


def sample() -> Application:
    """The complete sample under the national rules: the rule tests start from what every
    city shares and name a city where a city's rule is meant (the sample file itself lives
    in Beijing and uses Beijing's rules)."""
    raw = (SAMPLES / "complete" / "application.json").read_text(encoding="utf-8")
    return Application.model_validate_json(raw).model_copy(update={"profile_id": "national"})


def changed(**sections: dict[str, Any]) -> Application:
    """The sample with some fields replaced: changed(applicant={"sex": "male"})."""
    data = sample().model_dump()
    for section, values in sections.items():
        if values is None:
            data[section] = None
        elif isinstance(data.get(section), dict):
            data[section].update(values)
        else:
            data[section] = values
    return Application.model_validate(data)


def check(app: Application, profile: str | None = None, on: dt.date = TODAY,
          **kw: Any) -> CheckResult:
    return run(app, load_profile(profile or app.profile_id), on, **kw)


def codes(result: CheckResult | list[Finding]) -> set[str]:
    findings = result.findings if isinstance(result, CheckResult) else result
    return {f.code for f in findings}


def by_code(result: CheckResult, code: str) -> Finding:
    return next(f for f in result.findings if f.code == code)


def id_number(region: str, birth: dt.date, seq: int) -> str:
    first = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first + ric.calc_check_digit(first + "0")
