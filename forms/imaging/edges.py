"""Putting a proposed outline on the document's true edge, and measuring how sure we are.

A segmentation only proposes where the document is: its boundary sits wherever the mask's
smoothing left it, and a card's rounded corners pull an approximated polygon inwards. Here
each side is searched across for the strongest brightness step, sub-pixel, away from the
rounded corners; a line is fitted through the steps of each side and the corners are where
neighbouring lines meet (the card's virtual square corners). The share of samples lying on
that line with a real step is the side's support: a wrong outline (a table seam, a text
block, a notebook's ruling) has sides that stand on nothing, so the support also says how
far the outline can be trusted.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from forms.imaging.lines import ruled_inside

SAMPLES = 48
END_SKIP = 0.1        # of a side, at each end: the rounded corner and its shadow
ON_LINE_PX = 1.25     # a step this close to the fitted line supports it


Grads = tuple[np.ndarray, np.ndarray, float, np.ndarray, np.ndarray]
STEP_REACH = 3.0      # px either side of an edge where a step's two levels are compared
STEP_GAIN = 2.6       # a blurred step's derivative peak over the step's height
WIDE = 1.0            # the second reach, in steps of STEP_REACH (1: one reach only)


def gradients(gray: np.ndarray) -> Grads:
    """Smoothed x and y derivatives, the step height that stands out from texture, the
    smoothed image (to tell a step from a thin line) and the same without its thin dark
    lines: a grey-level closing a few pixels wide fills in a notebook's ruling and fine
    print but leaves every step (a card's face against its shadow or the desk) in place."""
    g = cv2.GaussianBlur(gray.astype(np.float32), (0, 0), 1.2)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))
    flat = cv2.GaussianBlur(cv2.morphologyEx(gray, cv2.MORPH_CLOSE, kernel).astype(np.float32),
                            (0, 0), 1.2)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    mag = np.abs(gx) + np.abs(gy)
    floor = max(14.0, 2.5 * float(np.median(mag)))
    return gx, gy, floor, g, flat


