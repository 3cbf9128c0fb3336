"""The scoring of every instrument against worked examples written from its
published rule, missing answers included. Pure: no database."""

from decimal import Decimal

import pytest

from outcomes import scoring
from outcomes.instruments import INSTRUMENTS, S_LANSS_WEIGHTS

BY_CODE = {entry["code"]: entry for entry in INSTRUMENTS}


def scored(code, values):
    entry = BY_CODE[code]
    answers = [{"link_id": link, "value": value, "activity": "Walking"} for link, value in values.items()]
    checked = scoring.check_answers(entry["items"], answers)
    return scoring.score(entry["scoring"], entry["items"], checked)


def answers_for(code, values):
    """``values`` in item order; ``None`` leaves an item unanswered."""
    items = BY_CODE[code]["items"]
    return {item["link_id"]: value for item, value in zip(items, values, strict=True) if value is not None}


# --- NPRS and GROC: the rating is the score -------------------------------------------


def test_the_nprs_score_is_the_rating():
    assert scored("nprs", {"pain": 6}).score == 6


def test_an_unanswered_nprs_has_no_score():
    result = scored("nprs", {})
    assert result.score is None
    assert "unanswered" in result.reason


@pytest.mark.parametrize(("rating", "reading"), [(5, "important improvement"), (-4, "important worsening"),
                                                 (2, "little or no important change")])  # fmt: skip
def test_a_global_rating_of_three_or_more_either_way_reads_as_important(rating, reading):
    entry = BY_CODE["groc"]
    result = scored("groc", {"change": rating})
    assert reading in scoring.interpret(entry["scoring"], entry["score"], result)


# --- PSFS: the mean of three to five activities ---------------------------------------


def test_the_psfs_score_is_the_mean_of_the_activities_rated():
    # Stratford 1995: three activities rated 3, 5 and 4 average 4.0.
    assert scored("psfs", {"activity-1": 3, "activity-2": 5, "activity-3": 4}).score == Decimal("4.0")


def test_the_psfs_mean_is_rounded_to_one_decimal():
    # (2 + 3 + 3 + 7) / 4 = 3.75 -> 3.8
    values = {"activity-1": 2, "activity-2": 3, "activity-3": 3, "activity-4": 7}
    assert scored("psfs", values).score == Decimal("3.8")


def test_a_psfs_with_fewer_than_three_activities_has_no_score():
    result = scored("psfs", {"activity-1": 3, "activity-2": 5})
    assert result.score is None
    assert "At least 3" in result.reason


# --- LEFS: the sum of 20 items --------------------------------------------------------


def test_the_lefs_score_is_the_sum_of_its_twenty_items():
    # Four items at each of 0-4: 4 x (0 + 1 + 2 + 3 + 4) = 40 of 80.
    values = answers_for("lefs", [0, 1, 2, 3, 4] * 4)
    assert scored("lefs", values).score == 40


def test_a_lefs_with_an_item_unanswered_has_no_score():
    values = answers_for("lefs", [4] * 19 + [None])
    result = scored("lefs", values)
    assert (result.score, result.missing) == (None, 1)


# --- ODI: the percentage of the sections answered -------------------------------------


def test_the_odi_is_the_total_over_fifty_as_a_percentage():
    # Fairbank & Pynsent 2000: a total of 16 with all ten sections answered is 16/50 = 32%.
    values = answers_for("odi", [2, 2, 2, 2, 2, 2, 1, 1, 1, 1])
    result = scored("odi", values)
    assert (result.score, result.score_percent) == (16, Decimal("32.0"))


def test_an_odi_with_one_section_missed_counts_out_of_forty_five():
    # Fairbank & Pynsent 2000: 16 with one section missed is 16/45 = 35.56%, 35.6 to one decimal.
    values = answers_for("odi", [2, 2, 2, 2, 2, 2, 2, 1, 1, None])
    result = scored("odi", values)
    assert (result.score, result.score_percent, result.missing) == (16, Decimal("35.6"), 1)


