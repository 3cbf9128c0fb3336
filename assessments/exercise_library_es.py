"""
The standard exercise library in Spanish: what a patient reads of every exercise in
``exercise_library.py``, keyed by the same exercise and movement slugs.

``catalogue.load_standard_catalogue`` stores it in the ``translations`` of each
exercise and movement. Written for a patient reading alone at home: "usted", plain
words, short sentences, one action per step, the same meaning as the English. This
module imports nothing from Django.
"""

# Shared wording, so that every handout says the safety rules the same way.
_STOP_NERVE = (
    "Pare y llame a su terapeuta si siente hormigueo o la piel dormida, "
    "y no se le pasa poco después de terminar la serie."
)
_STOP_PAIN = "Pare si el dolor sube mientras lo hace, o si sigue ahí una hora después."
_NO_PUSH = "Muévase despacio. Llegue solo hasta notar un tirón leve. Nunca siga hasta el dolor."
_TENSIONER_ONLY = (
    "Este ejercicio es más fuerte. Hágalo solo si su terapeuta se lo ha pedido. "
    "Si al día siguiente le duele más, vuelva al ejercicio suave de deslizar y avise a su terapeuta."
)
_SHOULDER_DOWN = "Mantenga el hombro bajo, lejos de la oreja."
_SLIDER_BREATH = "Respire despacio y con calma todo el tiempo. No aguante el aire."
_SLIDER_IMAGE = (
    "Piense en el nervio como un hilo largo que se desliza de un lado a otro, "
    "como el hilo dental entre dos dientes."
)

# Steps that several exercises share.
_SIT_FIRM_CHAIR = [
    "Siéntese en una silla firme con los pies planos en el suelo.",
    "Deje que la espalda se curve un poco, sin fuerza.",
    "Apoye las manos en los muslos.",
]
_SIT_FRONT_OF_CHAIR = [
    "Siéntese recto cerca del borde de una silla firme.",
    "Estire una pierna hacia delante con el talón en el suelo.",
    "Mantenga esa rodilla recta, pero sin bloquearla.",
]
_ARM_OUT_PALM_UP = [
    "Siéntese o póngase de pie, bien recto.",
    "Suba un brazo hacia el lado, hasta la altura del hombro.",
    "Mantenga el codo casi recto.",
    "Gire la palma hacia el techo.",
    "Doble la muñeca para que los dedos apunten hacia arriba.",
]
_REPEAT = "Vuelva al inicio y repita."