def unruled_gradients(gray: np.ndarray, ruling: np.ndarray) -> Grads:
    """``gradients`` of the photo with the page's ruling lines filled in where they show,
    each followed across the whole photo: a card laid a degree or two off the ruling has
    a side whose only mark may be the thin line of its cut rim, and a ruling line beside
    it draws the side onto itself. With the page's lines gone the rim line stays, apart
    from where it crosses one."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))
    closed = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, kernel)
    band = np.zeros(gray.shape, np.uint8)
    h, w = gray.shape
    for i in _distinct_lines(ruling):
        p, q = ruling[i, :2], ruling[i, 2:]
        u = (q - p) / max(float(np.hypot(*(q - p))), 1e-6)
        far = 2.0 * (w + h)
        cv2.line(band, tuple(int(v) for v in np.round(p - far * u)),
                 tuple(int(v) for v in np.round(p + far * u)), 1, 5)
    thin = (closed.astype(np.int16) - gray.astype(np.int16)) > 4
    out = np.where((band > 0) & thin, closed, gray)
    return gradients(out)


def _distinct_lines(ruling: np.ndarray) -> list[int]:
    """One piece for each line of the page (its longest): the detector finds a piece on
    either flank of a thin line, and a line broken by the card or glare in several."""
    d = ruling[:, 2:] - ruling[:, :2]
    length = np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-6)
    normal = np.stack([-d[:, 1], d[:, 0]], axis=1) / length[:, None]
    # [i, j]: how far piece i's ends lie off piece j's line
    off = np.maximum(np.abs(((ruling[:, None, :2] - ruling[None, :, :2]) * normal[None]).sum(2)),
                     np.abs(((ruling[:, None, 2:] - ruling[None, :, :2]) * normal[None]).sum(2)))
    chosen: list[int] = []
    for i in np.argsort(-length):
        if not chosen or not (off[i, chosen] < 3.0).any():
            chosen.append(int(i))
    return chosen


def _intersect(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]
               ) -> np.ndarray | None:
    (p, u), (q, v) = a, b
    cross = u[0] * v[1] - u[1] * v[0]
    if abs(cross) < 1e-3:
        return None
    t = ((q[0] - p[0]) * v[1] - (q[1] - p[1]) * v[0]) / cross
    point: np.ndarray = p + t * u
    return point


_ALONG = np.linspace(END_SKIP, 1 - END_SKIP, SAMPLES, dtype=np.float32)  # where a side is sampled


def _side(grads: Grads, a: np.ndarray, b: np.ndarray, band: float, need: float = 0.0,
          ) -> tuple[tuple[np.ndarray, np.ndarray] | None, float]:
    """The fitted edge line (point, direction) near side a→b and the side's support.

    Only a step counts: where the levels a few pixels either side hardly differ, the
    derivative belongs to a thin line (a notebook's ruling, a printed rule), whose two
    flanks would otherwise pass for the card's edge. ``need``: the support the caller
    will accept; with fewer strong samples than that nothing more is measured (the
    support can only be smaller; what is returned then is an upper bound), which spares
    most of the work of a search outwards."""
    gx, gy, floor, smooth, _flat = grads
    length = float(np.hypot(*(b - a)))
    if length < 8:
        return None, 0.0
    u = (b - a) / length
    n = np.array([u[1], -u[0]], dtype=np.float32)   # outwards for clockwise corners
    ts = _ALONG
    offsets = np.arange(-band, band + 0.5, 0.5, dtype=np.float32)
    base = a[None, :] + ts[:, None] * (b - a)[None, :]
    pts = base[:, None, :] + offsets[None, :, None] * n[None, None, :]
    mx, my = pts[..., 0].astype(np.float32), pts[..., 1].astype(np.float32)
    dx = cv2.remap(gx, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    dy = cv2.remap(gy, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    profile = dx * n[0] + dy * n[1]                  # the step across the side
    if need > 0:
        # the steps below only lower the derivative: too few strong samples already
        most = float((np.abs(profile).max(axis=1) > floor).mean())
        if most < need:
            return None, most

    def level(k: float) -> np.ndarray:
        return cv2.remap(smooth, (mx + k * n[0]).astype(np.float32),
                         (my + k * n[1]).astype(np.float32), cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REPLICATE)

    # the same sign as the derivative; a step holds at both reaches, a blurred thin line's
    # flank only at the shorter one (each level sampled once: remapping is most of the cost)
    near = level(STEP_REACH) - level(-STEP_REACH)
    wide = near if WIDE == 1.0 else level(WIDE * STEP_REACH) - level(-WIDE * STEP_REACH)
    step = STEP_GAIN * np.minimum(np.abs(near), np.abs(wide)) * np.sign(near)
    profile = np.where(profile > 0, np.minimum(profile, np.maximum(step, 0)),
                       np.maximum(profile, np.minimum(step, 0)))
    # The document is lighter or darker than the surface all along a side: keep the sign
    # that carries more of the strong steps.
    sign = 1.0 if np.abs(profile.clip(min=0)).max(axis=1).sum() >= \
        np.abs(profile.clip(max=0)).max(axis=1).sum() else -1.0
    profile = profile * sign
    idx = profile.argmax(axis=1)
    peak = profile[np.arange(SAMPLES), idx]
    strong = peak > floor
    # Sub-pixel: the vertex of the parabola through the peak and its neighbours.
    i0 = np.clip(idx, 1, len(offsets) - 2)
    left, mid, right = (profile[np.arange(SAMPLES), i0 - 1], profile[np.arange(SAMPLES), i0],
                        profile[np.arange(SAMPLES), i0 + 1])
    denom = left - 2 * mid + right
    shift = np.where(np.abs(denom) > 1e-6, 0.5 * (left - right) / np.where(denom == 0, 1, denom), 0)
    off = offsets[i0] + 0.5 * np.clip(shift, -1, 1)
    found = base + off[:, None] * n[None, :]
    if strong.sum() < SAMPLES * 0.2 or strong.mean() < need:
        return None, float(strong.mean())
    keep = strong.copy()
    for _ in range(3):  # fit, drop far steps (text, ruling, texture), refit
        line = cv2.fitLine(found[keep].astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        d = np.array(line[:2], dtype=np.float32)
        p0 = np.array(line[2:], dtype=np.float32)
        dist = np.abs((found - p0) @ np.array([-d[1], d[0]], dtype=np.float32))
        near = strong & (dist < max(ON_LINE_PX, 3 * _median(dist[keep])))
        if near.sum() < 4:
            break
        keep = near
    on = strong & (dist < ON_LINE_PX * max(1.0, band / 12))
    return (p0, d), float(on.mean())


def _median(x: np.ndarray) -> float:
    """``np.median`` of a short array, to the bit, without its general machinery (a
    search calls it thousands of times on a few dozen values)."""
    s = np.sort(x)
    n = len(s)
    return float(s[n // 2]) if n % 2 else float((s[n // 2 - 1] + s[n // 2]) / 2)


def refine(gray: np.ndarray, quad: np.ndarray, grads: Grads | None = None,
           ) -> tuple[np.ndarray, list[float]]:
    """``quad`` (clockwise) moved onto the measured edges, with each side's support."""
    grads = grads if grads is not None else gradients(gray)
    q = np.asarray(quad, dtype=np.float32).copy()
    supports = [0.0] * 4
    long_side = max(float(np.hypot(*(q[(i + 1) % 4] - q[i]))) for i in range(4))
    for band in (max(4.0, 0.045 * long_side), max(2.5, 0.012 * long_side)):
        lines = []
        for i in range(4):
            line, supports[i] = _side(grads, q[i], q[(i + 1) % 4], band)
            lines.append(line)
        if any(line is None for line in lines):
            return q, supports
        corners = [_intersect(lines[(i - 1) % 4], lines[i]) for i in range(4)]  # type: ignore[arg-type]
        if any(c is None for c in corners):
            return q, supports
        new = np.array(corners, dtype=np.float32)
        if np.abs(new - q).max() > 0.15 * long_side:  # lines ran off to another feature
            return q, [s * 0.5 for s in supports]
        q = new
    return q, supports


def where_they_lie(grads: Grads, quad: np.ndarray) -> list[float]:
    """Each side's support measured where it lies (the narrow band of ``refine``'s last
    pass). ``refine`` hands back the supports of its wide first pass when a side there
    finds no line; a step anywhere in that band (a ruling line's flank, a row of print
    ten pixels off) says nothing of the side itself."""
    q = np.asarray(quad, dtype=np.float32)
    long_side = max(float(np.hypot(*(q[(i + 1) % 4] - q[i]))) for i in range(4))
    return [_side(grads, q[i], q[(i + 1) % 4], max(2.5, 0.012 * long_side))[1]
            for i in range(4)]


def confidence(supports: list[float]) -> float:
    """Half the mean and half the weakest side: one side standing on nothing is enough
    to doubt the whole outline."""
    return 0.5 * float(np.mean(supports)) + 0.5 * float(min(supports))


RULED_STRIP = 0.05    # of a strip's length: ruling seen in it (more than a stray mark)
GROW_STEPS = (0.03, 0.05, 0.07, 0.09, 0.12)     # of the long side: 2.5–10 mm on a card
REACH_STEPS = tuple(round(0.02 * i, 2) for i in range(1, 14))  # up to a quarter of it


def grow(gray: np.ndarray, quad: np.ndarray, supports: list[float],
         grads: Grads, steps: tuple[float, ...] = GROW_STEPS, *,
         ruling: np.ndarray | None = None) -> tuple[np.ndarray, list[float]]:
    """Move each side out to a parallel edge just beyond it, when one is there.

    A long printed line (the ID number) near a card's border looks like an edge; the
    card's cut edge is the outermost such line, with the surface beyond it. On a ruled
    page (``ruling``: its lines) the next line out is usually the ruling: there only a
    step counts, and never across a strip that shows the ruling (the card hides it).
    """
    ruled = ruling is not None and len(ruling) > 0
    q = np.asarray(quad, dtype=np.float32).copy()
    long_side = max(float(np.hypot(*(q[(i + 1) % 4] - q[i]))) for i in range(4))
    face = _median_in(gray, q)
    for i in range(4):
        a, b = q[i], q[(i + 1) % 4]
        u = (b - a) / max(float(np.hypot(*(b - a))), 1e-6)
        n = np.array([u[1], -u[0]], dtype=np.float32)
        best: tuple[float, float] | None = None
        for step in steps:
            shift = step * long_side * n
            need = max(0.55, 0.85 * supports[i])
            line, support = _side(grads, a + shift, b + shift, 0.012 * long_side, need)
            if line is None or support < need:
                continue
            # What the side would take in must look like the document's face, not like
            # its shadow on the table.
            strip = np.array([a, b, b + shift, a + shift], dtype=np.float32)
            taken = _median_in(gray, strip, face)
            if face is None or taken is None or abs(taken - face) > 20:
                continue
            if ruling is not None and ruled:
                # the edge measured out there, and the strip up to just short of it
                p0, d = line
                ends = [p0 + float((x - p0) @ d) * d for x in (a + shift, b + shift)]
                if not _is_step(grads, ends[0], ends[1]):
                    continue  # a thin line out there (a notebook's ruling), not a cut edge
                # away from the corners, whose rounding leaves the page's lines showing
                inner = [e - 2.0 * n for e in ends]
                held = np.array([a + END_SKIP * (b - a), a + (1 - END_SKIP) * (b - a),
                                 inner[0] + (1 - END_SKIP) * (inner[1] - inner[0]),
                                 inner[0] + END_SKIP * (inner[1] - inner[0])], dtype=np.float32)
                if ruled_inside(ruling, held) > RULED_STRIP:
                    continue
            if best is None or step > best[0]:
                best = (step, support)
        if best is not None:
            q[i] += best[0] * long_side * n
            q[(i + 1) % 4] += best[0] * long_side * n
    return q, supports


def _is_step(grads: Grads, a: np.ndarray, b: np.ndarray) -> bool:
    """Whether the levels either side of a→b differ once thin lines are filled in, over
    most of its length: the cut edge of a card does, a ruling line beside it does not."""
    _gx, _gy, floor, _smooth, flat = grads
    length = max(float(np.hypot(*(b - a))), 1e-6)
    u = (b - a) / length
    n = np.array([u[1], -u[0]], dtype=np.float32)
    ts = np.linspace(END_SKIP, 1 - END_SKIP, SAMPLES, dtype=np.float32)
    base = (a[None, :] + ts[:, None] * (b - a)[None, :]).astype(np.float32)

    def level(k: float) -> np.ndarray:
        p = base + k * n[None, :]
        return cv2.remap(flat, p[:, 0:1], p[:, 1:2], cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REPLICATE).ravel()

    # the closing may nudge a blurred edge by a pixel or two: take the best of a few reaches
    step = np.max([np.abs(level(k + STEP_REACH) - level(k - STEP_REACH))
                   for k in (-1.5, 0.0, 1.5)], axis=0)
    return bool((STEP_GAIN * step > floor).mean() > 0.5)


def line_depth(smooth: np.ndarray, pts: np.ndarray, across: np.ndarray) -> np.ndarray:
    """How far a thin dark line at each of ``pts`` lies below both its flanks (4 px either
    way along ``across``), its core the darkest level within 1.5 px: a page's ruling line
    or a card's cut rim, where a step between two levels gives nothing."""
    def level(k: float) -> np.ndarray:
        p = (pts + k * across[None, :]).astype(np.float32)
        return cv2.remap(smooth, p[:, 0:1], p[:, 1:2], cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REPLICATE).ravel()

    core = np.min([level(k) for k in np.arange(-1.5, 1.6, 0.5)], axis=0)
    depth: np.ndarray = np.minimum(level(4.0), level(-4.0)) - core
    return depth


def _median_in(gray: np.ndarray, polygon: np.ndarray, default: float | None = None,
               ) -> float | None:
    """The median grey inside ``polygon`` (drawn within its bounding box only: a search
    outwards asks this of thin strips hundreds of times)."""
    boxed = _in_box(gray.shape, polygon)
    if boxed is None:
        return default
    (y0, y1, x0, x1), held = boxed
    values = gray[y0:y1, x0:x1][held]
    return float(np.median(values)) if values.size else default


def _in_box(shape: tuple[int, ...], polygon: np.ndarray,
            ) -> tuple[tuple[int, int, int, int], np.ndarray] | None:
    """``polygon`` filled within its bounding box clipped to an image of ``shape``: the
    box (y0, y1, x0, x1) and the mask over it; None when it lies outside the image."""
    pts = np.round(polygon).astype(np.int32)
    h, w = shape[:2]
    x0, y0 = max(0, int(pts[:, 0].min())), max(0, int(pts[:, 1].min()))
    x1, y1 = min(w, int(pts[:, 0].max()) + 1), min(h, int(pts[:, 1].max()) + 1)
    if x1 <= x0 or y1 <= y0:
        return None
    m = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.fillConvexPoly(m, pts - np.array([x0, y0], np.int32), 1)
    return (y0, y1, x0, x1), m > 0


def print_marks(gray: np.ndarray) -> np.ndarray:
    """Small dark marks: characters and strokes. Long dark runs (a shadow's edge, a
    notebook's ruling, a table seam) are dropped, they are not print."""
    ink = (cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))) > 55)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        ink.astype(np.uint8), connectivity=8)
    longest = 0.04 * max(gray.shape)
    keep = np.zeros(count, bool)
    keep[1:] = np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]) < longest
    mask: np.ndarray = keep[labels]
    return mask


