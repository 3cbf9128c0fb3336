"""
Scoring outcome measures the published way, and reading change against the MCID.

Pure functions on plain values: no Django here, so each rule can be read and tested
alone against the instruments' published worked examples (``tests/outcomes/
test_scoring.py``). An instrument's items and scoring rule are the dictionaries of
``outcomes.instruments``.

Missing answers are part of each rule: ``max_missing`` (or ``min_answered``) says
how many items may be left unanswered; past that the response is kept but has no
score, and ``Scored.reason`` says why.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


class AnswerError(ValueError):
    """Answers that do not fit the instrument. ``errors`` holds ``(attr, code,
    message)`` triples, ``attr`` dotted like the request (``answers.2.value``)."""

    def __init__(self, errors):
        super().__init__("; ".join(message for _, _, message in errors))
        self.errors = errors


@dataclass(frozen=True)
class Scored:
    score: Decimal | None
    score_percent: Decimal | None
    answered: int
    missing: int
    reason: str = ""


def _round(value, decimals):
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def check_answers(items, answers):
    """``answers`` as sent (``[{"link_id", "value", "activity"?}]``) checked against
    the items: every link id known and answered once, every value one of the item's
    options, an activity named where the item asks for one. Returns ``{link_id:
    value}``; raises ``AnswerError`` listing every problem."""
    by_link = {item["link_id"]: item for item in items}
    values, errors = {}, []
    for index, answer in enumerate(answers):
        link_id, value = answer.get("link_id"), answer.get("value")
        item = by_link.get(link_id)
        if item is None:
            errors.append(
                (f"answers.{index}.link_id", "unknown_item", f'This instrument has no item "{link_id}".')
            )
            continue
        if link_id in values:
            errors.append((f"answers.{index}.link_id", "duplicate", f'Item "{link_id}" is answered twice.'))
            continue
        allowed = [option["value"] for option in item["options"]]
        if isinstance(value, bool) or not isinstance(value, int | float) or value not in allowed:
            errors.append(
                (
                    f"answers.{index}.value",
                    "out_of_range",
                    f'"{value}" is not an answer to item "{link_id}": choose one of {allowed}.',
                )
            )
            continue
        if item.get("names_activity") and not str(answer.get("activity") or "").strip():
            errors.append((f"answers.{index}.activity", "required", "Name the activity that is rated."))
            continue
        values[link_id] = int(value) if float(value).is_integer() else value
    if errors:
        raise AnswerError(errors)
    return values


def score(scoring, items, values):
    """Score ``values`` (``{link_id: value}``, already checked) by ``scoring``."""
    answered = [values[item["link_id"]] for item in items if item["link_id"] in values]
    missing = len(items) - len(answered)
    rule = scoring["rule"]
    decimals = scoring.get("decimals", 0)

    def unscored(reason):
        return Scored(None, None, len(answered), missing, reason)

    if rule == "single":
        if not answered:
            return unscored("The one item is unanswered.")
        return Scored(Decimal(answered[0]), None, 1, 0)
    if rule == "mean":
        needed = scoring["min_answered"]
        if len(answered) < needed:
            return unscored(f"At least {needed} items must be rated; {len(answered)} are.")
        return Scored(_round(Decimal(sum(answered)) / len(answered), decimals), None, len(answered), missing)
    if missing > scoring.get("max_missing", 0):
        allowed = scoring.get("max_missing", 0)
        return unscored(
            f"{missing} items are unanswered; the published rule allows "
            + ("none." if allowed == 0 else f"at most {allowed}.")
        )
    total = Decimal(sum(answered))
    if rule == "sum":
        return Scored(total, None, len(answered), missing)
    if rule == "percent_of_answered":
        # Oswestry: the total over the maximum of the sections answered.
        percent = total / (scoring["item_max"] * len(answered)) * 100
        return Scored(total, _round(percent, decimals), len(answered), missing)
    if rule == "prorated_sum":
        # The answered items' total scaled to every item; the percentage of the maximum.
        prorated = total * len(items) / len(answered)
        maximum = scoring["item_max"] * len(items)
        return Scored(
            _round(prorated, decimals), _round(prorated / maximum * 100, decimals), len(answered), missing
        )
    if rule == "dash":
        value = (total / len(answered) - 1) * 25
        return Scored(_round(value, decimals), None, len(answered), missing)
    raise ValueError(f"Unknown scoring rule {rule!r}.")


def interpret(scoring, score_range, scored):
    """One sentence about one response, for the clinician."""
    if scored.score is None:
        return f"Not scored: {scored.reason}"
    value, maximum = _plain(scored.score), _plain(score_range["max"])
    if "screen_at" in scoring:
        if scored.score >= scoring["screen_at"]:
            return f"{value} of {maximum}: suggests pain of predominantly neuropathic origin."
        return f"{value} of {maximum}: does not suggest neuropathic pain."
    if "important_at" in scoring:
        threshold = scoring["important_at"]
        signed = ("+" if scored.score > 0 else "") + value
        if scored.score >= threshold:
            return f"{signed}: an important improvement."
        if scored.score <= -threshold:
            return f"{signed}: an important worsening."
        return f"{signed}: little or no important change."
    direction = "higher is better" if score_range["higher_is_better"] else "lower is better"
    text = f"{value} on {_plain(score_range['min'])}-{maximum} ({direction})"
    if scored.score_percent is not None:
        text += f", {_plain(scored.score_percent)}%"
    return text + "."


@dataclass(frozen=True)
class Change:
    """How the latest value differs from the first. ``improvement`` is positive
    when the patient is better, whichever way the scale runs."""

    change: Decimal
    improvement: Decimal
    mcid: Decimal | None

    @property
    def important(self):
        return self.mcid is not None and abs(self.improvement) >= self.mcid

    @property
    def direction(self):
        if self.improvement > 0:
            return "improved"
        if self.improvement < 0:
            return "worsened"
        return "unchanged"


def change_between(first, latest, *, higher_is_better, mcid):
    change = Decimal(latest) - Decimal(first)
    return Change(change, change if higher_is_better else -change, None if mcid is None else Decimal(mcid))


def _plain(value):
    """A number as people write it: 16, 35.6, -3 (never 16.0 or 1E+1)."""
    value = Decimal(value)
    return format(value.to_integral() if value == value.to_integral() else value.normalize(), "f")


def _amount(value):
    return _plain(abs(value))


def change_sentence(name, change, *, unit, count):
    """Whether the change so far is clinically important, in words."""
    if count < 2:
        return f"One {name} score so far: the next one will show the change."
    moved_unit = unit.replace("points", "point") if abs(change.improvement) == 1 else unit
    if change.mcid is None:
        return f"The {name} has {change.direction} by {_amount(change.change)} {unit} since the first score."
    needed = f"{_amount(change.mcid)} {unit}"
    if change.direction == "unchanged":
        return (
            f"The {name} is where it was at the first score: no clinically important change (MCID {needed})."
        )
    amount = _amount(change.improvement)
    moved = f"The {name} has {change.direction} by {amount} {moved_unit} since the first score"
    if change.important:
        return f"{moved}: a clinically important change (MCID {needed})."
    return f"{moved}: less than the {needed} of a clinically important change."
