"""The regression gate: headline metrics must stay at or above their floors (or under their ceilings).

eval/thresholds.toml holds, per configuration, a `min` table of floors and a `max` table of
ceilings. Both `reportqa eval --gate` and tests/eval/test_regression_gate.py read it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.toml"
KINDS = {"min": "floor", "max": "ceiling"}


class ThresholdsError(ValueError):
    """A thresholds file that cannot be used; the message names the file and the reason."""


@dataclass(frozen=True)
class Bound:
    configuration: str
    metric: str
    kind: str  # "min" (a floor) or "max" (a ceiling)
    limit: float

    def holds(self, value: float) -> bool:
        return value >= self.limit if self.kind == "min" else value <= self.limit


@dataclass(frozen=True)
class Breach:
    bound: Bound
    value: float

    def __str__(self) -> str:
        b = self.bound
        side = "below" if b.kind == "min" else "above"
        return f"{b.configuration} {b.metric} = {self.value:.3f}, {side} its {KINDS[b.kind]} {b.limit:.3f} by {abs(self.value - b.limit):.3f}"


def load_thresholds(path: Path = THRESHOLDS, known_metrics: Collection[str] = ()) -> list[Bound]:
    """Every bound in the file; a misspelt metric is an error now, not a silent pass later."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ThresholdsError(f"{path}: cannot read: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ThresholdsError(f"{path}: not valid TOML: {error}") from None
    bounds = []
    for configuration, tables in data.items():
        if not isinstance(tables, dict) or not set(tables) <= set(KINDS) or not all(isinstance(t, dict) for t in tables.values()):
            raise ThresholdsError(
                f"{path}: [{configuration}] may only hold [{configuration}.min] and [{configuration}.max] tables"
            )
        for kind, limits in tables.items():
            for metric, limit in limits.items():
                if known_metrics and metric not in known_metrics:
                    raise ThresholdsError(
                        f"{path}: [{configuration}.{kind}] unknown metric {metric!r} (one of: {', '.join(known_metrics)})"
                    )
                if isinstance(limit, bool) or not isinstance(limit, (int, float)):
                    raise ThresholdsError(f"{path}: [{configuration}.{kind}] {metric} must be a number, not {limit!r}")
                bounds.append(Bound(configuration, metric, kind, float(limit)))
    if not bounds:
        raise ThresholdsError(f"{path}: no thresholds")
    return bounds


def require_configurations(bounds: list[Bound], names: Collection[str]) -> None:
    """The gate can only judge configurations that are run."""
    missing = sorted({b.configuration for b in bounds} - set(names))
    if missing:
        raise ThresholdsError(f"the gate has thresholds for {', '.join(missing)}: add it to --configurations")


def check(bounds: list[Bound], summaries: dict[str, dict[str, float]]) -> list[Breach]:
    """The bounds that `summaries` (configuration → metric → value) break, in file order."""
    breaches = []
    for bound in bounds:
        value = summaries[bound.configuration][bound.metric]
        if not bound.holds(value):
            breaches.append(Breach(bound, value))
    return breaches


def verdict(breaches: list[Breach]) -> str:
    if not breaches:
        return "gate: passed (every metric within its threshold)"
    return "\n".join([f"gate: FAILED, {len(breaches)} metric(s) out of bounds:"] + [f"  {b}" for b in breaches])