def ink_outside(gray: np.ndarray, quad: np.ndarray, marks: np.ndarray | None = None,
                ) -> float:
    """How much dark print lies just outside the outline, over what lies inside.

    The document's own text ends at its border; ink right outside an outline means the
    outline cut through the document (a plain surface leaves this near zero, a busy one
    is compared with the surface further out). ``marks``: ``print_marks(gray)``, when the
    caller asks this of many outlines in one photo.
    """
    ink = print_marks(gray) if marks is None else marks
    centre = quad.mean(axis=0)
    # every region lies within the outermost one: work in its bounding box
    far_pts = ((quad - centre) * 1.4 + centre).astype(np.int32)
    h, w = gray.shape
    x0, y0 = max(0, int(far_pts[:, 0].min())), max(0, int(far_pts[:, 1].min()))
    x1, y1 = min(w, int(far_pts[:, 0].max()) + 1), min(h, int(far_pts[:, 1].max()) + 1)
    if x1 <= x0 or y1 <= y0:
        return 1.0
    ink = ink[y0:y1, x0:x1]
    origin = np.array([x0, y0], np.int32)

    def region(scale: float) -> np.ndarray:
        m = np.zeros(ink.shape, np.uint8)
        cv2.fillConvexPoly(m, ((quad - centre) * scale + centre).astype(np.int32) - origin, 1)
        return m.astype(bool)

    # The band starts a little out, past where a crisp shadow falls along the edge.
    inside, near, far = region(0.97), region(1.15), region(1.4)
    band = near & ~region(1.04)
    ring = far & ~region(1.2)
    inside_density = ink[inside].mean() if inside.any() else 0.0
    if inside_density <= 0:
        return 1.0
    band_density = ink[band].mean() if band.any() else 0.0
    ring_density = ink[ring].mean() if ring.any() else 0.0
    if ring_density > 0.5 * inside_density:
        return 0.0  # a surface as busy as print: this measure says nothing
    return float(max(0.0, band_density - ring_density) / inside_density)


