"""The positive/negative rule, branch by branch (Nee et al. 2012)."""

import pytest

from assessments import interpretation as rule

CASES = [
    # reproduction levels per step, differentiation, expected reading
    (["none", "partial"], "increased", "positive"),
    (["none", "full"], "decreased", "positive"),
    (["partial"], "decreased", "positive"),
    (["full", "full"], "increased", "positive"),
    (["none", "none"], "increased", "negative"),
    (["none"], "not_tested", "negative"),
    (["none"], "unchanged", "negative"),
    (["partial"], "unchanged", "inconclusive"),
    (["full"], "not_tested", "inconclusive"),
    ([], "increased", "inconclusive"),
    ([None, ""], "increased", "inconclusive"),
]


@pytest.mark.parametrize(("levels", "differentiation", "expected"), CASES)
def test_interpret(levels, differentiation, expected):
    assert rule.interpret(levels, differentiation) == expected


def test_interpret_refuses_an_unknown_differentiation_response():
    with pytest.raises(ValueError, match="Unknown differentiation"):
        rule.interpret(["full"], "worse")


@pytest.mark.parametrize(
    ("levels", "expected"),
    [([], None), (["none"], "none"), (["none", "partial"], "partial"), (["partial", "full", "none"], "full")],
)
def test_symptoms_reproduced_is_the_strongest_level(levels, expected):
    assert rule.symptoms_reproduced(levels) == expected


@pytest.mark.parametrize(
    ("computed", "override", "expected"),
    [
        ("positive", "", "positive"),
        ("positive", "negative", "negative"),
        ("inconclusive", "positive", "positive"),
    ],
)
def test_the_clinicians_override_wins(computed, override, expected):
    assert rule.effective_interpretation(computed, override) == expected


@pytest.mark.parametrize(
    ("this_side", "other_side", "difference", "notable"),
    [
        (55, 80, 25, True),
        (80, 55, 25, True),
        (70, 80, 10, False),
        (69, 80, 11, True),
        (None, 80, None, False),
    ],
)
def test_side_to_side_difference_over_ten_degrees_is_notable(this_side, other_side, difference, notable):
    assert rule.side_difference_deg(this_side, other_side) == difference
    assert rule.side_difference_is_notable(difference) is notable


def test_worst_intensity_ignores_missing_ratings():
    assert rule.worst_intensity([None, 3, 6, None]) == 6
    assert rule.worst_intensity([None]) is None


def test_the_rule_module_imports_nothing_from_django():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(rule))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])
    }
    assert "django" not in imported