EXERCISES = {
    # ------------------------------------------------------------------ lower limb
    "active-hamstring-mobilization": {
        "name": "Movimiento activo de la parte de atrás de las piernas",
        "purpose": (
            "Este ejercicio calienta toda la parte de atrás de las piernas. Ayuda a que el "
            "nervio grande de esa zona se deslice bien. Puede aliviar la tirantez que aparece "
            "después de estar mucho tiempo sentado."
        ),
        "what_to_feel": (
            "Un estiramiento o tirón leve detrás de los muslos y las pantorrillas al subir la "
            "cadera. Debe ser más fácil, no más difícil, al repetirlo. No debe doler."
        ),
        "precautions": " ".join(
            [
                _NO_PUSH,
                _STOP_NERVE,
                _STOP_PAIN,
                "Pare también si el dolor baja más por la pierna. "
                "Si se marea, levántese despacio y descanse.",
            ]
        ),
        "breathing_cue": (
            "Tome aire al bajar a la sentadilla. Deje que el suelo de la pelvis se relaje y baje. "
            "Suelte el aire al subir la cadera."
        ),
        "imagery_cue": (
            "Cada vez que tome aire, imagine que los dos huesos de las nalgas, los que apoya al "
            "sentarse, se separan."
        ),
        "movements": {
            "squat-start": {
                "title": "Empiece en sentadilla",
                "steps": [
                    "Póngase de pie con los pies separados.",
                    "Apunte los pies hacia delante, o un poco hacia fuera. Elija lo que le sea más cómodo.",
                    "Doble las rodillas y baje a una sentadilla.",
                    "Junte las manos.",
                    "Apoye los codos en las piernas, justo encima de las rodillas.",
                    "Tome aire.",
                ],
                "illustration_alt": (
                    "Una persona en sentadilla con los pies planos, las manos juntas y los codos "
                    "apoyados justo encima de las rodillas"
                ),
            },
            "hips-up": {
                "title": "Suba la cadera",
                "steps": [
                    "Suelte el aire y suba la cadera despacio hacia el techo.",
                    "Mantenga los codos en las piernas.",
                    "Mantenga las manos juntas.",
                    "No hace falta que las rodillas queden rectas. Está bien así.",
                    "Tome aire y vuelva a bajar a la sentadilla.",
                    "Repita unas 10 veces. Fíjese si se hace más fácil.",
                ],
                "illustration_alt": (
                    "La misma persona con la cadera subida hacia el techo, las rodillas medio "
                    "rectas y los codos aún apoyados en los muslos"
                ),
            },
        },
    },
    "sciatic-seated-slump-slider": {
        "name": "Deslizar el nervio ciático, sentado",
        "purpose": (
            "Este ejercicio ayuda a que el nervio de la parte de atrás de la pierna se deslice "
            "con suavidad. Es una forma suave de mover el nervio cuando la pierna se irrita con facilidad."
        ),
        "what_to_feel": (
            "Un tirón leve detrás de la rodilla o del muslo con la pierna estirada. Debe pasar en "
            "cuanto vuelva a doblar la rodilla. No debe doler."
        ),
        "precautions": " ".join([_NO_PUSH, _STOP_NERVE, _STOP_PAIN]),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": _SLIDER_IMAGE,
        "movements": {
            "knee-bent-look-down": {
                "title": "Rodilla doblada, mire abajo",
                "steps": [*_SIT_FIRM_CHAIR, "Baje la barbilla hacia el pecho."],
                "illustration_alt": (
                    "Una persona sentada en una silla con la espalda curvada, las manos en los "
                    "muslos, los pies en el suelo y la barbilla baja"
                ),
            },
            "knee-straight-look-up": {
                "title": "Estire la rodilla, mire arriba",
                "steps": [
                    "Estire una rodilla despacio, hasta que el pie se separe del suelo.",
                    "A la vez, suba la cabeza y mire arriba.",
                    "Pare cuando note un tirón leve.",
                    "Doble la rodilla y vuelva a mirar abajo.",
                    "Siga con el movimiento, suave, de un lado a otro.",
                ],
                "illustration_alt": (
                    "La misma persona sentada con una rodilla estirada y la cabeza alzada, mirando arriba"
                ),
            },
        },
    },
    "sciatic-seated-slump-tensioner": {
        "name": "Tensar el nervio ciático, sentado",
        "purpose": (
            "Este ejercicio estira con suavidad el nervio de la parte de atrás de la pierna desde "
            "sus dos extremos a la vez. Ayuda a que el nervio se acostumbre de nuevo a alargarse."
        ),
        "what_to_feel": (
            "Un estiramiento detrás de la rodilla o del muslo, un poco más fuerte que en el "
            "ejercicio de deslizar. Debe pasar unos segundos después de doblar la rodilla."
        ),
        "precautions": " ".join([_TENSIONER_ONLY, _NO_PUSH, _STOP_NERVE, _STOP_PAIN]),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": "",
        "movements": {
            "knee-bent-look-up": {
                "title": "Rodilla doblada, cabeza arriba",
                "steps": [*_SIT_FIRM_CHAIR, "Suba la cabeza y mire al frente."],
                "illustration_alt": (
                    "Una persona sentada en una silla con la espalda curvada, las manos en los "
                    "muslos, los pies en el suelo y la cabeza alta"
                ),
            },
            "knee-straight-look-down": {
                "title": "Estire la rodilla, mire abajo",
                "steps": [
                    "Estire una rodilla despacio, hasta que el pie se separe del suelo.",
                    "A la vez, baje la barbilla hacia el pecho.",
                    "Pare en cuanto note un estiramiento. No vaya más allá.",
                    "Doble la rodilla y vuelva a subir la cabeza.",
                ],
                "illustration_alt": (
                    "La misma persona sentada con una rodilla estirada y la barbilla baja, hacia el pecho"
                ),
            },
        },
    },
    "sciatic-supine-slr-slider": {
        "name": "Deslizar el nervio ciático, boca arriba",
        "purpose": (
            "Este ejercicio ayuda a que el nervio de la parte de atrás de la pierna se deslice "
            "mientras está tumbado, con la espalda apoyada. Es una buena opción si le cuesta estar sentado."
        ),
        "what_to_feel": (
            "Un tirón leve detrás de la rodilla o de la pantorrilla al estirar la rodilla. Debe "
            "bajar en cuanto la doble. No debe doler."
        ),
        "precautions": " ".join(
            [
                _NO_PUSH,
                _STOP_NERVE,
                _STOP_PAIN,
                "Si le molesta el cuello al subir la cabeza, déjela en la almohada. "
                "Solo baje un poco la barbilla.",
            ]
        ),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": _SLIDER_IMAGE,
        "movements": {
            "knee-bent-chin-tucked": {
                "title": "Rodilla doblada, barbilla baja",
                "steps": [
                    "Túmbese boca arriba en el suelo o en una cama firme.",
                    "Apoye la cabeza en una almohada plana.",
                    "Deje la otra pierna estirada.",
                    "Suba una pierna hasta que el muslo apunte al techo.",
                    "Sujete ese muslo por detrás con las dos manos.",
                    "Deje que la rodilla se doble.",
                    "Estire la punta del pie, lejos de usted.",
                    "Suba un poco la cabeza y baje la barbilla.",
                ],
                "illustration_alt": (
                    "Una persona boca arriba que sujeta un muslo alzado por detrás, con la rodilla "
                    "doblada, la punta del pie estirada y la cabeza alzada con la barbilla baja"
                ),
            },
            "knee-straight-head-down": {
                "title": "Estire la rodilla, cabeza abajo",
                "steps": [
                    "Estire la rodilla despacio hacia el techo.",
                    "Tire de los dedos del pie hacia usted.",
                    "A la vez, vuelva a apoyar la cabeza.",
                    "Pare cuando note un tirón leve detrás de la rodilla.",
                    _REPEAT,
                ],
                "illustration_alt": (
                    "La misma persona tumbada con la pierna sujeta y estirada hacia arriba, los "
                    "dedos del pie hacia atrás y la cabeza apoyada en el suelo"
                ),
            },
        },
    },
    "tibial-slider": {
        "name": "Deslizar el nervio tibial",
        "purpose": (
            "Este ejercicio ayuda a que el nervio que baja por la pantorrilla hasta la planta del "
            "pie se deslice con suavidad. Puede aliviar el tirón o el hormigueo en la pantorrilla, "
            "el talón o la planta."
        ),
        "what_to_feel": (
            "Un tirón leve en la pantorrilla, detrás de la rodilla o bajo el pie al subir el pie. "
            "Debe bajar en cuanto estire la punta del pie. No debe doler."
        ),
        "precautions": " ".join([_NO_PUSH, _STOP_NERVE, _STOP_PAIN]),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": _SLIDER_IMAGE,
        "movements": {
            "toes-pointed-look-down": {
                "title": "Punta del pie estirada, mire abajo",
                "steps": [
                    *_SIT_FRONT_OF_CHAIR,
                    "Estire la punta del pie, lejos de usted.",
                    "Baje la barbilla hacia el pecho.",
                ],
                "illustration_alt": (
                    "Una persona sentada en el borde de una silla con una pierna estirada, el talón "
                    "en el suelo, la punta del pie estirada y la barbilla baja"
                ),
            },
            "foot-up-look-up": {
                "title": "Pie arriba, mire arriba",
                "steps": [
                    "Tire del pie y de los dedos hacia usted.",
                    "Deje que la planta del pie gire un poco hacia fuera.",
                    "A la vez, suba la cabeza y mire arriba.",
                    "Pare al notar un tirón leve en la pantorrilla o bajo el pie.",
                    _REPEAT,
                ],
                "illustration_alt": (
                    "La misma persona sentada con el pie subido hacia la espinilla y la cabeza "
                    "alzada, mirando arriba"
                ),
            },
        },
    },
    "peroneal-slider": {
        "name": "Deslizar el nervio peroneo",
        "purpose": (
            "Este ejercicio ayuda a que el nervio de la parte de fuera de la rodilla y de la "
            "espinilla se deslice con suavidad. Puede aliviar el tirón o el hormigueo en la parte "
            "de fuera de la espinilla o en el empeine."
        ),
        "what_to_feel": (
            "Un tirón leve en la parte de fuera de la espinilla o en el empeine al estirar y girar "
            "el pie. Debe bajar cuando relaje el pie. No debe doler."
        ),
        "precautions": " ".join([_NO_PUSH, _STOP_NERVE, _STOP_PAIN]),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": _SLIDER_IMAGE,
        "movements": {
            "foot-up-look-down": {
                "title": "Pie arriba, mire abajo",
                "steps": [
                    *_SIT_FRONT_OF_CHAIR,
                    "Tire del pie hacia usted.",
                    "Baje la barbilla hacia el pecho.",
                ],
                "illustration_alt": (
                    "Una persona sentada en el borde de una silla con una pierna estirada, el talón "
                    "en el suelo, el pie subido y la barbilla baja"
                ),
            },
            "toes-pointed-look-up": {
                "title": "Estire y gire el pie, mire arriba",
                "steps": [
                    "Estire la punta del pie, lejos de usted.",
                    "Gire la planta del pie hacia dentro, hacia el otro pie.",
                    "A la vez, suba la cabeza y mire arriba.",
                    "Pare al notar un tirón leve en la parte de fuera de la espinilla o del pie.",
                    _REPEAT,
                ],
                "illustration_alt": (
                    "La misma persona sentada con la punta del pie estirada y girada hacia dentro, "
                    "y la cabeza alzada, mirando arriba"
                ),
            },
        },
    },
    "femoral-side-lying-slider": {
        "name": "Deslizar el nervio femoral, de lado",
        "purpose": (
            "Este ejercicio ayuda a que el nervio de la parte de delante del muslo se deslice con "
            "suavidad. Puede aliviar el dolor o el hormigueo delante del muslo, en la ingle o en la rodilla."
        ),
        "what_to_feel": (
            "Un tirón leve delante del muslo cuando la pierna va hacia atrás. Debe bajar en cuanto "
            "la pierna vuelva hacia delante. No debe doler."
        ),
        "precautions": " ".join(
            [
                _NO_PUSH,
                "No mueva la parte baja de la espalda. Haga el movimiento con la cadera.",
                _STOP_NERVE,
                _STOP_PAIN,
            ]
        ),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": _SLIDER_IMAGE,
        "movements": {
            "leg-forward-chin-tucked": {
                "title": "Pierna delante, barbilla baja",
                "steps": [
                    "Túmbese de lado, con la pierna que le duele arriba.",
                    "Apoye la cabeza en una almohada.",
                    "Doble la rodilla de abajo y súbala hacia el pecho.",
                    "Apoye la mano de arriba en la cadera.",
                    "Lleve la rodilla de arriba un poco hacia delante.",
                    "Baje la barbilla hacia el pecho.",
                ],
                "illustration_alt": (
                    "Una persona tumbada de lado, vista desde arriba, con la rodilla de abajo "
                    "recogida, la rodilla de arriba hacia delante y la barbilla baja"
                ),
            },
            "leg-back-head-up": {
                "title": "Pierna atrás, cabeza arriba",
                "steps": [
                    "Doble la rodilla de arriba para que el talón vaya hacia la nalga.",
                    "Lleve ese muslo despacio hacia atrás.",
                    "A la vez, suba la barbilla y mire al frente.",
                    "Pare al notar un tirón leve delante del muslo.",
                    _REPEAT,
                ],
                "illustration_alt": (
                    "La misma persona tumbada de lado con el muslo de arriba llevado hacia atrás, "
                    "la rodilla doblada y la cabeza hacia atrás"
                ),
            },
        },
    },
    # ------------------------------------------------------------------ upper limb
    "median-nerve-slider": {
        "name": "Deslizar el nervio mediano",
        "purpose": (
            "Este ejercicio ayuda a que el nervio que baja por el centro del brazo hasta la mano "
            "se deslice con suavidad. Puede aliviar el hormigueo en el pulgar y los primeros dedos, "
            "o el dolor a lo largo del brazo."
        ),
        "what_to_feel": (
            "Un tirón leve por la parte de dentro del brazo, en la palma o en los dedos. Debe "
            "bajar en cuanto relaje la muñeca. No debe doler."
        ),
        "precautions": " ".join([_NO_PUSH, _SHOULDER_DOWN, _STOP_NERVE, _STOP_PAIN]),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": _SLIDER_IMAGE,
        "movements": {
            "wrist-bent-head-away": {
                "title": "Muñeca doblada, cabeza al otro lado",
                "steps": [*_ARM_OUT_PALM_UP, "Incline la cabeza hacia el lado contrario a ese brazo."],
                "illustration_alt": (
                    "Una persona con un brazo hacia el lado a la altura del hombro, los dedos "
                    "hacia arriba y la cabeza inclinada hacia el otro lado"
                ),
            },
            "wrist-back-head-toward": {
                "title": "Muñeca hacia atrás, cabeza hacia el brazo",
                "steps": [
                    "Doble la muñeca hacia atrás para que los dedos apunten al suelo.",
                    "A la vez, incline la cabeza hacia ese brazo.",
                    "Pare al notar un tirón leve en el brazo o en la mano.",
                    _REPEAT,
                ],
                "illustration_alt": (
                    "La misma persona con la muñeca doblada hacia atrás, los dedos hacia el suelo "
                    "y la cabeza inclinada hacia el brazo"
                ),
            },
        },
    },
    "median-nerve-tensioner": {
        "name": "Tensar el nervio mediano",
        "purpose": (
            "Este ejercicio estira con suavidad el nervio del centro del brazo desde sus dos "
            "extremos a la vez. Ayuda a que el nervio se acostumbre de nuevo a alargarse."
        ),
        "what_to_feel": (
            "Un estiramiento por la parte de dentro del brazo o en la palma, un poco más fuerte "
            "que en el ejercicio de deslizar. Debe pasar unos segundos después de relajarse."
        ),
        "precautions": " ".join([_TENSIONER_ONLY, _NO_PUSH, _SHOULDER_DOWN, _STOP_NERVE, _STOP_PAIN]),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": "",
        "movements": {
            "wrist-bent-head-toward": {
                "title": "Muñeca doblada, cabeza hacia el brazo",
                "steps": [*_ARM_OUT_PALM_UP, "Incline la cabeza hacia ese brazo."],
                "illustration_alt": (
                    "Una persona con un brazo hacia el lado a la altura del hombro, los dedos "
                    "hacia arriba y la cabeza inclinada hacia el brazo"
                ),
            },
            "wrist-back-head-away": {
                "title": "Muñeca hacia atrás, cabeza al otro lado",
                "steps": [
                    "Doble la muñeca hacia atrás para que los dedos apunten al suelo.",
                    "A la vez, incline la cabeza hacia el lado contrario a ese brazo.",
                    "Pare en cuanto note un estiramiento. No vaya más allá.",
                    _REPEAT,
                ],
                "illustration_alt": (
                    "La misma persona con la muñeca doblada hacia atrás, los dedos hacia el suelo "
                    "y la cabeza inclinada hacia el otro lado"
                ),
            },
        },
    },
    "ulnar-nerve-slider": {
        "name": "Deslizar el nervio cubital",
        "purpose": (
            "Este ejercicio ayuda a que el nervio que pasa por dentro del codo se deslice con "
            "suavidad. Es el punto del codo que da calambre si se golpea. Puede aliviar el "
            "hormigueo en los dedos anular y meñique."
        ),
        "what_to_feel": (
            "Un tirón leve por dentro del codo, por el lado del meñique del antebrazo o en los "
            "dedos anular y meñique. No debe doler."
        ),
        "precautions": " ".join([_NO_PUSH, _SHOULDER_DOWN, _STOP_NERVE, _STOP_PAIN]),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": _SLIDER_IMAGE,
        "movements": {
            "arm-out-head-away": {
                "title": "Brazo al lado, cabeza al otro lado",
                "steps": [
                    "Siéntese o póngase de pie, bien recto.",
                    "Suba un brazo hacia el lado, hasta la altura del hombro.",
                    "Mantenga el codo recto.",
                    "Gire la palma hacia el suelo.",
                    "Incline la cabeza hacia el lado contrario a ese brazo.",
                ],
                "illustration_alt": (
                    "Una persona con un brazo recto hacia el lado, la palma hacia abajo y la "
                    "cabeza inclinada hacia el otro lado"
                ),
            },
            "hand-up-head-toward": {
                "title": "Mano arriba como una bandeja, cabeza hacia el brazo",
                "steps": [
                    "Doble el codo para que la mano suba por encima del hombro.",
                    (
                        "Doble la muñeca hacia atrás para que la palma mire al techo, "
                        "como si llevara una bandeja."
                    ),
                    "Deje que los dedos apunten hacia la cabeza.",
                    "A la vez, incline la cabeza hacia esa mano.",
                    "Pare al notar un tirón leve por dentro del codo o en el meñique.",
                    _REPEAT,
                ],
                "illustration_alt": (
                    "La misma persona con el codo doblado, la mano por encima del hombro con la "
                    "palma hacia el techo y la cabeza inclinada hacia la mano"
                ),
            },
        },
    },
    "radial-nerve-slider": {
        "name": "Deslizar el nervio radial",
        "purpose": (
            "Este ejercicio ayuda a que el nervio que va por detrás del brazo, por el lado del "
            "pulgar, se deslice con suavidad. Puede aliviar el dolor por fuera del codo o el "
            "hormigueo en el dorso de la mano."
        ),
        "what_to_feel": (
            "Un tirón leve por detrás del antebrazo, por fuera del codo o en el dorso de la mano. "
            "No debe doler."
        ),
        "precautions": " ".join([_NO_PUSH, _STOP_NERVE, _STOP_PAIN]),
        "breathing_cue": _SLIDER_BREATH,
        "imagery_cue": _SLIDER_IMAGE,
        "movements": {
            "arm-relaxed-head-away": {
                "title": "Brazo suelto, cabeza al otro lado",
                "steps": [
                    "Póngase de pie, recto, con los brazos sueltos a los lados.",
                    "Deje la palma apoyada en el lado del muslo.",
                    "Incline la cabeza hacia el lado contrario a ese brazo.",
                ],
                "illustration_alt": (
                    "Una persona de pie con el brazo suelto al lado y la cabeza inclinada hacia el otro lado"
                ),
            },
            "arm-turned-in-head-toward": {
                "title": "Brazo girado hacia dentro, muñeca doblada, cabeza hacia el brazo",
                "steps": [
                    "Baje el hombro con suavidad.",
                    "Gire todo el brazo hacia dentro, para que la palma mire hacia atrás.",
                    "Cierre la mano sin apretar.",
                    "Doble la muñeca hacia la palma.",
                    "Separe un poco la mano del cuerpo.",
                    "A la vez, incline la cabeza hacia ese brazo.",
                    "Pare al notar un tirón leve detrás del antebrazo o en la mano.",
                    "Relájese y vuelva al inicio.",
                ],
                "illustration_alt": (
                    "La misma persona con el hombro bajo, el brazo girado hacia dentro, la muñeca "
                    "doblada y el puño un poco separado del cuerpo, y la cabeza inclinada hacia el brazo"
                ),
            },
        },
    },
}
