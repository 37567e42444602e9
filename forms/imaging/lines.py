"""Card outlines proposed from straight edges: four line segments that close a quad of
the card's proportions.

On a light desk or ruled paper the segmentations find no closed region: the card's
face and the surface are the same tone, and a notebook's ruling cuts every region in
strips. The card's cut edge still shows as four straight segments, each ending where
the card's rounded corners begin. A ruling line, a table seam or a shadow's edge runs on
past any corner, so a segment reaching far beyond the side it would stand for is not
taken as that side.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

MIN_LENGTH = 0.035     # of the work copy's long side
KEEP = 36              # longest merged segments considered
PARALLEL_DEG = 14.0    # opposite sides of a card under a phone's perspective
SQUARE_DEG = 24.0      # neighbouring sides: how far from a right angle they may meet
OVERSHOOT = 0.12       # of a side: how far its segment may reach past a corner
COVER = 0.3            # of a side: how much of it the segment must cover


LSD_SIDE = 450          # px: the segment detector's copy; finer copies break faint edges up


def segments(gray: np.ndarray) -> np.ndarray:
    """Straight segments (x0, y0, x1, y1) in ``gray``'s pixels, collinear pieces joined,
    longest first. Segments reaching the photo's border are dropped: a card lies inside
    the frame, a ruling line or a table's seam runs out of it."""
    return segments_and_ruling(gray)[0]