def test_an_odi_with_two_sections_missed_has_no_score():
    values = answers_for("odi", [2, 2, 2, 2, 2, 2, 2, 2, None, None])
    assert scored("odi", values).score is None


# --- NDI: 0-50 and a percentage -------------------------------------------------------


def test_the_ndi_is_the_total_of_fifty_and_twice_that_as_a_percentage():
    # Vernon & Mior 1991: a total of 15 of 50 is 30%.
    values = answers_for("ndi", [1, 2, 1, 2, 1, 2, 1, 2, 1, 2])
    result = scored("ndi", values)
    assert (result.score, result.score_percent) == (Decimal("15.0"), Decimal("30.0"))


def test_an_ndi_with_one_item_missing_is_scaled_to_ten_items():
    # 18 over nine items is 20.0 over ten, 40%.
    values = answers_for("ndi", [2, 2, 2, 2, 2, 2, 2, 2, 2, None])
    result = scored("ndi", values)
    assert (result.score, result.score_percent) == (Decimal("20.0"), Decimal("40.0"))


def test_an_ndi_with_two_items_missing_has_no_score():
    assert scored("ndi", answers_for("ndi", [2] * 8 + [None, None])).score is None


# --- QuickDASH: ((mean) - 1) x 25 -----------------------------------------------------


def test_the_quickdash_score_is_the_mean_less_one_times_twenty_five():
    # The scoring instructions: answers summing to 33 over 11 items: (33/11 - 1) x 25 = 50.
    values = answers_for("quickdash", [3] * 11)
    assert scored("quickdash", values).score == Decimal("50.0")


def test_the_quickdash_extremes_are_zero_and_one_hundred():
    assert scored("quickdash", answers_for("quickdash", [1] * 11)).score == 0
    assert scored("quickdash", answers_for("quickdash", [5] * 11)).score == 100


def test_a_quickdash_with_one_item_missing_is_scored_on_the_ten_answered():
    # (2+2+2+2+2+3+3+3+3+3) = 25 over 10: (2.5 - 1) x 25 = 37.5
    values = answers_for("quickdash", [2, 2, 2, 2, 2, 3, 3, 3, 3, 3, None])
    assert scored("quickdash", values).score == Decimal("37.5")


def test_a_quickdash_with_more_than_one_missing_has_no_score():
    values = answers_for("quickdash", [3] * 9 + [None, None])
    result = scored("quickdash", values)
    assert result.score is None
    assert "at most 1" in result.reason


# --- S-LANSS: weighted yes/no, 12 or more suggests neuropathic pain -------------------


def test_s_lanss_weights_add_up_to_twenty_four():
    assert scored("s-lanss", answers_for("s-lanss", list(S_LANSS_WEIGHTS))).score == 24


def test_s_lanss_of_twelve_or_more_suggests_neuropathic_pain():
    # Bennett 2005: "yes" to items 1 (5), 3 (3), 4 (2) and 7 (3) scores 13.
    entry = BY_CODE["s-lanss"]
    result = scored("s-lanss", answers_for("s-lanss", [5, 0, 3, 2, 0, 0, 3]))
    assert result.score == 13
    assert "suggests pain of predominantly neuropathic origin" in scoring.interpret(
        entry["scoring"], entry["score"], result
    )


def test_s_lanss_below_twelve_does_not():
    entry = BY_CODE["s-lanss"]
    result = scored("s-lanss", answers_for("s-lanss", [5, 5, 0, 0, 1, 0, 0]))
    assert result.score == 11
    assert "does not suggest" in scoring.interpret(entry["scoring"], entry["score"], result)


def test_an_s_lanss_with_an_item_unanswered_has_no_score():
    assert scored("s-lanss", answers_for("s-lanss", [5, 5, 3, 2, 1, 5, None])).score is None


# --- Checking answers -----------------------------------------------------------------


