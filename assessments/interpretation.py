"""
How a neurodynamic test result is read: the positive / negative rule.

Pure functions on plain values, with no Django import, so that the clinical rule
can be read, reviewed and tested on its own.

The rule follows Nee et al. (JOSPT 2012): a test suggests neural
mechanosensitivity (positive) when it at least partly reproduces the patient's own
symptoms *and* structural differentiation (moving a body part far from the
symptoms) changes them. Nothing reproduced reads negative. Symptoms reproduced that
differentiation does not change, or that were not differentiated, stay
inconclusive: they may not come from the nerve.

A side-to-side difference in the range at symptom onset of more than 10 degrees
supports the reading but never decides it: about a third of healthy people show
10 degrees or more between arms on ULNT1.
"""

POSITIVE = "positive"
NEGATIVE = "negative"
INCONCLUSIVE = "inconclusive"
INTERPRETATIONS = (POSITIVE, NEGATIVE, INCONCLUSIVE)

NONE = "none"
PARTIAL = "partial"
FULL = "full"
REPRODUCTION_LEVELS = (NONE, PARTIAL, FULL)

INCREASED = "increased"
DECREASED = "decreased"
UNCHANGED = "unchanged"
NOT_TESTED = "not_tested"
DIFFERENTIATION_RESPONSES = (INCREASED, DECREASED, UNCHANGED, NOT_TESTED)

NOTABLE_SIDE_DIFFERENCE_DEG = 10


def symptoms_reproduced(levels):
    """The strongest reproduction across the steps of one test on one side, or
    ``None`` when no step was recorded."""
    levels = [level for level in levels if level]
    if not levels:
        return None
    for level in (FULL, PARTIAL):
        if level in levels:
            return level
    return NONE


def interpret(reproduction_levels, differentiation):
    """Read one test on one side.

    ``reproduction_levels`` are the per-step "symptoms reproduced" values
    (``none`` / ``partial`` / ``full``); ``differentiation`` is the response to
    structural differentiation.
    """
    if differentiation not in DIFFERENTIATION_RESPONSES:
        raise ValueError(f"Unknown differentiation response: {differentiation!r}")
    strongest = symptoms_reproduced(reproduction_levels)
    if strongest is None:
        return INCONCLUSIVE
    if strongest == NONE:
        return NEGATIVE
    if differentiation in (INCREASED, DECREASED):
        return POSITIVE
    return INCONCLUSIVE


def effective_interpretation(computed, override=""):
    """The reading shown to people: the clinician's override when there is one."""
    return override or computed


def side_difference_deg(onset_this_side, onset_other_side):
    """Absolute difference in range at symptom onset between the two sides, or
    ``None`` when either side was not measured."""
    if onset_this_side is None or onset_other_side is None:
        return None
    return abs(onset_this_side - onset_other_side)


def side_difference_is_notable(difference_deg):
    return difference_deg is not None and difference_deg > NOTABLE_SIDE_DIFFERENCE_DEG


def worst_intensity(intensities):
    """The highest symptom intensity (0-10) recorded, or ``None``."""
    values = [value for value in intensities if value is not None]
    return max(values) if values else None
