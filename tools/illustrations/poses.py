"""
The pose of every movement in the exercise library, as drawing functions.

``POSES`` maps ``(exercise slug, movement number)`` to a function that draws that
movement into an ``engine.Drawing``. Coordinates are model units with y up (the floor
is at ``FLOOR_Y``); angles are degrees counter-clockwise from +x, so 90 is straight
up and a side-view person faces +x. The build scales each exercise to fit, so absolute
positions only matter relative to each other.

Poses are worked out from the joints outward: place the feet and the hip, find the
knee with ``middle_joint``, and so on, so that limbs keep their lengths. Each
exercise's movements share one helper, so its pictures differ only where the
movement does.
"""

from functools import partial

from .engine import (
    FLOOR_Y,
    FOREARM,
    FRONT_FOREARM,
    FRONT_UPPER_ARM,
    SHIN,
    THIGH,
    TRUNK,
    UPPER_ARM,
    Arm,
    Leg,
    add,
    angle_of,
    chair,
    circle_intersection,
    floor_mat,
    front_person,
    ground,
    lerp,
    mat,
    middle_joint,
    mul,
    normalize,
    pillow,
    polar,
    rotate,
    shoulder_joints,
    side_head_centre,
    side_person,
    sub,
    unit,
)

ANKLE_HEIGHT = 8.5  # model y of the ankle above the floor when the foot is flat
SEAT_Y = FLOOR_Y + 40
MAT_TOP = FLOOR_Y + 6


def nod_arrow(dr, neck_top, up):
    """An arrow in front of the face, turning about the neck: look up, or chin down."""
    if up:
        dr.arc_arrow(neck_top, 36, -8, 52)
    else:
        dr.arc_arrow(neck_top, 36, 52, -8)


# ---------------------------------------------------------------- active hamstring mobilization
def _squat_legs(shin_angle, thigh_angle):
    """Feet flat on the floor; returns the hip and the near and far legs."""
    ankle = (178, FLOOR_Y + ANKLE_HEIGHT)
    knee = polar(ankle, SHIN, shin_angle)
    hip = polar(knee, THIGH, thigh_angle)
    return hip, Leg(knee, ankle, 0), Leg(add(knee, (-5, 1)), add(ankle, (-7, 0)), 0)


def _elbow_on_thigh(hip, knee, above_knee):
    """An elbow resting on top of the thigh, ``above_knee`` up from the knee."""
    thigh = normalize(sub(hip, knee))
    return add(knee, mul(thigh, above_knee), mul(rotate(thigh, -90), 12.5))


def squat_start(dr):
    """Deep squat, feet flat, elbows resting just above the knees, hands clasped."""
    ground(dr)
    hip, near_leg, far_leg = _squat_legs(shin_angle=58, thigh_angle=186)
    elbow = _elbow_on_thigh(hip, near_leg.knee, 9)
    shoulder = circle_intersection(hip, TRUNK, elbow, UPPER_ARM, 1)
    wrist = polar(elbow, FOREARM, -18)
    near_arm = Arm(elbow, wrist, -10, "clasp")
    far_arm = Arm(add(elbow, (-5, 1)), add(wrist, (-3, 0)), -10, "clasp")
    side_person(dr, hip, shoulder, 7, 40, -12, near_leg, far_leg, near_arm, far_arm)
    dr.arrow(add(hip, (-26, 22)), add(hip, (-26, -6)), 10)


def hips_up(dr):
    """The hips lifted toward the ceiling, knees partly straight, elbows still on the thighs."""
    ground(dr)
    hip, near_leg, far_leg = _squat_legs(shin_angle=72, thigh_angle=138)
    elbow = _elbow_on_thigh(hip, near_leg.knee, 10)
    shoulder = circle_intersection(hip, TRUNK, elbow, UPPER_ARM, 1)
    wrist = polar(elbow, FOREARM, -75)
    near_arm = Arm(elbow, wrist, -80, "clasp")
    far_arm = Arm(add(elbow, (-4, 1)), add(wrist, (-3, 0)), -80, "clasp")
    side_person(dr, hip, shoulder, 12, -40, -100, near_leg, far_leg, near_arm, far_arm)
    dr.arrow(add(hip, (-24, -20)), add(hip, (-24, 12)), -10)


# ---------------------------------------------------------------- sitting on a chair
def _hand_on_thigh(shoulder_joint, hip, knee, along):
    """An arm reaching down to rest the hand flat on the thigh, ``along`` of the way to the knee."""
    thigh = normalize(sub(knee, hip))
    wrist = add(lerp(hip, knee, along), mul(rotate(thigh, 90), 10))
    elbow = middle_joint(shoulder_joint, wrist, UPPER_ARM, FOREARM, 1)
    return Arm(elbow, wrist, angle_of(sub(knee, hip)) - 8, "flat")