def segments_and_ruling(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``segments`` and, apart, the thin lines of the surface's ruling: the family of
    parallel thin lines (a notebook's lines), empty when there is none."""
    factor = min(1.0, LSD_SIDE / max(gray.shape))
    small = cv2.resize(gray, (max(1, round(gray.shape[1] * factor)),
                              max(1, round(gray.shape[0] * factor))),
                       interpolation=cv2.INTER_AREA) if factor < 1 else gray
    lsd = cv2.createLineSegmentDetector(cv2.LSD_REFINE_STD, 1.0, 0.6)
    found = lsd.detect(small)[0]
    if found is None:
        return np.zeros((0, 4), np.float32), np.zeros((0, 4), np.float32)
    segs = found.reshape(-1, 4).astype(np.float32)
    long_side = max(small.shape)
    h, w = small.shape
    length = np.hypot(segs[:, 2] - segs[:, 0], segs[:, 3] - segs[:, 1])
    segs = segs[length >= 0.15 * MIN_LENGTH * long_side]
    thin, ends_thin = _thin_lines(small, segs)
    family = _family(segs[thin], 0.03 * long_side)
    if len(family):
        # a page's line that a card's edge runs close beside for part of its way: a step
        # there, thin where it runs clear at both ends; on a ruled page it is one of its lines
        beside = ends_thin & ~thin & _parallel_to(segs, family, BESIDE_DEG) \
            & (np.hypot(segs[:, 2] - segs[:, 0], segs[:, 3] - segs[:, 1]) >= 0.25 * long_side)
        if beside.any():
            thin = thin | beside
            family = np.concatenate([family, segs[beside]])
    ruling = (family / factor).astype(np.float32)
    segs = np.concatenate([segs[~thin], _line_ends(segs[thin], long_side)])
    edge = 0.01 * long_side
    xs, ys = segs[:, [0, 2]], segs[:, [1, 3]]
    inside = ((xs > edge) & (xs < w - 1 - edge) & (ys > edge) & (ys < h - 1 - edge)).all(axis=1)
    segs = segs[inside]
    segs = segs[np.argsort(-np.hypot(segs[:, 2] - segs[:, 0], segs[:, 3] - segs[:, 1]))]
    merged: list[np.ndarray] = []
    gap = 0.2 * long_side  # glare, a shadow's edge or a faint stretch breaks a side up
    merged = _join_collinear(segs, gap)
    out = np.array(merged, np.float32).reshape(-1, 4)
    length = np.hypot(out[:, 2] - out[:, 0], out[:, 3] - out[:, 1])
    out, length = out[length >= MIN_LENGTH * long_side], length[length >= MIN_LENGTH * long_side]
    kept: np.ndarray = (out[np.argsort(-length)][:KEEP] / factor).astype(np.float32)
    return kept, ruling


def _family(lines: np.ndarray, min_length: float) -> np.ndarray:
    """The longer thin lines that share one direction with at least five others: the
    ruling of a page (a card's strokes and guilloche go every way and are short)."""
    d = lines[:, 2:] - lines[:, :2]
    length = np.hypot(d[:, 0], d[:, 1])
    lines, d = lines[length >= min_length], d[length >= min_length]
    if len(lines) < 6:
        return np.zeros((0, 4), np.float32)
    theta = np.degrees(np.arctan2(d[:, 1], d[:, 0])) % 180
    diff = np.abs(theta[:, None] - theta[None, :])
    close = np.minimum(diff, 180 - diff) < 3
    best = int(np.argmax(close.sum(axis=1)))
    if close[best].sum() < 6:
        return np.zeros((0, 4), np.float32)
    family: np.ndarray = lines[close[best]]
    return family


RULED_IN_LINE = 1.5   # px: a ruling piece this close to another's line continues it
RULED_INSET = 0.008   # of the longest side (0.7 mm on a card): ruling this far in counts


def ruled_inside(ruling: np.ndarray, quad: np.ndarray) -> float:
    """Length of the page's ruling lying inside ``quad`` (kept a little clear of its
    sides), over its longest side: a card hides the ruling under it, so an outline that
    holds ruling reaches out onto the page.

    Only ruling that carries on past the outline counts: the page's lines run on across
    the page, while a card's own straight marks that happen to lie the ruling's way (a
    character's stroke, the rim of its cut edge, the security print) end on the card.
    Without this a true outline holding a few such strokes was doubted."""
    if not len(ruling):
        return 0.0
    q = np.asarray(quad, np.float32)
    if cv2.contourArea(q, oriented=True) < 0:
        q = q[::-1]
    ts = np.linspace(0, 1, 24, dtype=np.float32)
    pts = ruling[:, None, :2] + ts[None, :, None] * (ruling[:, None, 2:] - ruling[:, None, :2])
    longest = max(float(np.hypot(*(q[(i + 1) % 4] - q[i]))) for i in range(4))

    def within(margin: float) -> np.ndarray:
        """Sample points at least ``margin`` px inside every side (clockwise on screen)."""
        inside = np.ones(pts.shape[:2], bool)
        for i in range(4):
            a, b = q[i], q[(i + 1) % 4]
            cross = ((b[0] - a[0]) * (pts[..., 1] - a[1]) - (b[1] - a[1]) * (pts[..., 0] - a[0]))
            inside &= cross >= margin * max(float(np.hypot(*(b - a))), 1e-6)
        return inside

    # A ruling line ends at the card's edge, or a little inside its square corners where
    # the rounding leaves the page showing; a line running on a millimetre inside a side
    # is on the page the outline took in.
    inset = max(2.0, RULED_INSET * longest)
    inside, out = within(inset), ~within(-inset)
    d = ruling[:, 2:] - ruling[:, :2]
    length = np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-6)
    normal = np.stack([-d[:, 1], d[:, 0]], axis=1) / length[:, None]
    # pieces lying on each piece's line (itself included), and which reach outside
    off = np.maximum(np.abs(((ruling[None, :, :2] - ruling[:, None, :2]) * normal[:, None]).sum(2)),
                     np.abs(((ruling[None, :, 2:] - ruling[:, None, :2]) * normal[:, None]).sum(2)))
    outside = out.sum(axis=1) >= 2
    runs_on = ((off < RULED_IN_LINE) & outside[None, :]).any(axis=1)
    step = length / (len(ts) - 1)
    held = float((inside.sum(axis=1) * step * runs_on).sum())
    return held / max(longest, 1e-6)


BESIDE_DEG = 1.0        # a page's line partly beside a card's edge: parallel to the ruling


def _parallel_to(segs: np.ndarray, family: np.ndarray, degrees: float) -> np.ndarray:
    """Which of ``segs`` run within ``degrees`` of the mean direction of ``family`` (taken
    on doubled angles: a line drawn either way, near 0° or 180°, is the same line)."""
    def theta(lines: np.ndarray) -> np.ndarray:
        d = lines[:, 2:] - lines[:, :2]
        way: np.ndarray = np.degrees(np.arctan2(d[:, 1], d[:, 0])) % 180
        return way
    doubled = np.radians(2 * theta(family))
    mean = np.degrees(np.arctan2(np.sin(doubled).sum(), np.cos(doubled).sum())) / 2 % 180
    diff = np.abs(theta(segs) - mean)
    parallel: np.ndarray = np.minimum(diff, 180 - diff) < degrees
    return parallel


def _thin_lines(gray: np.ndarray, segs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which segments are thin dark lines (a notebook's ruling, a printed rule) rather
    than the step from a card's face to the surface: the same level a few pixels either
    side, darker on the line itself. Second: which look thin along their last tenth at
    both ends, whatever their middle (a page's line with a card's edge close beside it
    for part of its way)."""
    if not len(segs):
        return np.zeros(0, bool), np.zeros(0, bool)
    g = cv2.GaussianBlur(gray.astype(np.float32), (0, 0), 0.7)
    d = segs[:, 2:] - segs[:, :2]
    u = d / np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-6)[:, None]
    n = np.stack([-u[:, 1], u[:, 0]], axis=1)
    # the middle nine decide; the ends beyond them only say what runs clear of a card
    ts = np.concatenate([np.linspace(0.02, 0.12, 3), np.linspace(0.15, 0.85, 9),
                         np.linspace(0.88, 0.98, 3)]).astype(np.float32)
    pts = segs[:, None, :2] + ts[None, :, None] * d[:, None, :]

    def level(offset: float) -> np.ndarray:
        p = pts + offset * n[:, None, :]
        return cv2.remap(g, p[..., 0].astype(np.float32), p[..., 1].astype(np.float32),
                         cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)

    # The detector puts a segment on either flank of a thin line: look for the dark core
    # within two pixels either way, and for the surface a little beyond.
    centre = np.min([level(k) for k in np.arange(-2.0, 2.01, 0.5)], axis=0)
    plus, minus = level(3.5), level(-3.5)
    ridges = np.minimum(plus, minus) - centre
    steps = np.abs(plus - minus)
    ridge = np.median(ridges[:, 3:12], axis=1)
    step = np.median(steps[:, 3:12], axis=1)
    thin: np.ndarray = (ridge > 4) & (step < 0.4 * ridge)
    each = (ridges > 4) & (steps < 0.4 * ridges)
    ends: np.ndarray = each[:, :3].all(axis=1) & each[:, -3:].all(axis=1)
    return thin, ends


def _line_ends(lines: np.ndarray, long_side: int) -> np.ndarray:
    """Segments along which parallel thin lines end: ruling stops where a card lies on
    it, so the ends of a notebook's lines trace the card's sides across them."""
    if len(lines) < 3:
        return np.zeros((0, 4), np.float32)
    ends = np.concatenate([lines[:, :2], lines[:, 2:]])
    d = lines[:, 2:] - lines[:, :2]
    theta = np.degrees(np.arctan2(d[:, 1], d[:, 0])) % 180
    angle = np.concatenate([theta, theta])
    out = []
    used = np.zeros(len(ends), bool)
    for i in range(len(ends)):
        if used[i]:
            continue
        for j in range(len(ends)):
            if j == i or used[j]:
                continue
            diff = abs(angle[i] - angle[j])
            if min(diff, 180 - diff) > 4:  # ends of one family of parallel lines
                continue
            v = ends[j] - ends[i]
            length = float(np.hypot(*v))
            if length < 0.03 * long_side:
                continue
            u = v / length
            across = abs(math.degrees(math.atan2(u[1], u[0])) % 180 - angle[i])
            if min(across, 180 - across) < 45:  # a card's side crosses the ruling
                continue
            dist = np.abs((ends - ends[i]) @ np.array([-u[1], u[0]]))
            diff_all = np.abs(angle - angle[i])
            on = (dist < 1.5) & (np.minimum(diff_all, 180 - diff_all) < 4) & ~used
            if on.sum() < 5:
                continue
            t = (ends[on] - ends[i]) @ u
            out.append(np.concatenate([ends[i] + t.min() * u, ends[i] + t.max() * u]))
            used |= on
            break
    return np.array(out, np.float32).reshape(-1, 4)


def _meet(s: np.ndarray, t: np.ndarray) -> np.ndarray | None:
    p, u = s[:2], s[2:] - s[:2]
    q, v = t[:2], t[2:] - t[:2]
    cross = u[0] * v[1] - u[1] * v[0]
    if abs(cross) < 1e-6:
        return None
    k = ((q[0] - p[0]) * v[1] - (q[1] - p[1]) * v[0]) / cross
    point: np.ndarray = p + k * u
    return point


def support(segs: np.ndarray, quad: np.ndarray, shape: tuple[int, ...]) -> list[float]:
    """Each side's share lying on straight segments that end at its corners."""
    return coverage(segs, quad, max(2.5, 0.006 * max(shape)))


Frame = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _in_side_frame(segs: np.ndarray, a: np.ndarray, b: np.ndarray) -> Frame:
    """Segments seen from the side a→b: its unit direction, each end's distance off the
    side (da, db) and position along it as a share of its length (ta, tb)."""
    length = max(float(np.hypot(*(b - a))), 1e-6)
    u = (b - a) / length
    n = np.array([-u[1], u[0]], np.float32)
    da, db = (segs[:, :2] - a) @ n, (segs[:, 2:] - a) @ n
    ta, tb = ((segs[:, :2] - a) @ u) / length, ((segs[:, 2:] - a) @ u) / length
    return u, da, db, ta, tb


def coverage(segs: np.ndarray, quad: np.ndarray, near: float) -> list[float]:
    """Of each side of ``quad``, the share lying on segments along it; a segment that
    runs on past a corner (a ruling line, a seam) covers nothing."""
    out = []
    for t in range(4):
        _u, da, db, ta, tb = _in_side_frame(segs, quad[t], quad[(t + 1) % 4])
        t0, t1 = np.minimum(ta, tb), np.maximum(ta, tb)
        on = (np.abs(da) < near) & (np.abs(db) < near) & (t0 > -OVERSHOOT) & (t1 < 1 + OVERSHOOT)
        if not on.any():
            out.append(0.0)
            continue
        lo, hi = np.clip(t0[on], 0, 1), np.clip(t1[on], 0, 1)
        order = np.argsort(lo)
        covered, reach = 0.0, 0.0
        for x0, x1 in zip(lo[order], hi[order]):  # union of the covered stretches
            x0 = max(x0, reach)
            if x1 > x0:
                covered += x1 - x0
                reach = x1
        out.append(covered)
    return out


def _snap(segs: np.ndarray, quad: np.ndarray, reach: float) -> np.ndarray | None:
    """The completed quad with each side moved onto the longest segment lying along it,
    where there is one: perspective makes a card's far sides shorter than the near ones,
    which a rectangle completed from two sides cannot know."""
    lines = []
    for t in range(4):
        a, b = quad[t], quad[(t + 1) % 4]
        u, da, db, ta, tb = _in_side_frame(segs, a, b)
        d = segs[:, 2:] - segs[:, :2]
        along = np.abs(d @ u) / np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-6)
        ok = ((np.abs(da) < reach) & (np.abs(db) < reach) & (along > math.cos(math.radians(10)))
              & (np.minimum(ta, tb) > -OVERSHOOT) & (np.maximum(ta, tb) < 1 + OVERSHOOT)
              & (np.abs(tb - ta) > 0.2))
        if ok.any():
            best = int(np.argmax(np.where(ok, np.abs(tb - ta), -1)))
            lines.append(segs[best])
        else:
            lines.append(np.concatenate([a, b]))
    corners = [_meet(lines[(t - 1) % 4], lines[t]) for t in range(4)]
    if any(c is None for c in corners):
        return None
    out = np.array(corners, np.float32)
    if not cv2.isContourConvex(out.astype(np.int32)) or np.abs(out - quad).max() > 3 * reach:
        return None
    return out


def quads(gray: np.ndarray, aspect: float | None, limit: int = 6,
          segs: np.ndarray | None = None) -> list[tuple[float, np.ndarray]]:
    """Card-shaped quads built on two segments meeting at a corner (the card's other two
    sides may barely show: light on light, glare, the unshadowed side), completed by the
    card's proportions, and scored by how much of their outline segments cover; at most
    ``limit``, best first, clockwise."""
    if aspect is None:
        return []
    segs = segments(gray) if segs is None else segs
    n = len(segs)
    if n < 2:
        return []
    want = max(aspect, 1 / aspect)
    d = segs[:, 2:] - segs[:, :2]
    lengths = np.hypot(d[:, 0], d[:, 1])
    units = d / np.maximum(lengths, 1e-6)[:, None]
    long_side = max(gray.shape)
    frame_area = float(gray.shape[0] * gray.shape[1])
    near = max(2.5, 0.006 * long_side)
    found: list[tuple[float, np.ndarray]] = []
    for i in range(n):
        for k in range(i + 1, n):
            cos = abs(float(units[i] @ units[k]))
            if cos > math.sin(math.radians(SQUARE_DEG)):
                continue
            c = _meet(segs[i], segs[k])
            if c is None:
                continue
            arms = []
            for s in (i, k):  # each segment must start near the corner and run away from it
                ends = np.array([float((segs[s, :2] - c) @ units[s]),
                                 float((segs[s, 2:] - c) @ units[s])])
                if ends.min() < -OVERSHOOT * lengths[s] and ends.max() > OVERSHOOT * lengths[s]:
                    break
                direction = units[s] if ends.max() > -ends.min() else -units[s]
                reach = float(np.abs(ends).max())
                start = float(np.abs(ends).min())
                if start > 0.5 * reach:
                    break
                arms.append((direction, reach))
            if len(arms) < 2:
                continue
            (ui, ei), (uk, ek) = arms
            for long_u, long_e, short_u, short_e, stretch in (
                    (ui, ei, uk, ek, 1.0), (uk, ek, ui, ei, 1.0),
                    (ui, ei, uk, ek, 1.12), (uk, ek, ui, ei, 1.12),
                    (ui, ei, uk, ek, 0.9), (uk, ek, ui, ei, 0.9)):
                # perspective shortens either pair of sides: try the card a little
                # longer and a little shorter than its true proportions, too
                longer = max(long_e, short_e * want * stretch)
                shorter = longer / (want * stretch)
                if long_e > longer * (1 + OVERSHOOT) or short_e > shorter * (1 + OVERSHOOT):
                    continue
                quad = np.array([c, c + longer * long_u, c + longer * long_u + shorter * short_u,
                                 c + shorter * short_u], np.float32)
                area = abs(cv2.contourArea(quad))
                if area < 0.02 * frame_area:
                    continue
                if cv2.contourArea(quad, oriented=True) < 0:  # clockwise on screen
                    quad = quad[::-1].copy()
                snapped = _snap(segs, quad, 0.15 * shorter)
                if snapped is None:
                    continue
                cover = coverage(segs, snapped, near)
                found.append((float(np.mean(cover)), snapped))
    found.sort(key=lambda item: -item[0])
    distinct: list[tuple[float, np.ndarray]] = []
    for score, quad in found:
        centre = quad.mean(axis=0)
        if all(np.hypot(*(centre - q.mean(axis=0))) > 0.03 * long_side for _, q in distinct):
            distinct.append((score, quad))
        if len(distinct) >= limit:
            break
    return distinct


JOIN_SLACK = 0.01   # px: the broad test's margin over the exact one's float32 rounding


def _join(m: np.ndarray, a: np.ndarray, b: np.ndarray, gap: float) -> np.ndarray | None:
    """Segment ``a``-``b`` joined to the line ``m`` it continues, or None."""
    p, q = m[:2], m[2:]
    u = (q - p) / max(float(np.hypot(*(q - p))), 1e-6)
    n = np.array([-u[1], u[0]])
    if abs(float((a - p) @ n)) > 1.5 or abs(float((b - p) @ n)) > 1.5:
        return None
    ta, tb, tq = float((a - p) @ u), float((b - p) @ u), float((q - p) @ u)
    lo, hi = min(ta, tb), max(ta, tb)
    if lo > tq + gap or hi < -gap:
        return None
    new_lo, new_hi = min(0.0, lo), max(tq, hi)
    return np.concatenate([p + new_lo * u, p + new_hi * u]).astype(np.float32)


def _join_collinear(segs: np.ndarray, gap: float) -> list[np.ndarray]:
    """Each segment, longest first, joined to the first line it continues, else a line
    of its own. Trying every line in turn in Python took a second on a textured table's
    thousand segments (the slowest photos' largest cost); a vectorised test with a hair
    of slack picks the candidates and the exact test decides among them in order, so the
    lines are the same to the bit."""
    merged: list[np.ndarray] = []
    rows = np.zeros((len(segs), 4), np.float64)   # ``merged`` as an array, for the broad test
    for s in segs:
        a, b = s[:2].astype(np.float64), s[2:].astype(np.float64)
        m = rows[:len(merged)]
        p, d = m[:, :2], m[:, 2:] - m[:, :2]
        u = d / np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-6)[:, None]
        n = np.stack([-u[:, 1], u[:, 0]], axis=1)
        ta, tb = ((a - p) * u).sum(axis=1), ((b - p) * u).sum(axis=1)
        tq = (d * u).sum(axis=1)
        near = ((np.abs(((a - p) * n).sum(axis=1)) <= 1.5 + JOIN_SLACK)
                & (np.abs(((b - p) * n).sum(axis=1)) <= 1.5 + JOIN_SLACK)
                & (np.minimum(ta, tb) <= tq + gap + JOIN_SLACK)
                & (np.maximum(ta, tb) >= -gap - JOIN_SLACK))
        for k in np.flatnonzero(near):
            joined = _join(merged[k], s[:2], s[2:], gap)
            if joined is not None:
                merged[k], rows[k] = joined, joined
                break
        else:
            rows[len(merged)] = s
            merged.append(s.copy())
    return merged


MARGIN_LENGTH = 0.3    # of the photo's long side: a thin line across the ruling this long
MARGIN_DEPTH = 12      # grey levels a margin line lies below the page around it
ACROSS_DEG = 3.0       # degrees off square to the ruling that a margin line may run


def margin_lines(gray: np.ndarray, ruling: np.ndarray) -> np.ndarray:
    """The page's margin lines: thin dark lines at least ``MARGIN_LENGTH`` of the photo
    long that run square to its ruling (none where there is no ruling). A notebook's
    margin is often a single pale-red pixel wide; the segment detector, on its coarse
    copy, loses it, so the thin dark pixels of this copy are searched for straight runs."""
    if not len(ruling):
        return np.zeros((0, 4), np.float32)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))
    dark = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, kernel).astype(np.int16) - gray
    long_side = max(gray.shape)
    found = cv2.HoughLinesP((dark > MARGIN_DEPTH).astype(np.uint8), 1, np.pi / 360,
                            int(0.5 * MARGIN_LENGTH * long_side),
                            minLineLength=int(MARGIN_LENGTH * long_side),
                            maxLineGap=int(0.02 * long_side))
    if found is None:
        return np.zeros((0, 4), np.float32)
    lines = found.reshape(-1, 4).astype(np.float32)
    d = lines[:, 2:] - lines[:, :2]
    r = ruling[:, 2:] - ruling[:, :2]
    twice = 2 * np.arctan2(r[:, 1], r[:, 0])   # doubled: a line's direction has no sense
    way = float(np.degrees(0.5 * np.arctan2(np.sin(twice).mean(), np.cos(twice).mean())))
    off = np.abs((np.degrees(np.arctan2(d[:, 1], d[:, 0])) - way) % 180 - 90)
    out: np.ndarray = lines[off < ACROSS_DEG]
    return out