PRINT_BAND = (0.02, 0.12)   # of the long side: the strip just outside a side
SURFACE_BAND = (0.2, 0.35)  # of the long side: the surface further out, beyond the card
LEAST_PRINT = 0.01          # print density an outline is taken to hold at the least
SAME_TONE = 35.0            # grey levels: a strip this near the face's tone may be the card
BARE_SURFACE = 0.2          # of the print inside: a surface holding less is bare of print


def _print_in(gray: np.ndarray, marks: np.ndarray, polygon: np.ndarray,
              ) -> tuple[float, Callable[[], float]] | None:
    """The share of ``polygon`` covered by print, and how to get its median grey (asked
    only where it matters: the median of a card's face costs more than the rest); None
    when less than a third of it lies within the photo. Drawn in its bounding box only."""
    boxed = _in_box(marks.shape, polygon)
    if boxed is None:
        return None
    (y0, y1, x0, x1), held = boxed
    count = int(held.sum())
    if count == 0 or count < 0.3 * float(cv2.contourArea(polygon.astype(np.float32))):
        return None
    return (float(marks[y0:y1, x0:x1][held].mean()),
            lambda: float(np.median(gray[y0:y1, x0:x1][held])))


def print_beyond(gray: np.ndarray, quad: np.ndarray, marks: np.ndarray | None = None,
                 ) -> float:
    """How much more print lies just outside the busiest side of ``quad``, on a surface
    of the face's own tone, than on the calmest surface round it, over the print inside.

    A document's print ends at its cut edge on every side. An outline closed round part
    of a card (its portrait box and one cut edge) has the rest of the card's text just
    outside one side, on the card's face, while the desk beyond the other sides is bare;
    ``ink_outside`` compares the whole outline with a ring further out, which then lies
    on the card's text too and says nothing. Here each side is judged apart, against the
    calmest surface found beyond any side. A textured table, busier in some places than
    in others, is not judged: it is far from a card's tone, or bare beyond no side."""
    ink = print_marks(gray) if marks is None else marks
    q = np.asarray(quad, np.float32)
    centre = q.mean(axis=0)
    lengths = [float(np.hypot(*(q[(i + 1) % 4] - q[i]))) for i in range(4)]
    long_side = max(lengths)
    inside = _print_in(gray, ink, (q - centre) * 0.95 + centre)
    if inside is None:
        return 0.0
    bands: list[tuple[float, Callable[[], float]]] = []
    calm: list[float] = []
    for i in range(4):
        a, b = q[i], q[(i + 1) % 4]
        n = np.array([b[1] - a[1], a[0] - b[0]], np.float32) / max(lengths[i], 1e-6)
        if float((centre - a) @ n) > 0:
            n = -n  # outwards, whichever way the corners run
        pa, pb = a + END_SKIP * (b - a), a + (1 - END_SKIP) * (b - a)
        for near, far in (PRINT_BAND, SURFACE_BAND):
            strip = np.array([pa + near * long_side * n, pb + near * long_side * n,
                              pb + far * long_side * n, pa + far * long_side * n], np.float32)
            found = _print_in(gray, ink, strip)
            if found is not None and (near, far) == SURFACE_BAND:
                calm.append(found[0])
            elif found is not None:
                bands.append(found)
    density = max(inside[0], LEAST_PRINT)
    if not calm or min(calm) > BARE_SURFACE * density:
        return 0.0  # no bare surface beyond any side (a busy table): this says nothing
    face: float | None = None
    for busy, tone in sorted(bands, key=lambda band: -band[0]):
        if busy <= min(calm):
            break
        face = inside[1]() if face is None else face
        if abs(tone() - face) <= SAME_TONE:  # on a surface of the face's own tone
            return float((busy - min(calm)) / density)
    return 0.0