def seated_slump(dr, knee_straight, look_up):
    """Slouched on a chair, hands on the thighs; the near knee bent or straightened."""
    hip = (112, SEAT_Y + 10)
    chair(dr, hip[0] + 34, SEAT_Y)
    ground(dr)
    shoulder = polar(hip, TRUNK, 74)
    far_ankle = (hip[0] + 52, FLOOR_Y + ANKLE_HEIGHT)
    far_leg = Leg(middle_joint(hip, far_ankle, THIGH, SHIN, 1), far_ankle, 0)
    if knee_straight:
        knee = polar(hip, THIGH, 4)
        shin = -12
        near_leg = Leg(knee, polar(knee, SHIN, shin), shin + 95)
    else:
        ankle = (hip[0] + 56, FLOOR_Y + ANKLE_HEIGHT)
        near_leg = Leg(middle_joint(hip, ankle, THIGH, SHIN, 1), ankle, 0)
    near_joint, far_joint = shoulder_joints(hip, shoulder)
    near_arm = _hand_on_thigh(near_joint, hip, near_leg.knee, 0.62)
    far_arm = _hand_on_thigh(far_joint, hip, far_leg.knee, 0.55)
    neck, head = (80, 28) if look_up else (28, -52)
    neck_top = side_person(dr, hip, shoulder, 11, neck, head, near_leg, far_leg, near_arm, far_arm)
    nod_arrow(dr, neck_top, look_up)
    if knee_straight:
        dr.arc_arrow(near_leg.knee, 52, -62, -22)


def _heel_down_ankle(hip, reach, foot_to_leg):
    """
    The ankle of a leg reaching ``reach`` from the hip, lowered until the heel of a foot
    at ``foot_to_leg`` degrees to the leg just touches the floor (found by bisection).
    """
    low, high = -60.0, -5.0
    for _ in range(40):
        mid = (low + high) / 2
        ankle = polar(hip, reach, mid)
        forward = unit(mid + foot_to_leg)
        up = rotate(forward, 90)
        heel_bottom = ankle[1] + (mul(forward, -3.5)[1] + mul(up, -3.5)[1]) - 5.0
        if heel_bottom > FLOOR_Y:
            high = mid
        else:
            low = mid
    return polar(hip, reach, (low + high) / 2)


def seated_long_leg(dr, foot_to_leg, look_up):
    """
    Sitting tall on the front of a chair, the near leg out straight with the heel on
    the floor. ``foot_to_leg`` under 90 degrees points the toes, over 90 pulls the foot up;
    the ankle arrow shows that movement.
    """
    hip = (104, SEAT_Y + 10)
    chair(dr, hip[0] + 16, SEAT_Y)
    ground(dr)
    shoulder = polar(hip, TRUNK, 88)
    far_ankle = (hip[0] + 42, FLOOR_Y + ANKLE_HEIGHT)
    far_leg = Leg(middle_joint(hip, far_ankle, THIGH, SHIN, 1), far_ankle, 0)
    ankle = _heel_down_ankle(hip, 88.5, foot_to_leg)
    knee = middle_joint(hip, ankle, THIGH, SHIN, 1)
    foot = angle_of(sub(ankle, knee)) + foot_to_leg
    near_leg = Leg(knee, ankle, foot)
    near_joint, far_joint = shoulder_joints(hip, shoulder)
    near_arm = _hand_on_thigh(near_joint, hip, knee, 0.5)
    far_arm = _hand_on_thigh(far_joint, hip, far_leg.knee, 0.5)
    neck, head = (84, 28) if look_up else (40, -45)
    neck_top = side_person(dr, hip, shoulder, 3, neck, head, near_leg, far_leg, near_arm, far_arm)
    nod_arrow(dr, neck_top, look_up)
    if foot_to_leg < 90:
        dr.arc_arrow(ankle, 27, foot + 65, foot + 10)
    else:
        dr.arc_arrow(ankle, 27, foot - 60, foot - 8)


