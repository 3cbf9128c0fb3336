"""
The standard neurodynamic tests that ship with Glide, as data.

Loaded into the database by a data migration (``catalogue.load_standard_catalogue``).
Codes are stable identifiers used by the API and integrators: never rename one;
add a new test or step instead. Each step is ``(code, kind, name, differentiates)``
in the order it is applied; ``kind`` is ``base``, ``sensitizer`` or
``differentiation``. ``differentiates`` marks the steps that can confirm a neural
source by moving a body part far from the symptoms.

Sources: Butler; Shacklock; Nee et al., JOSPT 2012; see ``shared/reference``.
"""

B, S, D = "base", "sensitizer", "differentiation"

SLR_BASE = ("hip-flexion", B, "Supine, knee straight: raise the leg by flexing the hip", False)

NEUROTESTS = [
    {
        "code": "SLR",
        "name": "Straight leg raise",
        "nerve_bias": "Sciatic and tibial nerves; L4-S2 roots",
        "region": "lower",
        "measured_joint": "hip flexion",
        "description": "The leg is raised with the knee straight until the patient's symptoms "
        "begin, then sensitized at the ankle, hip and neck.",
        "steps": [
            SLR_BASE,
            ("ankle-dorsiflexion", S, "Add ankle dorsiflexion", True),
            ("hip-adduction", S, "Add hip adduction", False),
            ("hip-internal-rotation", S, "Add hip internal rotation", False),
            ("neck-flexion", D, "Add passive neck flexion", True),
        ],
    },
    {
        "code": "SLR-TIB",
        "name": "Straight leg raise, tibial bias",
        "nerve_bias": "Tibial nerve",
        "region": "lower",
        "measured_joint": "hip flexion",
        "description": "The straight leg raise with the ankle taken into dorsiflexion and eversion.",
        "steps": [
            SLR_BASE,
            ("ankle-dorsiflexion-eversion", S, "Add ankle dorsiflexion with eversion", False),
            ("release-dorsiflexion-or-neck-flexion", D, "Release dorsiflexion or add neck flexion", True),
        ],
    },
    {
        "code": "SLR-PER",
        "name": "Straight leg raise, common peroneal bias",
        "nerve_bias": "Common peroneal nerve",
        "region": "lower",
        "measured_joint": "hip flexion",
        "description": "The straight leg raise with the ankle taken into plantarflexion and inversion.",
        "steps": [
            SLR_BASE,
            ("ankle-plantarflexion-inversion", S, "Add ankle plantarflexion with inversion", False),
            ("neck-flexion", D, "Add passive neck flexion", True),
        ],
    },
    {
        "code": "SLR-SUR",
        "name": "Straight leg raise, sural bias",
        "nerve_bias": "Sural nerve",
        "region": "lower",
        "measured_joint": "hip flexion",
        "description": "The straight leg raise with the ankle taken into dorsiflexion and inversion.",
        "steps": [
            SLR_BASE,
            ("ankle-dorsiflexion-inversion", S, "Add ankle dorsiflexion with inversion", False),
            ("neck-flexion", D, "Add passive neck flexion", True),
        ],
    },
    {
        "code": "SLUMP",
        "name": "Slump test",
        "nerve_bias": "Neuraxis and sciatic nerve",
        "region": "spine",
        "measured_joint": "knee extension",
        "description": "Seated, the spine and neck are flexed, then the knee extended and the ankle "
        "dorsiflexed; releasing the neck differentiates (easing symptoms count as a change).",
        "steps": [
            ("upright-sitting", B, "Sit upright, hands behind the back", False),
            ("trunk-slump", B, "Slump the thoracic and lumbar spine, with overpressure", False),
            ("neck-flexion", B, "Add neck flexion", False),
            ("knee-extension", B, "Extend the knee", False),
            ("ankle-dorsiflexion", S, "Add ankle dorsiflexion", False),
            ("release-neck-flexion", D, "Release neck flexion", True),
        ],
    },
    {
        "code": "PKB",
        "name": "Prone knee bend",
        "nerve_bias": "Femoral nerve; L2-L4 roots",
        "region": "lower",
        "measured_joint": "knee flexion",
        "description": "Lying face down, the knee is bent, then the hip extended.",
        "steps": [
            ("knee-flexion", B, "Prone: flex the knee", False),
            ("hip-extension", S, "Add hip extension", False),
            ("neck-flexion-or-extension", D, "Add neck flexion or extension", True),
        ],
    },
    {
        "code": "SL-SLUMP",
        "name": "Side-lying femoral slump",
        "nerve_bias": "Femoral and saphenous nerves",
        "region": "lower",
        "measured_joint": "hip extension",
        "description": "Lying on the side with trunk and neck flexed, the knee is bent and the hip "
        "extended; releasing the neck differentiates.",
        "steps": [
            ("side-lying-trunk-neck-flexion", B, "Side-lying with trunk and neck flexed", False),
            ("knee-flexion", B, "Flex the knee", False),
            ("hip-extension", B, "Extend the hip", False),
            ("release-neck-flexion", D, "Release neck flexion", True),
        ],
    },
    {
        "code": "PNF",
        "name": "Passive neck flexion",
        "nerve_bias": "Neuraxis and meninges",
        "region": "spine",
        "measured_joint": "neck flexion",
        "description": "Lying on the back, the head is lifted to flex the neck; a straight leg "
        "raise added on top differentiates.",
        "steps": [
            ("neck-flexion", B, "Supine: passive neck flexion", False),
            ("add-straight-leg-raise", D, "Add a straight leg raise", True),
        ],
    },
    {
        "code": "ULNT1",
        "name": "Upper limb neurodynamic test 1",
        "nerve_bias": "Median nerve; C5-T1",
        "region": "upper",
        "measured_joint": "elbow extension",
        "description": "Shoulder girdle depressed, shoulder abducted, wrist and fingers extended "
        "with the forearm supinated, shoulder rotated out, then the elbow extended.",
        "steps": [
            ("shoulder-girdle-depression", B, "Depress the shoulder girdle", False),
            ("shoulder-abduction", B, "Abduct the shoulder 90-110 degrees", False),
            ("wrist-finger-extension-supination", B, "Extend wrist and fingers, supinate the forearm", False),
            ("shoulder-external-rotation", B, "Rotate the shoulder outward", False),
            ("elbow-extension", B, "Extend the elbow", False),
            (
                "differentiation",
                D,
                "Contralateral neck side flexion (distal symptoms) or wrist release (proximal symptoms)",
                True,
            ),
        ],
    },
    {
        "code": "ULNT2A",
        "name": "Upper limb neurodynamic test 2a",
        "nerve_bias": "Median nerve",
        "region": "upper",
        "measured_joint": "elbow extension",
        "description": "Shoulder girdle depressed, elbow extended, the whole arm turned out and "
        "supinated, wrist, fingers and thumb extended, then the shoulder abducted.",
        "steps": [
            ("shoulder-girdle-depression", B, "Depress the shoulder girdle", False),
            ("elbow-extension", B, "Extend the elbow", False),
            ("arm-lateral-rotation-supination", B, "Rotate the whole arm outward and supinate", False),
            ("wrist-finger-thumb-extension", B, "Extend the wrist, fingers and thumb", False),
            ("shoulder-abduction", B, "Abduct the shoulder", False),
            ("contralateral-neck-side-flexion", D, "Add contralateral neck side flexion", True),
        ],
    },
    {
        "code": "ULNT2B",
        "name": "Upper limb neurodynamic test 2b",
        "nerve_bias": "Radial nerve",
        "region": "upper",
        "measured_joint": "elbow extension",
        "description": "Shoulder girdle depressed, elbow extended, the whole arm turned in and "
        "pronated, wrist, fingers and thumb flexed with ulnar deviation, then the shoulder abducted.",
        "steps": [
            ("shoulder-girdle-depression", B, "Depress the shoulder girdle", False),
            ("elbow-extension", B, "Extend the elbow", False),
            ("arm-medial-rotation-pronation", B, "Rotate the whole arm inward and pronate", False),
            (
                "wrist-finger-thumb-flexion-ulnar-deviation",
                B,
                "Flex the wrist, fingers and thumb with ulnar deviation",
                False,
            ),
            ("shoulder-abduction", B, "Abduct the shoulder", False),
            ("contralateral-neck-side-flexion", D, "Add contralateral neck side flexion", True),
        ],
    },
    {
        "code": "ULNT3",
        "name": "Upper limb neurodynamic test 3",
        "nerve_bias": "Ulnar nerve",
        "region": "upper",
        "measured_joint": "elbow flexion",
        "description": "Wrist and fingers extended, forearm pronated, elbow flexed, shoulder rotated "
        "out, shoulder girdle depressed, then the shoulder abducted.",
        "steps": [
            ("wrist-finger-extension", B, "Extend the wrist and fingers", False),
            ("forearm-pronation", B, "Pronate the forearm", False),
            ("elbow-flexion", B, "Flex the elbow", False),
            ("shoulder-external-rotation", B, "Rotate the shoulder outward", False),
            ("shoulder-girdle-depression", B, "Depress the shoulder girdle", False),
            ("shoulder-abduction", B, "Abduct the shoulder", False),
            ("contralateral-neck-side-flexion", D, "Add contralateral neck side flexion", True),
        ],
    },
]
