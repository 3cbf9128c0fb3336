"""
The outcome measures Glide ships, as data (loaded by a data migration through
``outcomes.catalogue.load_instruments``, updated in place by code).

Two kinds:

* ``wording: "glide"``: free to use, shipped whole with wording Glide wrote
  (the numeric pain rating, the Patient-Specific Functional Scale, a global rating
  of change).
* ``wording: "clinic"``: the items' wording is copyrighted or licensed. Glide ships
  the structure (each item's ``link_id`` and answer values) and the scoring only;
  a clinic admin imports the licensed wording from a FHIR ``Questionnaire`` whose
  items carry these ``link_id``s. No item text of these instruments is in Glide.

``scoring`` names a rule of ``outcomes.scoring`` with its parameters, including what
missing answers do. ``mcid`` is the minimal clinically important difference, on the
value named by ``applies_to`` (``score`` or ``score_percent``), with its source.
``loinc`` is the LOINC code of the total where one exists (left empty otherwise).
"""

from django.utils.translation import gettext_noop


def _scale(low, high, labels=None):
    """Answers ``low``..``high``. With ``labels`` (Glide's own wording) every answer
    reads at least as its number; without (licensed wording), labels stay empty."""
    if labels is None:
        return [{"value": value, "label": ""} for value in range(low, high + 1)]
    return [{"value": value, "label": labels.get(value, str(value))} for value in range(low, high + 1)]


def _items(prefix, count, options):
    return [
        {"link_id": f"{prefix}-{number}", "text": "", "options": options} for number in range(1, count + 1)
    ]


PAIN_LABELS = {0: gettext_noop("0 · no pain"), 10: gettext_noop("10 · the worst pain you can imagine")}
ABILITY_LABELS = {
    0: gettext_noop("0 · I cannot do it at all"),
    10: gettext_noop("10 · I can do it as well as before my problem"),
}
CHANGE_LABELS = {
    -7: gettext_noop("-7 · A very great deal worse"),
    -6: gettext_noop("-6 · A great deal worse"),
    -5: gettext_noop("-5 · Quite a bit worse"),
    -4: gettext_noop("-4 · Moderately worse"),
    -3: gettext_noop("-3 · Somewhat worse"),
    -2: gettext_noop("-2 · A little bit worse"),
    -1: gettext_noop("-1 · A tiny bit worse, almost the same"),
    0: gettext_noop("0 · About the same"),
    1: gettext_noop("+1 · A tiny bit better, almost the same"),
    2: gettext_noop("+2 · A little bit better"),
    3: gettext_noop("+3 · Somewhat better"),
    4: gettext_noop("+4 · Moderately better"),
    5: gettext_noop("+5 · Quite a bit better"),
    6: gettext_noop("+6 · A great deal better"),
    7: gettext_noop("+7 · A very great deal better"),
}

ACTIVITY_QUESTIONS = (
    gettext_noop("Activity 1: how well can you do it today?"),
    gettext_noop("Activity 2: how well can you do it today?"),
    gettext_noop("Activity 3: how well can you do it today?"),
    gettext_noop("Activity 4: how well can you do it today?"),
    gettext_noop("Activity 5: how well can you do it today?"),
)

S_LANSS_WEIGHTS = (5, 5, 3, 2, 1, 5, 3)