# ---------------------------------------------------------------- lying on the back
def supine_straight_leg_raise(dr, knee_straight):
    """
    Lying on a mat holding behind the raised thigh. Knee bent: toes pointed, chin
    tucked. Knee straight: foot pulled up, head resting on the pillow.
    """
    ground(dr)
    mat(dr, 58, 282, MAT_TOP, 6)
    hip = (168, MAT_TOP + 11.5)
    shoulder = polar(hip, TRUNK, 180)
    thigh = 102
    knee = polar(hip, THIGH, thigh)
    if knee_straight:
        shin = thigh - 14
        foot = shin + 112
    else:
        shin = thigh - 95
        foot = shin + 38
    near_leg = Leg(knee, polar(knee, SHIN, shin), foot)
    far_ankle = (hip[0] + 88, MAT_TOP + 6)  # the other leg flat on the mat, toes up
    far_knee = lerp(hip, far_ankle, 0.51)
    far_leg = Leg((far_knee[0], far_knee[1] + 1.5), far_ankle, 88)
    along_thigh = normalize(sub(knee, hip))
    wrist = add(hip, mul(along_thigh, 31), mul(rotate(along_thigh, -90), 15))
    near_joint, _ = shoulder_joints(hip, shoulder)
    elbow = middle_joint(near_joint, wrist, UPPER_ARM, FOREARM, 1)
    hand = angle_of(sub(wrist, elbow))
    near_arm = Arm(elbow, wrist, hand, "clasp")
    far_arm = Arm(add(elbow, (2, 1)), add(wrist, (2, 0)), hand, "clasp")
    # The pillow sits where the head rests, in both pictures.
    resting_head = side_head_centre(hip, shoulder, -1, 184, 90)
    pillow(dr, (resting_head[0] - 3, MAT_TOP + 5), 46, 10)
    neck, head = (184, 90) if knee_straight else (148, 40)
    neck_top = side_person(dr, hip, shoulder, -1, neck, head, near_leg, far_leg, near_arm, far_arm)
    if knee_straight:
        dr.arc_arrow(neck_top, 28, 95, 150)
        dr.arc_arrow(knee, 58, shin - 70, shin - 12)
    else:
        dr.arc_arrow(neck_top, 30, 150, 95)
        dr.arc_arrow(near_leg.ankle, 25, foot - 8, foot - 50)


# ---------------------------------------------------------------- lying on the side, seen from above
def side_lying(dr, leg_back):
    """
    Lying on one side, seen from above: the bottom knee drawn up toward the chest, the
    top leg forward with the chin tucked, or back with the head up.
    """
    hip = (122, 122)
    shoulder = polar(hip, TRUNK, 0)
    floor_mat(dr)
    pillow(dr, add(side_head_centre(hip, shoulder, 3, -10, -90), (4, 1)), 44, 32, fill="#ffffff")
    far_knee = polar(hip, THIGH, -102)
    far_ankle = polar(far_knee, SHIN, angle_of(sub(far_knee, hip)) - 80)
    far_leg = Leg(far_knee, far_ankle, angle_of(sub(far_ankle, far_knee)) + 95)
    if leg_back:
        thigh = -200
        shin = thigh - 100
        neck, head = 22, -58
    else:
        thigh = -158
        shin = thigh - 25
        neck, head = -30, -128
    knee = polar(hip, THIGH, thigh)
    near_leg = Leg(knee, polar(knee, SHIN, shin), shin + 100)
    # the top arm lies along the side, the hand on the hip; the bottom arm is hidden
    near_joint, _ = shoulder_joints(hip, shoulder)
    wrist = add(hip, (-1, 5))
    elbow = middle_joint(near_joint, wrist, UPPER_ARM, FOREARM, -1)
    near_arm = Arm(elbow, wrist, angle_of(sub(wrist, elbow)) - 10, "flat")
    neck_top = side_person(dr, hip, shoulder, 3, neck, head, near_leg, far_leg, near_arm, None)
    if leg_back:
        dr.arc_arrow(neck_top, 30, -42, 12)
        dr.arc_arrow(hip, 66, thigh + 46, thigh + 8)
    else:
        dr.arc_arrow(neck_top, 30, 12, -42)
        dr.arc_arrow(hip, 74, thigh - 32, thigh - 6)


# ---------------------------------------------------------------- standing, seen from the front
# Arms are functions of the shoulder joint. The exercised arm is the one at +x.
def other_arm(joint):
    """The arm at -x, which no exercise moves, hanging by the side."""
    elbow = polar(joint, FRONT_UPPER_ARM, -98)
    wrist = polar(elbow, FRONT_FOREARM, -93)
    return Arm(elbow, wrist, -91, "open")


def arm_relaxed(joint):
    """The exercised arm hanging by the side."""
    elbow = polar(joint, FRONT_UPPER_ARM, -82)
    wrist = polar(elbow, FRONT_FOREARM, -87)
    return Arm(elbow, wrist, -89, "open")


