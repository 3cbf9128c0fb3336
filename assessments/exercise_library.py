"""
The standard exercise library that ships with Glide, as data.

A data migration loads it into the database (``catalogue.load_standard_catalogue``),
so every clinic starts with the same home exercises: the active hamstring
mobilization and the common nerve sliders and tensioners. This module imports
nothing from Django.

Slugs are stable identifiers used by plans, the API and integrators: never rename
one; add a new exercise or movement instead.

Two families (Ellis 2012). A **slider** moves the nerve at one end while giving it
slack at the other: the gentle choice for an easily irritated nerve. A **tensioner**
lengthens the nerve bed at both ends at once: firmer, for less irritable
presentations, and only when the therapist says so.

Everything a patient reads (``purpose``, ``what_to_feel``, ``precautions``, the cues
and the ``steps``) is written for the printed handout: about a sixth-grade reading
level, short sentences, everyday words, one action per step, explicit stop rules.
Each movement has a drawing in ``assessments/static/`` at the ``illustration`` path,
with its ``illustration_alt`` text repeated as the SVG's ``<title>``.
"""

_ILLUSTRATIONS = "assessments/exercises"


def _movement(exercise_slug, number, slug, title, steps, alt):
    return {
        "slug": slug,
        "title": title,
        "steps": steps,
        "illustration": f"{_ILLUSTRATIONS}/{exercise_slug}-{number}-{slug}.svg",
        "illustration_alt": alt,
    }


# Shared wording, so that every handout says the safety rules the same way.
_STOP_NERVE = (
    "Stop and call your therapist if you get pins and needles or numbness that "
    "do not go away soon after you finish the set."
)
_STOP_PAIN = "Stop if the pain gets stronger as you go, or if it is still there an hour later."
_NO_PUSH = "Move slowly. Only go as far as a light pull. Never push into pain."
_TENSIONER_ONLY = (
    "This is a stronger exercise. Do it only if your therapist has asked you to. "
    "If you feel more sore the next day, go back to the gentler slider and tell your therapist."
)
_SLIDER_BREATH = "Breathe slowly and easily the whole time. Do not hold your breath."
_SLIDER_IMAGE = (
    "Think of the nerve as a long string gliding back and forth, like dental floss sliding between two teeth."
)

# Default doses. Sliders: slow, gentle and often. Tensioners: fewer and less often.
_SLIDER_DOSE = {
    "default_sets": 2,
    "default_reps": 10,
    "default_hold_seconds": 0,
    "default_times_per_day": 2,
    "default_days_per_week": 7,
}
_TENSIONER_DOSE = {
    "default_sets": 1,
    "default_reps": 6,
    "default_hold_seconds": 0,
    "default_times_per_day": 1,
    "default_days_per_week": 7,
}


