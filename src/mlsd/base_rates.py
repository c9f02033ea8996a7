"""What a detector's rates mean at a given base rate (prevalence).

Recall and false-positive rate are properties of a detector; precision and the number of good
events it blocks each day also depend on how rare the positives are. The guide's card-fraud
target ("over 90 % detected at under 2 % false positives") reads well until it meets a fraud
rate of 0.1 %: then about 2 of every 100 flags are fraud (precision ~4 %) and, at 150 M
transactions a day, about 3 M legitimate ones are declined. Sections 5 and 10, the
reference designs and the mock-interview checker all ask these questions through this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlsd.validation import require_number


@dataclass(frozen=True)
class OperatingPoint:
    """One detector setting seen through a base rate and a daily volume."""

    recall: float  # share of positives flagged
    fpr: float  # share of negatives flagged
    prevalence: float  # share of events that are positive
    events_per_day: float
    precision: float  # share of flags that are positive
    flagged_per_day: float
    caught_per_day: float  # true positives a day
    false_alarms_per_day: float  # negatives flagged a day (legitimate events declined)
    missed_per_day: float  # positives not flagged a day


def _rates(recall, fpr, prevalence) -> tuple[float, float, float]:
    return (
        require_number("recall", recall, 0, 1),
        require_number("fpr", fpr, 0, 1),
        require_number("prevalence", prevalence, 0, 1, low_inclusive=False, high_inclusive=False),
    )


def precision(recall: float, fpr: float, prevalence: float) -> float:
    """Share of flagged events that are positive (Bayes' rule); 0 when nothing is flagged."""
    recall, fpr, prevalence = _rates(recall, fpr, prevalence)
    true_flags = recall * prevalence
    flags = true_flags + fpr * (1 - prevalence)
    return true_flags / flags if flags > 0 else 0.0


def operating_point(
    recall: float, fpr: float, prevalence: float, events_per_day: float = 1.0
) -> OperatingPoint:
    """Precision and daily counts of a detector with these rates at this base rate."""
    recall, fpr, prevalence = _rates(recall, fpr, prevalence)
    volume = require_number("events_per_day", events_per_day, 0, low_inclusive=False)
    positives, negatives = volume * prevalence, volume * (1 - prevalence)
    caught, false_alarms = recall * positives, fpr * negatives
    return OperatingPoint(
        recall=recall,
        fpr=fpr,
        prevalence=prevalence,
        events_per_day=volume,
        precision=precision(recall, fpr, prevalence),
        flagged_per_day=caught + false_alarms,
        caught_per_day=caught,
        false_alarms_per_day=false_alarms,
        missed_per_day=positives - caught,
    )


def max_fpr_for_precision(recall: float, prevalence: float, target_precision: float) -> float:
    """The highest false-positive rate that still gives ``target_precision`` at this recall."""
    recall, _fpr, prevalence = _rates(recall, 0.0, prevalence)
    target = require_number(
        "target_precision", target_precision, 0, 1, low_inclusive=False, high_inclusive=False
    )
    # precision = r p / (r p + f (1 - p))  <=>  f = r p (1 - P) / (P (1 - p))
    return min(1.0, recall * prevalence * (1 - target) / (target * (1 - prevalence)))
