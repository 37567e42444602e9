"""Find a document photographed on a table and straighten it to its true proportions.

Detection runs on a copy scaled to about 900 px, where a 12-megapixel photo costs a few
milliseconds per strategy; only the final warp touches the full image, and only the region
under the document. Several segmentations propose outlines (edges, brightness, distance
from the background colour) and each four-cornered proposal is scored on size, how square
its corners are and how close its proportions come to the document's.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from forms.imaging.edges import (
    REACH_STEPS,
    Grads,
    _side,
    card_goes_on,
    confidence,
    gradients,
    grow,
    ink_outside,
    off_its_margin,
    off_its_step,
    print_beyond,
    print_marks,
    refine,
    ruling_showing,
    runs_on,
    unruled_gradients,
    where_they_lie,
)
from forms.imaging.lines import margin_lines, ruled_inside, segments_and_ruling, support
from forms.imaging.lines import quads as line_quads
from forms.imaging.rims import dark_inside, onto_rims, photo_gray, shadow_band
from forms.imaging.ruled_sides import onto_ruling_ends

WORK_SIDE = 900
MIN_AREA = 0.02        # of the frame: a card on an A4 flatbed covers 7 %
MAX_AREA = 0.985       # of the frame: larger means we found the photo's own edge
MIN_SCORE = 0.12       # below this nothing worth offering was found
SURE_ENOUGH = 0.97     # stop refining proposals once one stands this firmly
DOUBTFUL_BELOW = 0.62  # confidence under which the outline is only a suggestion
RULED_INSIDE = 0.08    # of the long side: the page's ruling seen inside an outline
CORNER_SLACK = 0.025   # of the long side: how far a corner may lie past the frame (2 mm)
PRINT_BEYOND = 0.5     # print past one side, over the print inside: the outline cuts the card
SHADOW_BAND = 22.0     # grey levels: a band inside a side darker than the face and the surface
                       # (true outlines measured up to 18.7 on ruled paper, 15.8 on white desks)

Quad = np.ndarray  # (4, 2) float32: top-left, top-right, bottom-right, bottom-left


@dataclass(frozen=True)
class Outline:
    quad: Quad
    score: float
    confidence: float = 0.0    # 0–1: how much of each side sits on a measured edge
    doubtful: bool = True      # too little evidence: ask for the corners, claim no true size


def _edge(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.hypot(*(b - a)))


def _longest(quad: np.ndarray) -> float:
    """The longest side of ``quad``."""
    return max(_edge(quad[i], quad[(i + 1) % 4]) for i in range(4))


def rough_aspect(quad: Quad) -> float:
    """Width over height from opposite edge lengths (close enough under mild perspective)."""
    top, right = _edge(quad[0], quad[1]), _edge(quad[1], quad[2])
    bottom, left = _edge(quad[2], quad[3]), _edge(quad[3], quad[0])
    return (top + bottom) / max(right + left, 1e-6)


def order_corners(points: np.ndarray, aspect: float | None) -> Quad:
    """Corners as TL, TR, BR, BL such that the content stays as photographed.

    The corners are put in clockwise order; of the four ways to choose the top edge, the
    ones whose long/short side matches the document are kept, and of those the one whose
    top edge points most nearly rightwards wins. A card photographed up to 90° off
    upright therefore comes out upright, with its top-left corner where it belongs.
    """
    pts = np.asarray(points, dtype=np.float32).reshape(4, 2)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    cw = pts[np.argsort(angles)]  # y grows downwards: ascending angle is clockwise
    best: tuple[float, int] | None = None
    for start in range(4):
        q = np.roll(cw, -start, axis=0)
        wide = _edge(q[0], q[1]) + _edge(q[2], q[3]) >= _edge(q[1], q[2]) + _edge(q[3], q[0])
        if aspect is not None and abs(aspect - 1) > 0.1 and wide != (aspect > 1):
            continue
        direction = q[1] - q[0]
        rightwards = direction[0] / max(float(np.hypot(*direction)), 1e-6)
        if best is None or rightwards > best[0]:
            best = (rightwards, start)
    assert best is not None
    return np.roll(cw, -best[1], axis=0).astype(np.float32)


def _quad_from_contour(contour: np.ndarray) -> np.ndarray | None:
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.045, 0.06):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(np.float32)
        if len(approx) < 4:
            break
    # Rounded corners or a bitten edge: the tightest rotated rectangle still serves.
    return cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)


def _masks(small: np.ndarray) -> list[tuple[np.ndarray, int]]:
    """Segmentations of the work copy, each with the contour mode to read it with.

    Brightness and colour distance from the border find a card that differs from the
    table; regions between low-threshold edges find a light card on a light desk, on
    ruled paper or on a flatbed's lid, where only its cut edge and shadow show.
    """
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    blur = cv2.GaussianBlur(gray, (5, 5), 0)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (7, 7))
    out: list[tuple[np.ndarray, int]] = []
    median = float(np.median(blur))
    edges = cv2.Canny(blur, int(max(0, 0.66 * median)), int(min(255, 1.33 * median) + 20))
    out.append((cv2.morphologyEx(edges, cv2.MORPH_CLOSE, kernel, iterations=2),
                cv2.RETR_EXTERNAL))
    _, bright = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    for m in (bright, 255 - bright):
        out.append((cv2.morphologyEx(cv2.morphologyEx(m, cv2.MORPH_OPEN, kernel),
                                     cv2.MORPH_CLOSE, kernel, iterations=2), cv2.RETR_EXTERNAL))
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (9, 9), 0), cv2.COLOR_RGB2LAB).astype(np.float32)
    border = np.concatenate([lab[:6].reshape(-1, 3), lab[-6:].reshape(-1, 3),
                             lab[:, :6].reshape(-1, 3), lab[:, -6:].reshape(-1, 3)])
    distance = np.linalg.norm(lab - np.median(border, axis=0), axis=2)
    spread = float(np.percentile(np.linalg.norm(border - np.median(border, axis=0), axis=1), 90))
    for floor in (25.0, 7.0):
        far = (distance > max(floor, 1.5 * spread)).astype(np.uint8) * 255
        out.append((cv2.morphologyEx(cv2.morphologyEx(far, cv2.MORPH_OPEN, kernel),
                                     cv2.MORPH_CLOSE, kernel, iterations=3), cv2.RETR_EXTERNAL))
    small_k = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))
    for low, high in ((6, 18), (12, 36)):
        faint = cv2.dilate(cv2.Canny(cv2.GaussianBlur(gray, (0, 0), 1.4), low, high), small_k)
        # The regions the edges enclose: the card's face is one, whatever its colour.
        out.append((255 - faint, cv2.RETR_CCOMP))
    return out


def _score(quad: np.ndarray, contour_area: float, frame: tuple[int, int],
           aspect: float | None) -> float:
    frame_area = float(frame[0] * frame[1])
    area = cv2.contourArea(quad)
    if area <= 0 or not cv2.isContourConvex(quad.astype(np.int32)):
        return 0.0
    fraction = area / frame_area
    if not MIN_AREA <= fraction <= MAX_AREA:
        return 0.0
    fill = min(contour_area / area, area / max(contour_area, 1e-6))
    # Corners on the photo's edge mean the outline is the frame (or a texture seam), not a
    # document lying inside it.
    margin = 0.015 * max(frame)
    on_edge = sum(1 for x, y in quad if x < margin or y < margin
                  or x > frame[0] - 1 - margin or y > frame[1] - 1 - margin)
    shape = 0.3 if on_edge >= 2 else 1.0
    if aspect is not None:
        found = rough_aspect(order_corners(quad, aspect))
        shape *= math.exp(-3.0 * abs(math.log(found / aspect)))
    return float(min(1.0, fraction * 8) * fill ** 2 * shape)


def _proposals(small: np.ndarray, frame: tuple[int, int], aspect: float | None,
               ) -> list[tuple[float, np.ndarray]]:
    frame_area = float(frame[0] * frame[1])
    found: list[tuple[float, np.ndarray]] = []
    for mask, mode in _masks(small):
        contours, _ = cv2.findContours(mask, mode, cv2.CHAIN_APPROX_SIMPLE)
        for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:6]:
            if cv2.contourArea(contour) < MIN_AREA * frame_area:
                break
            quad = _quad_from_contour(contour)
            if quad is None:
                continue
            score = _score(quad, cv2.contourArea(contour), frame, aspect)
            if score > 0.05:
                found.append((score, quad))
    found += _from_print(small, frame, aspect)
    found.sort(key=lambda item: -item[0])
    distinct: list[tuple[float, np.ndarray]] = []
    for score, quad in found:  # near-identical proposals are refined once
        c = order_corners(quad, aspect)
        if all(np.abs(c - order_corners(q, aspect)).max() > 0.01 * max(frame)
               for _, q in distinct):
            distinct.append((score, quad))
    return distinct[:10]


PRINT_MARGIN = (1.15, 1.22)  # card over its printed block, across and along its lines


def _from_print(small: np.ndarray, frame: tuple[int, int], aspect: float | None
                ) -> list[tuple[float, np.ndarray]]:
    """Outlines guessed from where the print is: the text block, widened by the card's
    margins. On a surface the card barely differs from, the print still stands out; the
    edge refinement then finds the true border within a few millimetres."""
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    ink = (cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))) > 55)
    k = max(5, round(0.05 * max(frame)))
    block = cv2.morphologyEx(ink.astype(np.uint8) * 255, cv2.MORPH_CLOSE,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    block = cv2.morphologyEx(block, cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (k // 3, k // 3)))
    contours, _ = cv2.findContours(block, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    contours = sorted(contours, key=cv2.contourArea, reverse=True)
    if not contours or cv2.contourArea(contours[0]) < 0.005 * frame[0] * frame[1]:
        return []
    main = contours[0]
    centre = main.reshape(-1, 2).mean(axis=0)
    near = [c for c in contours if cv2.contourArea(c) > 0.1 * cv2.contourArea(main)
            and np.hypot(*(c.reshape(-1, 2).mean(axis=0) - centre)) < 0.3 * max(frame)]
    (_, _), (w, h), angle = cv2.minAreaRect(cv2.convexHull(main))
    if w < h:
        angle += 90  # the lines of print run along the block's long side
    a = math.radians(angle)
    axes = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
    out = []
    for group in ([main], near):
        pts = np.concatenate(group).reshape(-1, 2).astype(np.float32) @ axes.T
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        mid, half = (lo + hi) / 2, (hi - lo) / 2 * np.array(PRINT_MARGIN)
        boxes = [(mid, half)]
        if aspect is not None and group is near:
            # A portrait or emblem beside the print is no ink: the card may reach further
            # on either side of the block, by its proportions.
            long = half[1] * max(aspect, 1 / aspect)
            if long > half[0]:
                margin = 0.07 * long
                for sign in (-1, 1):
                    end = lo[0] - margin if sign < 0 else hi[0] + margin
                    centre = np.array([end - sign * long, mid[1]])
                    boxes.append((centre, np.array([long, half[1]])))
        for centre, size in boxes:
            corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) * size + centre
            out.append((0.1, (corners @ axes).astype(np.float32)))
    return out


def _from_ruling(gray: np.ndarray, ruling: np.ndarray) -> list[tuple[float, np.ndarray]]:
    """Where a ruled page's lines are missing: the card lying on it hides them.

    The ruling is turned level, kept where it runs long and straight (text and the card's
    fine print do not), and each line is spread across half the gap to its neighbours, so
    the page is covered and the card is the large hole left in it."""
    if len(ruling) < 6:
        return []
    d = ruling[:, 2:] - ruling[:, :2]
    angle = float(np.degrees(np.median(np.arctan2(d[:, 1], d[:, 0]) % np.pi)))
    h, w = gray.shape
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    level = cv2.warpAffine(gray, turn, (w, h), flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_REPLICATE)
    thin = cv2.morphologyEx(level, cv2.MORPH_BLACKHAT,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (1, 7)))
    dark = (thin > max(6.0, 3.0 * float(np.median(thin)) + 3.0)).astype(np.uint8)
    long = max(9, round(0.03 * max(w, h)))
    lines = cv2.morphologyEx(dark, cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (long, 1)))
    rows = lines.sum(axis=1).astype(np.float32)
    peaks = np.flatnonzero((rows > 0.2 * w) & (rows >= np.roll(rows, 1))
                           & (rows >= np.roll(rows, -1)))
    if len(peaks) < 5:
        return []
    gap = float(np.median(np.diff(peaks)))
    if gap < 4:
        return []
    covered = cv2.dilate(lines, cv2.getStructuringElement(cv2.MORPH_RECT,
                                                          (3, int(gap * 1.2) | 1)))
    covered = cv2.morphologyEx(covered, cv2.MORPH_CLOSE,
                               cv2.getStructuringElement(cv2.MORPH_RECT, (long, 1)))
    back = cv2.invertAffineTransform(turn)
    holes = cv2.warpAffine(((1 - covered) * 255).astype(np.uint8), back, (w, h),
                           flags=cv2.INTER_NEAREST, borderValue=0)
    holes = cv2.morphologyEx(holes, cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    contours, _ = cv2.findContours(holes, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:2]:
        if cv2.contourArea(contour) < MIN_AREA * w * h:
            break
        quad = _quad_from_contour(contour)
        if quad is not None:
            out.append((0.3, quad))
    return out


def _plausible(quad: np.ndarray, frame: tuple[int, int], aspect: float | None) -> float:
    """How much a refined outline looks like the document lying inside the photo."""
    area = cv2.contourArea(quad)
    if area <= 0 or not cv2.isContourConvex(quad.astype(np.int32)):
        return 0.0
    fraction = area / float(frame[0] * frame[1])
    if not MIN_AREA <= fraction <= MAX_AREA:
        return 0.0
    # A card's square corners lie outside its rounded ones: a photo framed tight to the
    # card may cut a corner's rounding off and lose nothing of the card's print.
    slack = max(0.01 * max(frame), CORNER_SLACK * max(_edge(quad[i], quad[(i + 1) % 4])
                                                       for i in range(4)))
    if quad.min() < -slack or (quad[:, 0] > frame[0] + slack).any() \
            or (quad[:, 1] > frame[1] + slack).any():
        return 0.0
    shape = 1.0
    if aspect is not None:
        found = rough_aspect(order_corners(quad, aspect))
        shape = math.exp(-4.0 * max(0.0, abs(math.log(found / aspect)) - 0.03))
    return shape


COMPLETIONS = 3       # outlines completed from three sides tried, at most, in one search
WEAK_SIDE = 0.5       # support under which a side is placed by the other three
COMPLETED_SIDE = 0.75  # support every side of a completed outline must find to count
FIRM_SIDE = 0.8       # support of a side standing firm (two such, and a weak side is placed)
RETRIES = 1           # outlines measured again without the ruling, at most, in one search
STRETCHES = (0.95, 1.0, 1.05)   # the card's proportions, as perspective may change them


def _completions(quad: Quad, supports: list[float], aspect: float) -> list[Quad]:
    """Where the one side standing on nothing would lie, by the card's proportions, when
    the other three stand on edges: a light card on a desk of its own tone, lit from the
    side, may show one side hardly at all (no shadow on it, no step, only the faint line
    of its cut rim). Each guess is refined like any proposal, so it is trusted only on
    the same evidence; it only puts the search where that faint edge is."""
    order = np.argsort(supports)
    weak = int(order[0])
    if supports[weak] >= WEAK_SIDE or supports[int(order[1])] < 0.8:
        return []
    q = np.asarray(quad, np.float32)
    lengths = [_edge(q[i], q[(i + 1) % 4]) for i in range(4)]
    long_pair = lengths[weak] + lengths[(weak + 2) % 4] >= lengths[(weak + 1) % 4] + \
        lengths[(weak + 3) % 4]
    want = max(aspect, 1 / aspect)
    opposite = lengths[(weak + 2) % 4]
    out = []
    # the three sides may hold the card turned a quarter from how they stand: a side
    # inside the card (a portrait's edge) closing a tall box on a wide card's two
    # sides; the other way is tried after, once (refining reaches the few per cent)
    for stretch, turned in [(k, False) for k in STRETCHES] + [(1.0, True)]:
        across = opposite / want * stretch if long_pair != turned else opposite * want * stretch
        new = q.copy()
        a, b = weak, (weak + 1) % 4
        for corner, anchor in ((a, (weak + 3) % 4), (b, (weak + 2) % 4)):
            direction = q[corner] - q[anchor]
            new[corner] = q[anchor] + direction / max(_edge(q[corner], q[anchor]), 1e-6) * across
        out.append(new)
    return out


def find_outline(img: Image.Image, aspect: float | None, *,
                 own_ruling: bool = False) -> Outline | None:
    """The document's four corners in ``img`` coordinates, with a confidence; None when
    nothing even worth suggesting was found. ``own_ruling``: the document prints ruled
    lines of its own (a household register's table), so ruling inside its outline does
    not mean the outline reached out onto a notebook page.

    A document small in the frame (a card on a flatbed, a far photo) is looked for again
    in a crop around the first answer, where it fills the work copy and its edges are
    measured with several times the resolution.
    """
    pending: list[Callable[[], Outline | None]] = []
    first = _find(img, aspect, own_ruling, pending)
    if first is None:
        return None
    lo, hi = first.quad.min(axis=0), first.quad.max(axis=0)
    span = float((hi - lo).max())
    if span > 0.5 * max(img.size) or span * 1.5 < WORK_SIDE * 0.5:
        return _rescued(first, pending)
    pad = 0.25 * span
    x0, y0 = max(0, int(lo[0] - pad)), max(0, int(lo[1] - pad))
    x1, y1 = min(img.width, int(hi[0] + pad)), min(img.height, int(hi[1] + pad))
    # (the rims of a doubted first answer are looked for only when the second, which looks
    # for its own, does no better)
    second = _find(img.crop((x0, y0, x1, y1)), aspect, own_ruling)
    if second is None or second.confidence < first.confidence:
        return _rescued(first, pending)
    offset = np.array([x0, y0], dtype=np.float32)
    return Outline(second.quad + offset, second.score, second.confidence, second.doubtful)


def _rescued(found: Outline, pending: list[Callable[[], Outline | None]]) -> Outline:
    """``found``, or where it was doubted, the outline the rims of its search put
    instead (``_on_rims``: left until it is known to be needed, it costs a little)."""
    if not found.doubtful or not pending:
        return found
    rescued = pending[0]()
    return rescued if rescued is not None and rescued.score > found.score else found


def _find(img: Image.Image, aspect: float | None, own_ruling: bool = False,
          later: list[Callable[[], Outline | None]] | None = None) -> Outline | None:
    """The best outline in ``img``; a doubted one is looked at once more along the rims
    of the card (``_on_rims``), here or, given ``later``, when the caller asks."""
    w, h = img.size
    factor = WORK_SIDE / max(w, h) if max(w, h) > WORK_SIDE else 1.0
    small_img = img.resize((max(1, round(w * factor)), max(1, round(h * factor))),
                           Image.Resampling.BILINEAR) if factor < 1 else img
    small = np.asarray(small_img.convert("RGB"))
    frame = (small.shape[1], small.shape[0])
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    grads = gradients(gray)
    best: Outline | None = None
    proposals = _proposals(small, frame, aspect)
    # Straight edges closing a card-shaped quad: what a light card on a light desk or on
    # ruled paper shows when no region stands apart.
    segs, ruling = segments_and_ruling(gray)
    proposals += [(0.5 * cover, quad) for cover, quad in line_quads(gray, aspect, 4, segs)]
    proposals += _from_ruling(gray, ruling)
    completed = retried = 0
    flat: Grads | None = None   # the same photo without the page's ruling, when needed
    marks: np.ndarray | None = None   # the photo's print, when an outline is judged by it

    margins: np.ndarray | None = None   # the page's margin lines, when asked for

    def page_margins() -> np.ndarray:
        """``margins``, looked for the first time they are asked for."""
        nonlocal margins
        margins = margin_lines(gray, ruling) if margins is None else margins
        return margins

    def unruled() -> Grads:
        """``flat`` (the ruling and the margins filled in), made the first time it is
        asked for."""
        nonlocal flat
        flat = flat or unruled_gradients(gray, np.concatenate([ruling, page_margins()]))
        return flat

    tries: list[tuple[float, np.ndarray, str]] = [(sc, q, "proposal") for sc, q in proposals]
    doubted: list[tuple[float, float, np.ndarray, list[float]]] = []  # for _on_rims
    for score, quad, how in tries:  # completions and retries found on the way are appended
        if how != "proposal" and best is not None and best.confidence >= DOUBTFUL_BELOW:
            break  # they only look again where every proposal was doubted
        use = grads if how != "steps" or flat is None else flat
        clockwise = order_corners(quad, None)
        refined, supports = refine(gray, clockwise, use)
        for _ in range(2):
            grown, _ = grow(gray, refined, supports, use, ruling=ruling)
            if np.abs(grown - refined).max() == 0:
                break
            refined, supports = refine(gray, grown, use)
        if confidence(supports) < DOUBTFUL_BELOW and how == "proposal":
            # Still standing on little: perhaps a guess from the print, well inside the
            # card. Reach further out for edges parallel to its sides.
            reached, _ = grow(gray, refined, [0.0] * 4, use, REACH_STEPS, ruling=ruling)
            again, more = refine(gray, reached, use)
            # the reach may stop on an edge inside the card (the portrait's): one more
            # step out to the outermost edge, as for every other proposal
            grown, _ = grow(gray, again, more, use, ruling=ruling)
            if np.abs(grown - again).max() > 0:
                again, more = refine(gray, grown, use)
            if confidence(more) > confidence(supports):
                refined, supports = again, more
        if len(ruling) and min(supports) < WEAK_SIDE and sorted(supports)[2] >= FIRM_SIDE and (
                best is None or best.confidence < DOUBTFUL_BELOW):
            # a side with no step on a ruled page, two standing firm: the sides not firm
            # lie where the page's lines stop, when those stops say more than their steps;
            # firm where they lie, not only somewhere in the refinement's wide band
            supports = [min(s, n) for s, n in zip(supports, where_they_lie(use, refined))]
            refined, supports = onto_ruling_ends(grads, ruling, refined, supports, FIRM_SIDE)
        if aspect is not None and completed < COMPLETIONS and how == "proposal":
            more_quads = _completions(refined, supports, aspect)
            tries += [(0.0, q, "completed") for q in more_quads]
            completed += len(more_quads)
        # Two measures of the same edges: steps sampled across each side, and straight
        # segments along it that end at its corners. Where the card barely differs from
        # the surface the steps are patchy, and the segments speak for the side too.
        found = confidence(supports)
        found = max(found, 0.5 * (found + confidence(support(segs, refined, gray.shape))))
        sure = found * _plausible(refined, frame, aspect)
        if sure > 0:
            marks = print_marks(gray) if marks is None else marks
            if ink_outside(gray, refined, marks) > 0.15:
                sure *= 0.4  # print just outside: the outline cuts through the document
            elif sure >= DOUBTFUL_BELOW and print_beyond(gray, refined, marks) > PRINT_BEYOND:
                sure *= 0.4  # the card's print runs on past one side: part of the card
        if sure >= DOUBTFUL_BELOW and any(
                supports[i] < COMPLETED_SIDE and card_goes_on(use, refined, i) for i in range(4)):
            sure *= 0.5  # a side with little under it, and the card's sides running on past it
        if sure >= DOUBTFUL_BELOW and len(ruling) and how != "steps" and off_its_step(
                unruled, ruling, refined):
            # a side on a ruling line, and the card's own step, the page's lines filled in,
            # off it at one end: measure again without the ruling
            sure *= 0.5
            if how == "proposal" and retried < RETRIES:
                tries.append((score, refined, "steps"))
                retried += 1
        elif sure >= DOUBTFUL_BELOW and runs_on(grads, refined, ruling):
            sure *= 0.5  # a side on a ruling line that runs past the corner
            if how == "proposal" and len(ruling) and retried < RETRIES:
                # The side was drawn onto a ruling line beside the card's edge (a card
                # laid a degree or two off the ruling): measure again without the ruling.
                unruled()
                tries.append((score, refined, "steps"))
                retried += 1
        if sure >= DOUBTFUL_BELOW and len(ruling) and off_its_margin(
                unruled, page_margins(), refined):
            sure *= 0.5  # a side on the page's margin line, the card's own step off it
        if sure >= DOUBTFUL_BELOW and any(
                shadow_band(grads[3], refined[i], refined[(i + 1) % 4], _longest(refined))
                > SHADOW_BAND for i in range(4)):
            sure *= 0.5  # a side on the outer edge of the card's shadow: it holds the shadow
        # (the line following costs more: it is left out where the outline is doubted anyway)
        if sure > 0 and not own_ruling and (ruled_inside(ruling, refined) > RULED_INSIDE or (
                sure >= 0.5 * DOUBTFUL_BELOW
                and ruling_showing(grads, ruling, refined) > RULED_INSIDE)):
            sure *= 0.4  # the page's ruling inside: the outline reaches out onto the page
        if how == "completed" and min(supports) < COMPLETED_SIDE:
            sure *= 0.5  # placed by the proportions, then standing on little: no evidence
        total = sure + 0.05 * max(score, 0.0)  # the segmentation's own score breaks ties
        if sure < DOUBTFUL_BELOW:
            doubted.append((total, score, refined, list(supports)))
        if best is None or total > best.score:
            best = Outline(order_corners(refined / factor, aspect), total, sure,
                           sure < DOUBTFUL_BELOW)
        if sure >= SURE_ENOUGH:
            break  # every side on a measured edge: the other proposals cannot do better
    if best is not None and best.doubtful and aspect is not None:
        card_aspect = aspect

        def rims() -> Outline | None:
            return _on_rims(img, factor, doubted, frame, card_aspect, gray, grads,
                            None if own_ruling else ruling, unruled,
                            page_margins)

        if later is not None:
            later.append(rims)
        else:
            rescued = rims()
            if rescued is not None and rescued.score > best.score:
                best = rescued
    if best is None or best.score < MIN_SCORE:
        return None
    return best


RIM_TRIES = 3          # doubted outlines whose weak sides are looked for as a rim line
RIM_BAND = 0.08        # of the long side: how far either way of two weak sides their rims may lie
RIM_REACH = 0.15       # of the long side: how far out a rim is looked for, all sides weak
RIM_STRETCH = (0.88, 1.12)  # the card's proportions, as perspective may change them
RIM_SLACK = 0.01       # of the long side, either way of where the proportions put a side
SHADOW_INSIDE = 14.0   # grey levels: a band just inside a side darker than the face


def _on_rims(img: Image.Image, factor: float,
             doubted: list[tuple[float, float, np.ndarray, list[float]]],
             frame: tuple[int, int], aspect: float, gray: np.ndarray, grads: Grads,
             ruling: np.ndarray | None, unruled: Callable[[], Grads],
             margins: Callable[[], np.ndarray]) -> Outline | None:
    """A doubted outline whose weak sides stand on the thin line of the card's cut rim,
    looked for in the photo itself (``rims``): a light card on a desk of its own tone
    shows a side lit from where it casts no shadow only as that line. The other sides
    must stand on edges that hold no shadow, and the outline passes every test a proposal
    does (``unruled``: the photo's gradients without the page's lines, ``margins``: the
    page's margin lines; each made when asked for)."""
    doubted = sorted(doubted, key=lambda d: -d[0])[:RIM_TRIES]
    jobs: list[tuple[float, list[float], np.ndarray,
                     dict[int, tuple[tuple[float, float], tuple[float, float]]]]] = []
    for _total, score, quad, supports in doubted:
        weak = [i for i in range(4) if supports[i] < COMPLETED_SIDE]
        if not weak:
            continue
        # one side lost, or two a little off: each put by the card's proportions or looked
        # for near where it is; more: each looked for out to where a side of a guess from
        # the print may lie
        reach = len(weak) > 2 or sum(supports[i] < WEAK_SIDE for i in weak) > 1
        q = np.asarray(quad, np.float32)
        lengths = [_edge(q[i], q[(i + 1) % 4]) for i in range(4)]
        long_side = max(lengths)
        bands: dict[int, tuple[tuple[float, float], tuple[float, float]]] = {}
        for i in weak:
            a, b = q[i], q[(i + 1) % 4]
            n = np.array([b[1] - a[1], a[0] - b[0]], np.float32) / max(lengths[i], 1e-6)
            if reach:
                band = ((-RIM_BAND * long_side, RIM_REACH * long_side),
                        (-RIM_BAND * long_side, RIM_REACH * long_side))
            elif supports[i] < WEAK_SIDE or len(weak) == 1:
                # where the card's proportions put the side: its corners along the
                # neighbouring sides, as far from the opposite side as the card is across
                want = max(aspect, 1 / aspect)
                opposite = lengths[(i + 2) % 4]
                long_pair = lengths[i] + opposite >= lengths[(i + 1) % 4] + lengths[(i + 3) % 4]
                across = opposite / want if long_pair else opposite * want
                ends = []
                for corner, anchor in ((i, (i + 3) % 4), ((i + 1) % 4, (i + 2) % 4)):
                    way = (q[corner] - q[anchor]) / max(_edge(q[corner], q[anchor]), 1e-6)
                    offs = [float((q[anchor] + way * across * k - q[corner]) @ n)
                            for k in RIM_STRETCH]
                    ends.append((min(offs) - RIM_SLACK * long_side,
                                 max(offs) + RIM_SLACK * long_side))
                band = (ends[0], ends[1])
            else:
                band = ((-RIM_BAND * long_side, RIM_BAND * long_side),
                        (-RIM_BAND * long_side, RIM_BAND * long_side))
            bands[i] = ((band[0][0] / factor, band[0][1] / factor),
                        (band[1][0] / factor, band[1][1] / factor))
        jobs.append((score, supports, q / factor, bands))
    if not jobs:
        return None
    # the decoded photo in grey, once, around every outline to be looked at
    pad = 0.35 * max(_edge(q[i], q[(i + 1) % 4]) for _s, _p, q, _b in jobs for i in range(4))
    x0, y0 = (max(0, int(v - pad)) for v in np.min([q.min(axis=0) for _s, _p, q, _b in jobs], 0))
    x1, y1 = (int(v + pad) for v in np.max([q.max(axis=0) for _s, _p, q, _b in jobs], 0))
    x1, y1 = min(img.width, x1), min(img.height, y1)
    if x1 - x0 < 20 or y1 - y0 < 20:
        return None
    crop = photo_gray(np.asarray(img.crop((x0, y0, x1, y1)).convert("L")))
    offset = np.array([x0, y0], np.float32)
    for score, supports, photo_q, bands in jobs:
        found = onto_rims(crop, photo_q - offset, bands)
        if found is None:
            continue
        new = (found[0] + offset) * factor
        sides = list(supports)
        new_long = max(_edge(new[i], new[(i + 1) % 4]) for i in range(4))
        for i in range(4):
            if i in found[1]:
                sides[i] = found[1][i]
            else:  # the neighbours of a moved side, measured again along their new length
                sides[i] = _side(grads, new[i], new[(i + 1) % 4], max(2.5, 0.012 * new_long))[1]
        if min((sides[i] for i in range(4) if i not in found[1]), default=1.0) < COMPLETED_SIDE:
            continue  # a side not on a rim must stand on its edge along its new length too
        sure = confidence(sides) * _plausible(new, frame, aspect)
        if any(dark_inside(grads[3], new[i], new[(i + 1) % 4]) > SHADOW_INSIDE
               for i in range(4) if i not in found[1]):
            sure = 0.0  # a side on the outer edge of the card's shadow: it holds the shadow
        if sure > 0 and ink_outside(gray, new) > 0.15:
            sure *= 0.4
        if sure >= DOUBTFUL_BELOW and runs_on(grads, new, ruling):
            sure *= 0.5
        if sure >= DOUBTFUL_BELOW and ruling is not None and len(ruling) and off_its_step(
                unruled, ruling, new):
            sure *= 0.5  # a side kept from the doubted outline stands on a ruling line
        if sure >= DOUBTFUL_BELOW and ruling is not None and len(ruling) and off_its_margin(
                unruled, margins(), new):
            sure *= 0.5
        if sure >= DOUBTFUL_BELOW and ruling is not None and len(ruling) and (
                ruled_inside(ruling, new) > RULED_INSIDE
                or ruling_showing(grads, ruling, new) > RULED_INSIDE):
            sure *= 0.4  # the page's ruling inside: the outline reaches out onto the page
        if sure >= DOUBTFUL_BELOW:
            return Outline(order_corners(new / factor, aspect), sure + 0.05 * max(score, 0.0),
                           sure, False)
    return None


def straighten(img: Image.Image, quad: Quad, size: tuple[int, int]) -> Image.Image:
    """Warp the quadrilateral ``quad`` of ``img`` onto a ``size`` rectangle.

    When the document is much larger in the photo than in the output, its region is first
    reduced with area averaging, which both avoids aliasing and keeps the warp cheap.
    """
    quad = np.asarray(quad, dtype=np.float32)
    out_w, out_h = size
    x0, y0 = np.floor(quad.min(axis=0)).astype(int)
    x1, y1 = np.ceil(quad.max(axis=0)).astype(int)
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(img.size[0], x1 + 1), min(img.size[1], y1 + 1)
    local = quad - np.array([x0, y0], dtype=np.float32)
    span = max(_edge(local[0], local[1]), _edge(local[3], local[2])) / out_w
    box = (int(x0), int(y0), int(x1), int(y1))
    if span > 1.5:
        # Averaged straight out of the full image: no full-size copy of the region is made.
        shrink = 1.2 / span
        small = (max(1, round((x1 - x0) * shrink)), max(1, round((y1 - y0) * shrink)))
        region = np.asarray(img.resize(small, Image.Resampling.BOX, box=box))
        local = local * np.array([small[0] / (x1 - x0), small[1] / (y1 - y0)], dtype=np.float32)
    else:
        region = np.asarray(img.crop(box))
    target = np.array([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]],
                      dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(local, target)
    warped = cv2.warpPerspective(region, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_REPLICATE)
    return Image.fromarray(warped)


def effective_dpi(quad: Quad, width_mm: float) -> float:
    """Pixels per inch the photo holds across the document's width."""
    width_px = (_edge(quad[0], quad[1]) + _edge(quad[3], quad[2])) / 2
    return width_px / (width_mm / 25.4)