def _beside_ruling(ruling: np.ndarray, a: np.ndarray, b: np.ndarray) -> bool:
    """Whether a→b runs the way of the page's ruling without lying on one of its lines:
    the lines are straight and a side is measured to a small part of a degree, so a card
    laid a degree off square to the ruling has sides that are no ruling line. (A side
    the other way, on the margin's line, is not judged here.)"""
    u = (b - a) / max(float(np.hypot(*(b - a))), 1e-6)
    n = np.array([-u[1], u[0]], np.float32)
    d = ruling[:, 2:] - ruling[:, :2]
    length = np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-6)
    sine = np.abs(d @ n) / length
    if float(np.median(sine)) > np.sin(np.radians(3.0)):
        return False  # across the ruling
    off = np.maximum(np.abs((ruling[:, :2] - a) @ n), np.abs((ruling[:, 2:] - a) @ n))
    if not (off < BESIDE_SEEN * float(np.hypot(*(b - a)))).any():
        return False  # no line of the page found near it (shade, a faint small photo): unknown
    return not bool(((off < 3.0) & (sine < np.sin(np.radians(RULING_ANGLE)))).any())


BESIDE_SEEN = 0.05   # of a side: a page line found this near shows what lies beside it


RULING_ANGLE = 0.6   # degrees: a side closer than this to a ruling line's direction may be one