INSTRUMENTS = [
    {
        "code": "nprs",
        "name": gettext_noop("Numeric Pain Rating Scale"),
        "short_name": "NPRS",
        "wording": "glide",
        "instructions": gettext_noop(
            "Pick the number that best shows how strong your pain has been over the last day."
        ),
        "items": [
            {
                "link_id": "pain",
                "text": gettext_noop("How strong has your pain been over the last 24 hours?"),
                "options": _scale(0, 10, PAIN_LABELS),
            }
        ],
        "scoring": {"rule": "single"},
        "score": {"min": 0, "max": 10, "higher_is_better": False, "percent": False},
        "mcid": {
            "value": 2,
            "applies_to": "score",
            "unit": "points",
            "source": "Childs JD, Piva SR, Fritz JM. Responsiveness of the numeric pain rating scale in "
            "patients with low back pain. Spine 2005;30(11):1331-1334 (2 points).",
        },
        "loinc": "72514-3",
        "licence": "Public domain; wording written by Glide.",
        "source": "Single 0-10 rating; the score is the number chosen (Childs et al., Spine 2005).",
    },
    {
        "code": "psfs",
        "name": gettext_noop("Patient-Specific Functional Scale"),
        "short_name": "PSFS",
        "wording": "glide",
        "instructions": gettext_noop(
            "Name three to five everyday activities your problem makes hard, "
            "then rate how well you can do each one today."
        ),
        "items": [
            {
                "link_id": f"activity-{number}",
                "text": question,
                "options": _scale(0, 10, ABILITY_LABELS),
                "names_activity": True,
            }
            for number, question in enumerate(ACTIVITY_QUESTIONS, start=1)
        ],
        "scoring": {"rule": "mean", "min_answered": 3, "decimals": 1},
        "score": {"min": 0, "max": 10, "higher_is_better": True, "percent": False},
        "mcid": {
            "value": 2,
            "applies_to": "score",
            "unit": "points (average of the activities)",
            "source": "Stratford P, Gill C, Westaway M, Binkley J. Assessing disability and change on "
            "individual patients: a report of a patient specific measure. Physiotherapy Canada "
            "1995;47(4):258-263 (2 points for the average score; 3 points for one activity).",
        },
        "activity_mcid": 3,
        "loinc": "",
        "licence": "Free to use; wording written by Glide.",
        "source": "Stratford et al., Physiotherapy Canada 1995: the score is the mean of the activity "
        "ratings; three to five activities are rated.",
    },
    {
        "code": "groc",
        "name": gettext_noop("Global Rating of Change"),
        "short_name": "GROC",
        "wording": "glide",
        "instructions": gettext_noop(
            "Think about the problem you came to us with. Since your first visit, how has it changed?"
        ),
        "items": [
            {
                "link_id": "change",
                "text": gettext_noop("Since your first visit here, how has your problem changed overall?"),
                "options": _scale(-7, 7, CHANGE_LABELS),
            }
        ],
        "scoring": {"rule": "single", "important_at": 3},
        "score": {"min": -7, "max": 7, "higher_is_better": True, "percent": False},
        "mcid": {
            "value": 3,
            "applies_to": "score",
            "unit": "points from 0 (no change)",
            "source": "Kamper SJ, Maher CG, Mackay G. Global rating of change scales: a review of strengths "
            "and weaknesses and considerations for design. J Man Manip Ther 2009;17(3):163-170 "
            "(a rating of +3 or more, or -3 or less, is commonly taken as an important change; scale "
            "after Jaeschke R et al., Control Clin Trials 1989;10:407-415).",
        },
        "loinc": "",
        "licence": "Free to use; wording written by Glide.",
        "source": "Jaeschke et al., Control Clin Trials 1989: a 15-point scale from -7 to +7; the score is "
        "the rating chosen.",
    },
    {
        "code": "lefs",
        "name": "Lower Extremity Functional Scale",
        "short_name": "LEFS",
        "wording": "clinic",
        "items": _items("lefs", 20, _scale(0, 4)),
        "scoring": {"rule": "sum", "max_missing": 0},
        "score": {"min": 0, "max": 80, "higher_is_better": True, "percent": False},
        "mcid": {
            "value": 9,
            "applies_to": "score",
            "unit": "points",
            "source": "Binkley JM, Stratford PW, Lott SA, Riddle DL. The Lower Extremity Functional Scale "
            "(LEFS): scale development, measurement properties, and clinical application. Phys Ther "
            "1999;79(4):371-383 (9 points).",
        },
        "loinc": "",
        "licence": "Copyright the authors (Binkley et al. 1999); free for clinical use. Load your copy's "
        "wording.",
        "source": "Binkley et al., Phys Ther 1999: 20 items scored 0-4, the score is their sum (0-80). The "
        "publication sums all 20 items, so a form with an item unanswered is not scored.",
    },
    {
        "code": "odi",
        "name": "Oswestry Disability Index",
        "short_name": "ODI",
        "wording": "clinic",
        "items": _items("odi", 10, _scale(0, 5)),
        "scoring": {"rule": "percent_of_answered", "item_max": 5, "max_missing": 1, "decimals": 1},
        "score": {"min": 0, "max": 50, "higher_is_better": False, "percent": True},
        "mcid": {
            "value": 10,
            "applies_to": "score_percent",
            "unit": "percentage points",
            "source": "Ostelo RW, Deyo RA, Stratford P, et al. Interpreting change scores for pain and "
            "functional status in low back pain: towards international consensus regarding minimal "
            "important change. Spine 2008;33(1):90-94 (10 points on the 0-100 index).",
        },
        "loinc": "97909-6",
        "licence": "ODI © Jeremy Fairbank 1980, all rights reserved; licensed through Mapi Research Trust. "
        "Load your licensed wording.",
        "source": "Fairbank JC, Pynsent PB. The Oswestry Disability Index. Spine 2000;25(22):2940-2952: "
        "each section 0-5; the index is the total over 5 x the sections answered, x 100 (a section "
        "missed counts out of the maximum).",
    },
    {
        "code": "ndi",
        "name": "Neck Disability Index",
        "short_name": "NDI",
        "wording": "clinic",
        "items": _items("ndi", 10, _scale(0, 5)),
        "scoring": {"rule": "prorated_sum", "item_max": 5, "max_missing": 1, "decimals": 1},
        "score": {"min": 0, "max": 50, "higher_is_better": False, "percent": True},
        "mcid": {
            "value": 7.5,
            "applies_to": "score",
            "unit": "points",
            "source": "Young BA, Walker MJ, Strunce JB, et al. Responsiveness of the Neck Disability Index "
            "in patients with mechanical neck disorders. Spine J 2009;9(10):802-808 (7.5 points).",
        },
        "loinc": "",
        "licence": "© Howard Vernon 1991; free for clinical use with permission. Load your copy's wording.",
        "source": "Vernon H, Mior S. The Neck Disability Index: a study of reliability and validity. "
        "J Manipulative Physiol Ther 1991;14(7):409-415: 10 items 0-5, total 0-50, doubled for a "
        "percentage. Adapted from the Oswestry index, and scored like it when one item is missing "
        "(the answered items' total scaled to ten items).",
    },
    {
        "code": "quickdash",
        "name": "QuickDASH",
        "short_name": "QuickDASH",
        "wording": "clinic",
        "items": _items("quickdash", 11, _scale(1, 5)),
        "scoring": {"rule": "dash", "max_missing": 1, "decimals": 1},
        "score": {"min": 0, "max": 100, "higher_is_better": False, "percent": False},
        "mcid": {
            "value": 8,
            "applies_to": "score",
            "unit": "points",
            "source": "Mintken PE, Glynn P, Cleland JA. Psychometric properties of the shortened "
            "disabilities of the Arm, Shoulder, and Hand Questionnaire (QuickDASH) and Numeric Pain "
            "Rating Scale in patients with shoulder pain. J Shoulder Elbow Surg 2009;18(6):920-926 "
            "(8 points).",
        },
        "loinc": "",
        "licence": "© Institute for Work & Health 2006, all rights reserved. Load your licensed wording.",
        "source": "Beaton DE, Wright JG, Katz JN; Upper Extremity Collaborative Group. Development of the "
        "QuickDASH. J Bone Joint Surg Am 2005;87(5):1038-1046, and the Institute for Work & Health's "
        "scoring instructions: ((sum of the n answers / n) - 1) x 25; not scored with more than one "
        "item missing.",
    },
    {
        "code": "s-lanss",
        "name": "Self-report Leeds Assessment of Neuropathic Symptoms and Signs",
        "short_name": "S-LANSS",
        "wording": "clinic",
        # A "yes" is worth the item's weight, a "no" nothing.
        "items": [
            {
                "link_id": f"slanss-{number}",
                "text": "",
                "options": [{"value": 0, "label": ""}, {"value": weight, "label": ""}],
            }
            for number, weight in enumerate(S_LANSS_WEIGHTS, start=1)
        ],
        "scoring": {"rule": "sum", "max_missing": 0, "screen_at": 12},
        "score": {"min": 0, "max": 24, "higher_is_better": False, "percent": False},
        "mcid": None,
        "loinc": "",
        "licence": "© Michael I. Bennett; free for clinical use with permission. Load your copy's wording.",
        "source": "Bennett MI, Smith BH, Torrance N, Potter J. The S-LANSS score for identifying pain of "
        "predominantly neuropathic origin. J Pain 2005;6(3):149-158: seven yes/no items weighted "
        "5, 5, 3, 2, 1, 5, 3 (0-24); 12 or more suggests pain of predominantly neuropathic origin. "
        "The weights need every item, so a form with an item unanswered is not scored.",
    },
]
