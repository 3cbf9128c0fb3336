"""
A patient's outcome measures over time: per instrument, the current responses
(corrections replace what they correct) oldest first, each with its change from
the first score and whether that change passes the MCID, and a sentence saying
whether the change so far is clinically important. A PSFS also follows each
activity under its own name.

One query whatever the number of responses.
"""

from collections import defaultdict
from itertools import groupby

from . import scoring
from .models import MeasureResponse


def current_responses(patient, instrument_code=None):
    responses = MeasureResponse.objects.filter(patient=patient).current().select_related("instrument")
    if instrument_code:
        responses = responses.filter(instrument__code=instrument_code)
    return responses.order_by("instrument__short_name", "taken_at", "created_at")


def _unit(instrument):
    return "percentage points" if instrument.charted_field == "score_percent" else "points"


def _activity_key(name):
    return " ".join(name.lower().split())


def activity_series(instrument, responses):
    """Each PSFS activity under its own name (the first spelling kept), in the
    order first named, with its change from its first rating."""
    names, points = {}, defaultdict(list)
    for response in responses:
        for name, value in response.activities():
            key = _activity_key(name)
            names.setdefault(key, name)
            points[key].append({"response": response.pk, "taken_at": response.taken_at, "value": value})
    series = []
    for key, name in names.items():
        values = points[key]
        change = scoring.change_between(
            values[0]["value"], values[-1]["value"], higher_is_better=True, mcid=instrument.activity_mcid
        )
        series.append(
            {
                "name": name,
                "points": values,
                "change": change.change,
                "passes_mcid": change.important if len(values) > 1 else False,
            }
        )
    return series


def instrument_series(instrument, responses):
    """One instrument's series (``responses`` oldest first)."""
    scored = [response for response in responses if response.charted_value is not None]
    first = scored[0].charted_value if scored else None
    points = []
    for response in responses:
        value = response.charted_value
        change = (
            scoring.change_between(
                first, value, higher_is_better=instrument.higher_is_better, mcid=instrument.mcid
            )
            if value is not None and first is not None
            else None
        )
        points.append(
            {
                "id": response.pk,
                "taken_at": response.taken_at,
                "score": response.score,
                "score_percent": response.score_percent,
                "interpretation": response.interpretation,
                "source": response.source,
                "change_from_first": change.change if change else None,
                "passes_mcid": bool(change and change.important),
                "response": response,
            }
        )
    overall = (
        scoring.change_between(
            first,
            scored[-1].charted_value,
            higher_is_better=instrument.higher_is_better,
            mcid=instrument.mcid,
        )
        if scored
        else None
    )
    sentence = (
        scoring.change_sentence(instrument.short_name, overall, unit=_unit(instrument), count=len(scored))
        if overall
        else f"No {instrument.short_name} score yet."
    )
    return {
        "instrument": instrument,
        "points": points,
        "change": overall.change if overall and len(scored) > 1 else None,
        "improvement": overall.improvement if overall and len(scored) > 1 else None,
        "clinically_important": bool(overall and len(scored) > 1 and overall.important),
        "summary": sentence,
        "activities": activity_series(instrument, responses) if instrument.names_activities else [],
    }


def measure_series(patient, instrument_code=None):
    """Every instrument the patient has responses to, by short name."""
    return measure_series_of(list(current_responses(patient, instrument_code)))


def measure_series_of(responses):
    """``responses`` (from ``current_responses``) grouped into series."""
    return [
        instrument_series(group[0].instrument, group)
        for group in (
            list(items) for _, items in groupby(responses, key=lambda response: response.instrument_id)
        )
    ]