def runs_on(grads: Grads, quad: np.ndarray, ruling: np.ndarray | None = None) -> bool:
    """Whether a side of ``quad`` carries on as a line past its corners: a card's cut edge
    ends at the card's corner, a notebook's ruling or margin runs on across the page.
    A side that is a step once thin lines are filled in is a cut edge whatever lies in
    line with it (a card laid square to the ruling has a ruling line along its side), and
    on a ruled page (``ruling``) a side running its way is checked only when it lies in
    line with one of its lines."""
    smooth = grads[3]
    q = np.asarray(quad, dtype=np.float32)
    depth: float | None = None
    for i in range(4):
        a, b = q[i], q[(i + 1) % 4]
        ruled = ruling is not None and len(ruling) > 0
        if _is_step(grads, a, b) and not (ruled and _step_runs_on(grads, a, b)):
            continue
        if ruling is not None and ruled and _beside_ruling(ruling, a, b):
            continue
        if depth is None:
            # a line as faint as the page's own ruling runs on (a small photo's thin lines,
            # in shade, lie only a few grey levels below the page)
            depth = RUNS_ON_RIDGE if ruling is None or not len(ruling) else float(
                np.clip(0.4 * _ruling_depth(smooth, ruling), RUNS_ON_FAINTEST, RUNS_ON_RIDGE))
        u = b - a
        n = np.array([-u[1], u[0]], np.float32) / max(float(np.hypot(*u)), 1e-6)
        for ts in (np.linspace(1.1, 1.35, 16), np.linspace(-0.35, -0.1, 16)):
            base = a[None, :] + ts[:, None].astype(np.float32) * u[None, :]
            inside = ((base[:, 0] > 2) & (base[:, 1] > 2) & (base[:, 0] < smooth.shape[1] - 3)
                      & (base[:, 1] < smooth.shape[0] - 3))
            if inside.sum() < 8:
                continue

            def level(k: float, base: np.ndarray = base, n: np.ndarray = n) -> np.ndarray:
                p = base + k * n[None, :]
                return cv2.remap(smooth, p[:, 0:1].astype(np.float32),
                                 p[:, 1:2].astype(np.float32), cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_REPLICATE).ravel()

            core = np.min([level(k) for k in np.arange(-2.5, 2.6, 0.5)], axis=0)
            ridge = np.minimum(level(4.5), level(-4.5)) - core
            if (ridge[inside] > depth).mean() > 0.7:
                return True
    return False


def _step_runs_on(grads: Grads, a: np.ndarray, b: np.ndarray) -> bool:
    """Whether the step along a→b carries on past either corner, in line: a card's cut
    edge ends with the card, the edge of a hand's shade across a ruled page does not (and
    a ruling line along it then passes for the card's side)."""
    h, w = grads[3].shape
    u = b - a
    for p, q in ((b + 0.1 * u, b + 0.35 * u), (a - 0.35 * u, a - 0.1 * u)):
        if min(p.min(), q.min()) > 2 and max(p[0], q[0]) < w - 3 and max(p[1], q[1]) < h - 3 \
                and _is_step(grads, p, q):
            return True
    return False


PAST_CORNER = (0.01, 0.06)  # of a side: the stretch past its corner where the card has ended


def card_goes_on(grads: Grads, quad: np.ndarray, side: int) -> bool:
    """Whether the card carries on past ``side`` of ``quad`` (clockwise): both sides
    meeting it keep their step, in line, past its corners. A side drawn across the card's
    face (the edge of a glare or a shade on it) leaves the card's true sides running on;
    at the card's own edge they turn at its rounded corners and stop."""
    h, w = grads[3].shape
    q = np.asarray(quad, dtype=np.float32)
    before, after = q[(side - 1) % 4], q[(side + 2) % 4]
    start, end = q[side], q[(side + 1) % 4]
    lo, hi = PAST_CORNER
    # the side ending at ``start``, carried on beyond it; the side leaving ``end``, carried
    # back beyond it
    stretches = ((start + lo * (start - before), start + hi * (start - before)),
                 (end + hi * (end - after), end + lo * (end - after)))
    for a, b in stretches:
        if min(a.min(), b.min()) <= 2 or max(a[0], b[0]) >= w - 3 or max(a[1], b[1]) >= h - 3:
            return False
        if not _is_step(grads, a, b):
            return False
    return True


RUNS_ON_RIDGE = 6.0     # grey levels below both flanks: a line running on past a corner
RUNS_ON_FAINTEST = 3.5  # ... at the least, on a page whose ruling is that faint


def _ruling_depth(smooth: np.ndarray, ruling: np.ndarray) -> float:
    """How far the page's ruling lines lie below the page beside them, in grey levels
    (the median over their longest pieces), measured as ``runs_on`` measures a line."""
    d = ruling[:, 2:] - ruling[:, :2]
    length = np.hypot(d[:, 0], d[:, 1])
    ts = np.linspace(0.1, 0.9, 24, dtype=np.float32)
    depths = []
    for i in np.argsort(-length)[:8]:
        n = np.array([-d[i, 1], d[i, 0]], np.float32) / max(float(length[i]), 1e-6)
        base = ruling[i, :2][None, :] + ts[:, None] * d[i][None, :]

        def level(k: float, base: np.ndarray = base, n: np.ndarray = n) -> np.ndarray:
            p = (base + k * n[None, :]).astype(np.float32)
            return cv2.remap(smooth, p[:, 0:1], p[:, 1:2], cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_REPLICATE).ravel()

        core = np.min([level(k) for k in np.arange(-2.5, 2.6, 0.5)], axis=0)
        depths.append(np.minimum(level(4.5), level(-4.5)) - core)
    return float(np.median(np.concatenate(depths))) if depths else RUNS_ON_RIDGE