def test_an_answer_out_of_the_items_range_is_refused():
    with pytest.raises(scoring.AnswerError) as refused:
        scoring.check_answers(BY_CODE["lefs"]["items"], [{"link_id": "lefs-1", "value": 5}])
    assert refused.value.errors[0][:2] == ("answers.0.value", "out_of_range")


def test_a_weight_that_is_not_the_items_own_is_refused():
    # S-LANSS item 5 is worth 1: a 5 there is not an answer.
    with pytest.raises(scoring.AnswerError):
        scoring.check_answers(BY_CODE["s-lanss"]["items"], [{"link_id": "slanss-5", "value": 5}])


def test_an_unknown_item_is_refused():
    with pytest.raises(scoring.AnswerError) as refused:
        scoring.check_answers(BY_CODE["odi"]["items"], [{"link_id": "odi-11", "value": 1}])
    assert refused.value.errors[0][:2] == ("answers.0.link_id", "unknown_item")


def test_an_item_answered_twice_is_refused():
    answers = [{"link_id": "pain", "value": 1}, {"link_id": "pain", "value": 2}]
    with pytest.raises(scoring.AnswerError) as refused:
        scoring.check_answers(BY_CODE["nprs"]["items"], answers)
    assert refused.value.errors[0][1] == "duplicate"


def test_a_psfs_rating_needs_its_activity_named():
    with pytest.raises(scoring.AnswerError) as refused:
        scoring.check_answers(BY_CODE["psfs"]["items"], [{"link_id": "activity-1", "value": 4}])
    assert refused.value.errors[0][:2] == ("answers.0.activity", "required")


# --- Change against the MCID ----------------------------------------------------------


def test_a_fall_in_a_lower_is_better_score_is_an_improvement():
    change = scoring.change_between(Decimal("42"), Decimal("28"), higher_is_better=False, mcid=10)
    assert (change.change, change.improvement, change.important) == (-14, 14, True)


def test_a_change_smaller_than_the_mcid_is_not_important():
    change = scoring.change_between(4, 5, higher_is_better=True, mcid=2)
    assert not change.important


def test_the_sentence_says_when_the_change_is_clinically_important():
    change = scoring.change_between(Decimal("42.0"), Decimal("28.0"), higher_is_better=False, mcid=10)
    sentence = scoring.change_sentence("ODI", change, unit="percentage points", count=2)
    assert sentence == (
        "The ODI has improved by 14 percentage points since the first score: "
        "a clinically important change (MCID 10 percentage points)."
    )


def test_the_sentence_says_when_the_change_is_not_yet_important():
    change = scoring.change_between(Decimal("3.0"), Decimal("4.0"), higher_is_better=True, mcid=Decimal("2"))
    sentence = scoring.change_sentence("PSFS", change, unit="points", count=2)
    assert sentence == (
        "The PSFS has improved by 1 point since the first score: "
        "less than the 2 points of a clinically important change."
    )


def test_the_sentence_waits_for_a_second_score():
    change = scoring.change_between(5, 5, higher_is_better=True, mcid=2)
    sentence = scoring.change_sentence("PSFS", change, unit="points", count=1)
    assert "the next one will show the change" in sentence


# --- The data ---------------------------------------------------------------------------


@pytest.mark.parametrize("entry", INSTRUMENTS, ids=lambda entry: entry["code"])
def test_every_instrument_cites_its_scoring_source_and_licence(entry):
    assert entry["source"] and entry["licence"]
    assert entry["mcid"] is None or entry["mcid"]["source"]


LICENSED = [entry for entry in INSTRUMENTS if entry["wording"] == "clinic"]


@pytest.mark.parametrize("entry", LICENSED, ids=lambda entry: entry["code"])
def test_licensed_instruments_ship_no_wording(entry):
    assert all(item["text"] == "" for item in entry["items"])
    assert all(option["label"] == "" for item in entry["items"] for option in item["options"])