EXERCISES = [
    # ------------------------------------------------------------------ lower limb
    {
        "slug": "active-hamstring-mobilization",
        "name": "Active hamstring mobilization",
        "kind": "slider",
        "nerve": "sciatic",
        "region": "lower",
        "purpose": (
            "This warms up the whole back of your legs and helps the big nerve there "
            "glide freely. It can ease the tight, pulling feeling that builds up after "
            "a lot of sitting."
        ),
        "what_to_feel": (
            "A mild stretch or pull behind your thighs and calves as your hips go up. "
            "It should feel easier, not harder, as you repeat it. It should not hurt."
        ),
        "precautions": " ".join(
            [
                _NO_PUSH,
                _STOP_NERVE,
                _STOP_PAIN,
                "Also stop if the pain spreads further down your leg. If you feel dizzy, "
                "stand up slowly and rest.",
            ]
        ),
        "breathing_cue": (
            "Breathe in as you sink into the squat. Let the floor of your pelvis relax "
            "and drop. Breathe out as you lift your hips."
        ),
        "imagery_cue": (
            "Each time you breathe in, picture your two sit bones, the bony points you sit on, sliding apart."
        ),
        "default_sets": 1,
        "default_reps": 10,
        "default_hold_seconds": 0,
        "default_times_per_day": 2,
        "default_days_per_week": 7,
        "movements": [
            _movement(
                "active-hamstring-mobilization",
                1,
                "squat-start",
                "Start in a squat",
                [
                    "Stand with your feet apart.",
                    "Point your feet ahead, or turn them out a little. Use what feels best.",
                    "Bend your knees and sink down into a squat.",
                    "Clasp your hands together.",
                    "Rest your elbows on your legs, just above your knees.",
                    "Breathe in.",
                ],
                "A person in a squat with feet flat, hands clasped and elbows resting just above the knees",
            ),
            _movement(
                "active-hamstring-mobilization",
                2,
                "hips-up",
                "Lift your hips",
                [
                    "Breathe out and slowly lift your hips toward the ceiling.",
                    "Keep your elbows on your legs.",
                    "Keep your hands clasped.",
                    "Your knees do not have to get straight. That is fine.",
                    "Breathe in and sink back into the squat.",
                    "Repeat about 10 times. Notice if it gets easier.",
                ],
                "The same person with the hips lifted toward the ceiling, knees partly "
                "straight and elbows still resting on the thighs",
            ),
        ],
    },
    {
        "slug": "sciatic-seated-slump-slider",
        "name": "Seated sciatic nerve slider",
        "kind": "slider",
        "nerve": "sciatic",
        "region": "lower",
        "purpose": (
            "This helps the nerve at the back of your leg glide gently. It is a soft way "
            "to keep the nerve moving when your leg is easily upset."
        ),
        "what_to_feel": (
            "A mild pull behind your knee or thigh when your leg is out straight. It "
            "should fade as soon as you bend your knee again. It should not hurt."
        ),
        "precautions": " ".join([_NO_PUSH, _STOP_NERVE, _STOP_PAIN]),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": _SLIDER_IMAGE,
        **_SLIDER_DOSE,
        "movements": [
            _movement(
                "sciatic-seated-slump-slider",
                1,
                "knee-bent-look-down",
                "Knee bent, look down",
                [
                    "Sit on a firm chair with your feet flat on the floor.",
                    "Let your back round into a gentle slouch.",
                    "Rest your hands on your thighs.",
                    "Tip your chin down toward your chest.",
                ],
                "A person sitting slouched on a chair, hands on the thighs, feet on the "
                "floor and chin tipped down",
            ),
            _movement(
                "sciatic-seated-slump-slider",
                2,
                "knee-straight-look-up",
                "Straighten the knee, look up",
                [
                    "Slowly straighten one knee so your foot lifts off the floor.",
                    "At the same time, lift your head and look up.",
                    "Stop when you feel a light pull.",
                    "Bend your knee and look down again.",
                    "Keep moving smoothly back and forth.",
                ],
                "The same seated person with one knee straightened and the head lifted to look up",
            ),
        ],
    },
    {
        "slug": "sciatic-seated-slump-tensioner",
        "name": "Seated sciatic nerve tensioner",
        "kind": "tensioner",
        "nerve": "sciatic",
        "region": "lower",
        "purpose": (
            "This gives the nerve at the back of your leg a gentle stretch from both "
            "ends at once. It helps the nerve get used to being lengthened again."
        ),
        "what_to_feel": (
            "A stretch behind your knee or thigh, a bit stronger than with the slider. "
            "It should fade within a few seconds of bending your knee."
        ),
        "precautions": " ".join([_TENSIONER_ONLY, _NO_PUSH, _STOP_NERVE, _STOP_PAIN]),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": "",
        **_TENSIONER_DOSE,
        "movements": [
            _movement(
                "sciatic-seated-slump-tensioner",
                1,
                "knee-bent-look-up",
                "Knee bent, head up",
                [
                    "Sit on a firm chair with your feet flat on the floor.",
                    "Let your back round into a gentle slouch.",
                    "Rest your hands on your thighs.",
                    "Lift your head and look straight ahead.",
                ],
                "A person sitting slouched on a chair, hands on the thighs, feet on the floor and head up",
            ),
            _movement(
                "sciatic-seated-slump-tensioner",
                2,
                "knee-straight-look-down",
                "Straighten the knee, look down",
                [
                    "Slowly straighten one knee so your foot lifts off the floor.",
                    "At the same time, tip your chin down toward your chest.",
                    "Stop as soon as you feel a stretch. Do not push past it.",
                    "Bend your knee and lift your head again.",
                ],
                "The same seated person with one knee straightened and the chin tipped down toward the chest",
            ),
        ],
    },
    {
        "slug": "sciatic-supine-slr-slider",
        "name": "Lying sciatic nerve slider",
        "kind": "slider",
        "nerve": "sciatic",
        "region": "lower",
        "purpose": (
            "This helps the nerve at the back of your leg glide while you lie down and "
            "your back is supported. It is a good choice if sitting is hard for you."
        ),
        "what_to_feel": (
            "A mild pull behind your knee or calf as the knee straightens. It should "
            "ease as soon as you bend the knee. It should not hurt."
        ),
        "precautions": " ".join(
            [
                _NO_PUSH,
                _STOP_NERVE,
                _STOP_PAIN,
                "If lifting your head bothers your neck, keep it on the pillow and just nod your chin.",
            ]
        ),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": _SLIDER_IMAGE,
        **_SLIDER_DOSE,
        "movements": [
            _movement(
                "sciatic-supine-slr-slider",
                1,
                "knee-bent-chin-tucked",
                "Knee bent, chin tucked",
                [
                    "Lie on your back on the floor or a firm bed.",
                    "Rest your head on a flat pillow.",
                    "Keep your other leg flat.",
                    "Lift one leg until the thigh points up to the ceiling.",
                    "Hold the back of that thigh with both hands.",
                    "Let the knee bend.",
                    "Point your toes away from you.",
                    "Lift your head a little and tuck your chin.",
                ],
                "A person lying on the back, holding behind one raised thigh, knee bent, "
                "toes pointed and head lifted with the chin tucked",
            ),
            _movement(
                "sciatic-supine-slr-slider",
                2,
                "knee-straight-head-down",
                "Straighten the knee, head down",
                [
                    "Slowly straighten your knee toward the ceiling.",
                    "Pull your toes back toward you.",
                    "At the same time, lay your head back down.",
                    "Stop when you feel a light pull behind your knee.",
                    "Go back to the start and repeat.",
                ],
                "The same person lying down with the held leg straightened up, toes "
                "pulled back and the head resting on the floor",
            ),
        ],
    },
    {
        "slug": "tibial-slider",
        "name": "Tibial nerve slider",
        "kind": "slider",
        "nerve": "tibial",
        "region": "lower",
        "purpose": (
            "This helps the nerve that runs down your calf into the sole of your foot "
            "glide gently. It can help with pulling or tingling in the calf, heel or sole."
        ),
        "what_to_feel": (
            "A mild pull in your calf, behind your knee or under your foot when your foot "
            "comes up. It should ease as soon as you point your toes. It should not hurt."
        ),
        "precautions": " ".join([_NO_PUSH, _STOP_NERVE, _STOP_PAIN]),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": _SLIDER_IMAGE,
        **_SLIDER_DOSE,
        "movements": [
            _movement(
                "tibial-slider",
                1,
                "toes-pointed-look-down",
                "Toes pointed, look down",
                [
                    "Sit tall near the front of a firm chair.",
                    "Put one leg out in front with the heel on the floor.",
                    "Keep that knee straight but not locked.",
                    "Point your toes away from you.",
                    "Tip your chin down toward your chest.",
                ],
                "A person sitting on the front of a chair with one leg out straight, heel "
                "on the floor, toes pointed and chin tipped down",
            ),
            _movement(
                "tibial-slider",
                2,
                "foot-up-look-up",
                "Foot up, look up",
                [
                    "Pull your foot and toes up toward you.",
                    "Let the sole of your foot turn a little outward.",
                    "At the same time, lift your head and look up.",
                    "Stop at a light pull in your calf or under your foot.",
                    "Go back to the start and repeat.",
                ],
                "The same seated person with the foot pulled up toward the shin and the "
                "head lifted to look up",
            ),
        ],
    },
    {
        "slug": "peroneal-slider",
        "name": "Peroneal nerve slider",
        "kind": "slider",
        "nerve": "peroneal",
        "region": "lower",
        "purpose": (
            "This helps the nerve on the outside of your knee and shin glide gently. It "
            "can help with pulling or tingling on the outside of the shin or the top of "
            "the foot."
        ),
        "what_to_feel": (
            "A mild pull on the outside of your shin or the top of your foot when you "
            "point and turn the foot. It should ease when you relax the foot. It should "
            "not hurt."
        ),
        "precautions": " ".join([_NO_PUSH, _STOP_NERVE, _STOP_PAIN]),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": _SLIDER_IMAGE,
        **_SLIDER_DOSE,
        "movements": [
            _movement(
                "peroneal-slider",
                1,
                "foot-up-look-down",
                "Foot up, look down",
                [
                    "Sit tall near the front of a firm chair.",
                    "Put one leg out in front with the heel on the floor.",
                    "Keep that knee straight but not locked.",
                    "Pull your foot up toward you.",
                    "Tip your chin down toward your chest.",
                ],
                "A person sitting on the front of a chair with one leg out straight, heel "
                "on the floor, foot pulled up and chin tipped down",
            ),
            _movement(
                "peroneal-slider",
                2,
                "toes-pointed-look-up",
                "Point and turn the foot, look up",
                [
                    "Point your toes away from you.",
                    "Turn the sole of your foot in, toward your other foot.",
                    "At the same time, lift your head and look up.",
                    "Stop at a light pull on the outside of your shin or foot.",
                    "Go back to the start and repeat.",
                ],
                "The same seated person with the toes pointed and turned in and the head lifted to look up",
            ),
        ],
    },
    {
        "slug": "femoral-side-lying-slider",
        "name": "Side-lying femoral nerve slider",
        "kind": "slider",
        "nerve": "femoral",
        "region": "lower",
        "purpose": (
            "This helps the nerve at the front of your thigh glide gently. It can help "
            "with pain or tingling in the front of the thigh, the groin or the knee."
        ),
        "what_to_feel": (
            "A mild pull at the front of your thigh when your leg goes back. It should "
            "ease as soon as the leg comes forward. It should not hurt."
        ),
        "precautions": " ".join(
            [
                _NO_PUSH,
                "Keep your lower back still. Let the movement come from your hip.",
                _STOP_NERVE,
                _STOP_PAIN,
            ]
        ),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": _SLIDER_IMAGE,
        **_SLIDER_DOSE,
        "movements": [
            _movement(
                "femoral-side-lying-slider",
                1,
                "leg-forward-chin-tucked",
                "Leg forward, chin tucked",
                [
                    "Lie on your side with the sore leg on top.",
                    "Rest your head on a pillow.",
                    "Bend your bottom knee up toward your chest.",
                    "Rest your top hand on your hip.",
                    "Bring your top knee a little forward.",
                    "Tuck your chin toward your chest.",
                ],
                "A person lying on one side, seen from above, with the bottom knee drawn "
                "up, the top knee forward and the chin tucked",
            ),
            _movement(
                "femoral-side-lying-slider",
                2,
                "leg-back-head-up",
                "Leg back, head up",
                [
                    "Bend your top knee so your heel moves toward your bottom.",
                    "Slowly move that thigh back behind you.",
                    "At the same time, lift your chin and look ahead.",
                    "Stop at a light pull in the front of your thigh.",
                    "Go back to the start and repeat.",
                ],
                "The same person lying on one side with the top thigh moved back, the "
                "knee bent and the head tipped back",
            ),
        ],
    },
    # ------------------------------------------------------------------ upper limb
    {
        "slug": "median-nerve-slider",
        "name": "Median nerve slider",
        "kind": "slider",
        "nerve": "median",
        "region": "upper",
        "purpose": (
            "This helps the nerve that runs down the middle of your arm into your hand "
            "glide gently. It can help with tingling in the thumb and first fingers, or "
            "pain along the arm."
        ),
        "what_to_feel": (
            "A mild pull along the inside of your arm, in your palm or in your fingers. "
            "It should ease as soon as you relax the wrist. It should not hurt."
        ),
        "precautions": " ".join(
            [
                _NO_PUSH,
                "Keep your shoulder down, away from your ear.",
                _STOP_NERVE,
                _STOP_PAIN,
            ]
        ),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": _SLIDER_IMAGE,
        **_SLIDER_DOSE,
        "movements": [
            _movement(
                "median-nerve-slider",
                1,
                "wrist-bent-head-away",
                "Wrist bent, head away",
                [
                    "Sit or stand tall.",
                    "Lift one arm out to the side to shoulder height.",
                    "Keep the elbow almost straight.",
                    "Turn your palm up to the ceiling.",
                    "Let your wrist bend so your fingers point up.",
                    "Tilt your head away from that arm.",
                ],
                "A person with one arm out to the side at shoulder height, the fingers "
                "bent up and the head tilted away from the arm",
            ),
            _movement(
                "median-nerve-slider",
                2,
                "wrist-back-head-toward",
                "Wrist back, head toward the arm",
                [
                    "Bend your wrist back so your fingers point down to the floor.",
                    "At the same time, tilt your head toward that arm.",
                    "Stop at a light pull in your arm or hand.",
                    "Go back to the start and repeat.",
                ],
                "The same person with the wrist bent back so the fingers point to the "
                "floor and the head tilted toward the arm",
            ),
        ],
    },
    {
        "slug": "median-nerve-tensioner",
        "name": "Median nerve tensioner",
        "kind": "tensioner",
        "nerve": "median",
        "region": "upper",
        "purpose": (
            "This gives the nerve down the middle of your arm a gentle stretch from both "
            "ends at once. It helps the nerve get used to being lengthened again."
        ),
        "what_to_feel": (
            "A stretch along the inside of your arm or in your palm, a bit stronger than "
            "with the slider. It should fade within a few seconds of relaxing."
        ),
        "precautions": " ".join(
            [
                _TENSIONER_ONLY,
                _NO_PUSH,
                "Keep your shoulder down, away from your ear.",
                _STOP_NERVE,
                _STOP_PAIN,
            ]
        ),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": "",
        **_TENSIONER_DOSE,
        "movements": [
            _movement(
                "median-nerve-tensioner",
                1,
                "wrist-bent-head-toward",
                "Wrist bent, head toward the arm",
                [
                    "Sit or stand tall.",
                    "Lift one arm out to the side to shoulder height.",
                    "Keep the elbow almost straight.",
                    "Turn your palm up to the ceiling.",
                    "Let your wrist bend so your fingers point up.",
                    "Tilt your head toward that arm.",
                ],
                "A person with one arm out to the side at shoulder height, the fingers "
                "bent up and the head tilted toward the arm",
            ),
            _movement(
                "median-nerve-tensioner",
                2,
                "wrist-back-head-away",
                "Wrist back, head away",
                [
                    "Bend your wrist back so your fingers point down to the floor.",
                    "At the same time, tilt your head away from that arm.",
                    "Stop as soon as you feel a stretch. Do not push past it.",
                    "Go back to the start and repeat.",
                ],
                "The same person with the wrist bent back so the fingers point to the "
                "floor and the head tilted away from the arm",
            ),
        ],
    },
    {
        "slug": "ulnar-nerve-slider",
        "name": "Ulnar nerve slider",
        "kind": "slider",
        "nerve": "ulnar",
        "region": "upper",
        "purpose": (
            "This helps the nerve that runs past the inside of your elbow (your funny "
            "bone) glide gently. It can help with tingling in the ring and little fingers."
        ),
        "what_to_feel": (
            "A mild pull on the inside of your elbow, along the little-finger side of "
            "your forearm or in your ring and little fingers. It should not hurt."
        ),
        "precautions": " ".join(
            [
                _NO_PUSH,
                "Keep your shoulder down, away from your ear.",
                _STOP_NERVE,
                _STOP_PAIN,
            ]
        ),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": _SLIDER_IMAGE,
        **_SLIDER_DOSE,
        "movements": [
            _movement(
                "ulnar-nerve-slider",
                1,
                "arm-out-head-away",
                "Arm out, head away",
                [
                    "Sit or stand tall.",
                    "Lift one arm out to the side to shoulder height.",
                    "Keep the elbow straight.",
                    "Turn your palm down to the floor.",
                    "Tilt your head away from that arm.",
                ],
                "A person with one arm straight out to the side, palm down, and the head "
                "tilted away from the arm",
            ),
            _movement(
                "ulnar-nerve-slider",
                2,
                "hand-up-head-toward",
                "Hand up like a tray, head toward the arm",
                [
                    "Bend your elbow so your hand comes up above your shoulder.",
                    "Bend your wrist back so your palm faces the ceiling, like holding a tray.",
                    "Let your fingers point in toward your head.",
                    "At the same time, tilt your head toward that hand.",
                    "Stop at a light pull on the inside of your elbow or little finger.",
                    "Go back to the start and repeat.",
                ],
                "The same person with the elbow bent, the hand held up above the shoulder "
                "with the palm facing the ceiling, and the head tilted toward the hand",
            ),
        ],
    },
    {
        "slug": "radial-nerve-slider",
        "name": "Radial nerve slider",
        "kind": "slider",
        "nerve": "radial",
        "region": "upper",
        "purpose": (
            "This helps the nerve that runs along the back and thumb side of your arm "
            "glide gently. It can help with pain on the outside of the elbow or tingling "
            "on the back of the hand."
        ),
        "what_to_feel": (
            "A mild pull along the back of your forearm, the outside of your elbow or the "
            "back of your hand. It should not hurt."
        ),
        "precautions": " ".join([_NO_PUSH, _STOP_NERVE, _STOP_PAIN]),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": _SLIDER_IMAGE,
        **_SLIDER_DOSE,
        "movements": [
            _movement(
                "radial-nerve-slider",
                1,
                "arm-relaxed-head-away",
                "Arm relaxed, head away",
                [
                    "Stand tall with your arms relaxed by your sides.",
                    "Let your palm rest against the side of your thigh.",
                    "Tilt your head away from that arm.",
                ],
                "A person standing with the arm relaxed by the side and the head tilted away from that arm",
            ),
            _movement(
                "radial-nerve-slider",
                2,
                "arm-turned-in-head-toward",
                "Arm turned in, wrist bent, head toward the arm",
                [
                    "Gently draw your shoulder down.",
                    "Turn your whole arm in so your palm faces behind you.",
                    "Make a loose fist.",
                    "Bend your wrist toward your palm.",
                    "Move your hand a little out from your side.",
                    "At the same time, tilt your head toward that arm.",
                    "Stop at a light pull on the back of your forearm or hand.",
                    "Relax and go back to the start.",
                ],
                "The same person with the shoulder down, the arm turned in, a bent wrist "
                "and fist held a little out from the side, and the head tilted toward the arm",
            ),
        ],
    },
]