DEBUG = False
RIDGE = 6.0           # grey levels a thin line lies below both its flanks
SHOWING_RUN = 0.08    # of the longest side (7 mm on a card): longer than a row of print
SHOWING_BORDER = 0.02  # of the longest side: how far in from the border a page line may fade


def ruling_showing(grads: Grads, ruling: np.ndarray, quad: np.ndarray) -> float:
    """Length of the page's ruling lines seen running on inside ``quad``, over its
    longest side. Each line found on the page is followed across the outline, in the
    pixels: a card hides the ruling under it, so where a line still shows inside (in
    stretches longer than a character's stroke), the outline took in part of the page.
    The line finder breaks a line up beside a card's edge and may miss just the piece
    inside a thin sliver of page; following the line itself does not. Only stretches that
    run in from the outline's border count: the page inside an outline lies between the
    card and the border, while a row of the card's large print can lie the ruling's way."""
    if len(ruling) < 3:
        return 0.0
    smooth = grads[3]
    q = np.asarray(quad, np.float32)
    if cv2.contourArea(q, oriented=True) < 0:
        q = q[::-1]
    longest = max(float(np.hypot(*(q[(i + 1) % 4] - q[i]))) for i in range(4))
    inset = max(2.0, 0.008 * longest)
    d = ruling[:, 2:] - ruling[:, :2]
    length = np.hypot(d[:, 0], d[:, 1])
    chosen = _distinct_lines(ruling)
    shown = 0
    run = SHOWING_RUN * longest
    reach = SHOWING_BORDER * longest
    for i in chosen:
        u = d[i] / max(float(length[i]), 1e-6)
        n = np.array([-u[1], u[0]], np.float32)
        t = (q - ruling[i, :2]) @ u
        ts = np.arange(float(t.min()), float(t.max()), 1.0, dtype=np.float32)
        pts = ruling[i, :2][None, :] + ts[:, None] * u[None, :]
        h, w = smooth.shape
        inside = ((pts[:, 0] > 5) & (pts[:, 1] > 5) & (pts[:, 0] < w - 6) & (pts[:, 1] < h - 6))
        for k in range(4):
            a, b = q[k], q[(k + 1) % 4]
            cross = (b[0] - a[0]) * (pts[:, 1] - a[1]) - (b[1] - a[1]) * (pts[:, 0] - a[0])
            inside &= cross >= inset * max(float(np.hypot(*(b - a))), 1e-6)
        if inside.sum() < run:
            continue
        pts = pts[inside].astype(np.float32)

        ridge = line_depth(smooth, pts, n) > RIDGE
        # stretches of consecutive samples on the line (the inside points are contiguous)
        edges = np.flatnonzero(np.diff(np.concatenate([[0], ridge.astype(np.int8), [0]])))
        for start, stop in zip(edges[::2], edges[1::2]):
            # the page seen inside an outline lies between the card and the outline, so a
            # line of it runs in from the outline's border; a stretch that starts and ends
            # well inside is the card's own print lying the ruling's way (a row of large
            # characters, a label's strokes)
            if start > reach and stop < len(ridge) - reach:
                continue
            if stop - start >= run:
                shown += int(stop - start)
                if DEBUG:
                    print('   show', ruling[i].round(), pts[start].round(), pts[stop - 1].round())
    return shown / max(longest, 1e-6)


OFF_EDGE = 0.012      # of the longest side (1 mm on a card): a side turned this far off its step
ALONG_DEG = 3.0       # degrees: a side this near the ruling's direction runs its way