def arm_out(joint, wrist_bend, upper_arm=-4, forearm=2):
    """The arm out to the side at shoulder height, the hand bent ``wrist_bend`` up (negative: down)."""
    elbow = polar(joint, FRONT_UPPER_ARM, upper_arm)
    wrist = polar(elbow, FRONT_FOREARM, forearm)
    return Arm(elbow, wrist, forearm + wrist_bend, "open")


arm_out_fingers_up = partial(arm_out, wrist_bend=72)
arm_out_fingers_down = partial(arm_out, wrist_bend=-72)
arm_out_palm_down = partial(arm_out, wrist_bend=0, upper_arm=-2, forearm=-2)


def arm_tray(joint):
    """Elbow bent, the hand held up above the shoulder, palm to the ceiling."""
    elbow = polar(joint, FRONT_UPPER_ARM, 2)
    wrist = polar(elbow, FRONT_FOREARM, 92)
    return Arm(elbow, wrist, 182, "open")


def arm_turned_in(joint):
    """The arm a little out from the side, turned in, with a bent wrist and a fist."""
    elbow = polar(joint, FRONT_UPPER_ARM, -70)
    wrist = polar(elbow, FRONT_FOREARM, -66)
    return Arm(elbow, wrist, -52, "fist")


def standing(dr, arm, head_toward_arm, shoulder_drop=0.0):
    """Upper body from the front, the head tilted toward the exercised ``arm`` or away from it."""
    figure = front_person(dr, 20 if head_toward_arm else -20, arm, other_arm, right_drop=shoulder_drop)
    if head_toward_arm:
        dr.arc_arrow(figure.neck_base, 44, 112, 70)
    else:
        dr.arc_arrow(figure.neck_base, 44, 68, 110)
    return figure


def tray_head_toward(dr):
    figure = standing(dr, arm_tray, head_toward_arm=True)
    dr.arc_arrow(arm_tray(figure.right_shoulder).elbow, 34, -6, 58)  # the hand coming up


def arm_turned_in_head_toward(dr):
    figure = standing(dr, arm_turned_in, head_toward_arm=True, shoulder_drop=3.5)
    joint = figure.right_shoulder
    dr.arrow(add(joint, (4, 26)), add(joint, (4, 13)))  # shoulder drawn down
    forearm_middle = polar(arm_turned_in(joint).elbow, FRONT_FOREARM * 0.45, -66)
    dr.arc_arrow(forearm_middle, 13, -15, -165, ry=6, tilt=24)  # the whole arm turning in


POSES = {
    ("active-hamstring-mobilization", 1): squat_start,
    ("active-hamstring-mobilization", 2): hips_up,
    ("sciatic-seated-slump-slider", 1): partial(seated_slump, knee_straight=False, look_up=False),
    ("sciatic-seated-slump-slider", 2): partial(seated_slump, knee_straight=True, look_up=True),
    ("sciatic-seated-slump-tensioner", 1): partial(seated_slump, knee_straight=False, look_up=True),
    ("sciatic-seated-slump-tensioner", 2): partial(seated_slump, knee_straight=True, look_up=False),
    ("sciatic-supine-slr-slider", 1): partial(supine_straight_leg_raise, knee_straight=False),
    ("sciatic-supine-slr-slider", 2): partial(supine_straight_leg_raise, knee_straight=True),
    ("tibial-slider", 1): partial(seated_long_leg, foot_to_leg=35, look_up=False),
    ("tibial-slider", 2): partial(seated_long_leg, foot_to_leg=108, look_up=True),
    ("peroneal-slider", 1): partial(seated_long_leg, foot_to_leg=105, look_up=False),
    ("peroneal-slider", 2): partial(seated_long_leg, foot_to_leg=35, look_up=True),
    ("femoral-side-lying-slider", 1): partial(side_lying, leg_back=False),
    ("femoral-side-lying-slider", 2): partial(side_lying, leg_back=True),
    ("median-nerve-slider", 1): partial(standing, arm=arm_out_fingers_up, head_toward_arm=False),
    ("median-nerve-slider", 2): partial(standing, arm=arm_out_fingers_down, head_toward_arm=True),
    ("median-nerve-tensioner", 1): partial(standing, arm=arm_out_fingers_up, head_toward_arm=True),
    ("median-nerve-tensioner", 2): partial(standing, arm=arm_out_fingers_down, head_toward_arm=False),
    ("ulnar-nerve-slider", 1): partial(standing, arm=arm_out_palm_down, head_toward_arm=False),
    ("ulnar-nerve-slider", 2): tray_head_toward,
    ("radial-nerve-slider", 1): partial(standing, arm=arm_relaxed, head_toward_arm=False),
    ("radial-nerve-slider", 2): arm_turned_in_head_toward,
}
"""(exercise slug, movement number) -> function drawing that movement into a Drawing."""