def _against_lines(lines: np.ndarray, a: np.ndarray, b: np.ndarray,
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each of ``lines``: the sine of its angle to a→b, and how far a and b lie off
    it (signed, across the line)."""
    u = (b - a) / max(float(np.hypot(*(b - a))), 1e-6)
    d = lines[:, 2:] - lines[:, :2]
    length = np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-6)
    sine = np.abs(d @ np.array([-u[1], u[0]], np.float32)) / length
    normal = np.stack([-d[:, 1], d[:, 0]], axis=1) / length[:, None]
    at_a = ((a[None, :] - lines[:, :2]) * normal).sum(axis=1)
    at_b = ((b[None, :] - lines[:, :2]) * normal).sum(axis=1)
    return sine, at_a, at_b


def _along_ruling_line(ruling: np.ndarray, a: np.ndarray, b: np.ndarray) -> bool:
    """Whether a→b runs the way of the page's ruling and meets one of its lines: lies on
    it at one end or crosses it (a side partly on the card's edge, partly on the line)."""
    sine, at_a, at_b = _against_lines(ruling, a, b)
    if float(np.median(sine)) > np.sin(np.radians(ALONG_DEG)):
        return False
    meets = (np.minimum(np.abs(at_a), np.abs(at_b)) < 3.0) | (np.sign(at_a) != np.sign(at_b))
    return bool((meets & (sine < np.sin(np.radians(ALONG_DEG)))).any())


PAST_SIDE = 0.04  # of a side (3.4 mm on a card): a page's line running on past its corner


def _ruling_runs_past(ruling: np.ndarray, a: np.ndarray, b: np.ndarray) -> bool:
    """Whether a→b lies on a line of the ruling from end to end, and that line runs on
    well past one of its corners: a page's line crosses the page; the lines a white desk's
    photo gives (the card's own edge, a row of its print) end with the card, and filling
    those in takes the card's own edge with them."""
    length = max(float(np.hypot(*(b - a))), 1e-6)
    u = (b - a) / length
    sine, at_a, at_b = _against_lines(ruling, a, b)
    near = max(4.0, OFF_EDGE * length)   # the side may lie on the line's flank
    # on it end to end: a side crossing a line is where the card's edge put it
    meets = (np.maximum(np.abs(at_a), np.abs(at_b)) < near) \
        & (sine < np.sin(np.radians(ALONG_DEG)))
    if not meets.any():
        return False
    ends = np.concatenate([(ruling[meets, :2] - a) @ u, (ruling[meets, 2:] - a) @ u])
    return bool(ends.max() > (1 + PAST_SIDE) * length or ends.min() < -PAST_SIDE * length)


def off_its_step(unruled: Callable[[], Grads], ruling: np.ndarray, quad: np.ndarray) -> bool:
    """Whether a side meeting a line of the page's ruling has the card's step, once the
    page's lines are filled in (``unruled``), elsewhere: a card laid a degree or two off
    the ruling has a side drawn onto the ruling line that meets its edge at one corner and
    runs a few millimetres off it at the other; the step beside that line and the shade
    round the card carry it, and where the card is wide in the frame no line runs on past
    a corner within it to show it (``runs_on``). Measured without the ruling, the side
    lies on the card's own edge, turned against the line; a true side stays where it is.
    (``unruled`` is made only when a side meets a line.)"""
    if ruling is None or not len(ruling):
        return False
    q = np.asarray(quad, dtype=np.float32)
    long_side = max(float(np.hypot(*(q[(i + 1) % 4] - q[i]))) for i in range(4))
    grads: Grads | None = None
    for i in range(4):
        a, b = q[i], q[(i + 1) % 4]
        if not _along_ruling_line(ruling, a, b):
            continue
        grads = unruled() if grads is None else grads
        on_line = _ruling_runs_past(ruling, a, b)
        if on_line and _side(grads, a, b, max(2.5, 0.012 * long_side))[1] < 0.5:
            # little step where the side lies, the page's line filled in (the search
            # below reaches further and may meet a step beside it): on the line alone
            return True
        turn = _own_step_turn(grads, a, b, long_side)
        if turn is None:
            if on_line:
                return True   # little step of its own: the side stands on the page's line
            continue
        # turned against the side, not beside it: a step parallel to the side a few pixels
        # off (a row of print, the shade's far edge) says nothing of where its ends lie
        if turn > OFF_EDGE * long_side:
            return True
    return False


def _own_step_turn(grads: Grads, a: np.ndarray, b: np.ndarray, long_side: float,
                   ) -> float | None:
    """How far the step found near a→b in ``grads`` (reaching 4.5 % of the longest side
    out) is turned against it, end to end; None where that step stands on under half of
    the side."""
    line, support = _side(grads, a, b, max(4.0, 0.045 * long_side))
    if line is None or support < 0.5:
        return None
    p0, d = line
    n = np.array([-d[1], d[0]], np.float32)
    return abs(float((a - p0) @ n) - float((b - p0) @ n))


def off_its_margin(unruled: Callable[[], Grads], margins: np.ndarray, quad: np.ndarray) -> bool:
    """Whether a side lies end to end on a margin line of the page (``margins``) that runs
    on past the card, and the card's own step, the page's lines filled in, is weak there
    or turned against it by more than half of ``OFF_EDGE``: a card laid beside the margin
    a degree off it has a side drawn onto the margin. Filling the margin in blinds the
    step where the card's edge comes within a few pixels of it, so the turn that remains
    is smaller than on a ruling line."""
    if margins is None or not len(margins):
        return False
    q = np.asarray(quad, dtype=np.float32)
    long_side = max(float(np.hypot(*(q[(i + 1) % 4] - q[i]))) for i in range(4))
    for i in range(4):
        a, b = q[i], q[(i + 1) % 4]
        if not _ruling_runs_past(margins, a, b):
            continue
        turn = _own_step_turn(unruled(), a, b, long_side)
        if turn is None or turn > 0.5 * OFF_EDGE * long_side:
            return True
    return False
