"""A card's side found by the thin line of its cut rim, where no step shows.

A light card on a desk of its own tone, lit from the side it casts no shadow to, shows
that side only as the faint dark line of its cut edge: the two levels either side are
the same, so the step search in ``edges`` finds nothing there. The line is a few grey
levels deep and a pixel or two wide, lost in the work copy, so it is looked for in the
decoded photo itself, across a band where the card's proportions put the side. What it
must be to count: straight along the whole side, the outermost such line in the band,
and ending at the card's corners (a ruling line, a seam or a shadow's edge runs on).
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from forms.imaging.contact import band_runs_past, contact_line
from forms.imaging.turns import CARD_MM

SAMPLES = 64
END_SKIP = 0.1        # of the side, at each end: the rounded corners
ALONG = 5             # samples averaged along the side at each place (noise, JPEG blocks)
REACH = 2.5           # px of the photo either side of the line where its flanks are read
DEEP = 1.5            # grey levels the line must lie below both flanks, at the least: a
                      # cut edge with no drawn line round it (a rim darkened by a tenth,
                      # blurred and compressed) lies 1-2 levels below, the noise floor of
                      # the band (``rim_line``) keeps a grainy desk's speckle out
RIM_SUPPORT = 0.7     # share of the side on the line, to count as standing on it
RUNS_ON = 0.4         # share of the stretch past a corner where the line still shows
RUNS_DEEP = 2.0       # grey levels below both flanks that count there (the deepest of a few
                      # offsets is read: at ``DEEP`` the desk's own noise would pass)


def photo_gray(img: np.ndarray) -> np.ndarray:
    """The decoded photo in grey, lightly smoothed: the rim is read here, not in the
    work copy."""
    gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY) if img.ndim == 3 else img
    return cv2.GaussianBlur(gray.astype(np.float32), (0, 0), 0.7)


def _depths(gray: np.ndarray, a: np.ndarray, b: np.ndarray, ts: np.ndarray,
            offsets: np.ndarray) -> np.ndarray:
    """[sample, offset]: how far a thin line lies below both of its flanks."""
    length = max(float(np.hypot(*(b - a))), 1e-6)
    u = (b - a) / length
    n = np.array([u[1], -u[0]], np.float32)
    along = (np.arange(ALONG, dtype=np.float32) - (ALONG - 1) / 2)
    base = a[None, :] + ts[:, None] * (b - a)[None, :]
    ks = np.concatenate([offsets - REACH, offsets, offsets + REACH])
    pts = (base[:, None, None, :] + along[None, :, None, None] * u[None, None, None, :]
           + ks[None, None, :, None] * n[None, None, None, :]).astype(np.float32)
    shape = pts.shape[:3]
    vals = cv2.remap(gray, pts[..., 0].reshape(-1, len(ks)), pts[..., 1].reshape(-1, len(ks)),
                     cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE).reshape(shape)
    prof = vals.mean(axis=1)            # averaged along the side
    m = len(offsets)
    inner, core, outer = prof[:, :m], prof[:, m:2 * m], prof[:, 2 * m:]
    depth: np.ndarray = np.minimum(inner, outer) - core
    return depth


def rim_line(gray: np.ndarray, a: np.ndarray, b: np.ndarray,
             at_a: tuple[float, float], at_b: tuple[float, float]
             ) -> tuple[np.ndarray, np.ndarray, float] | None:
    """The outermost straight thin dark line running the way of side a→b (clockwise
    corners: outwards is to the left of a→b), lying between offsets ``at_a`` (px from the
    side, outwards positive) level with a and ``at_b`` level with b; its two ends level
    with a and b and the share of the side standing on it, or None when no line holds
    most of the side."""
    a = np.asarray(a, np.float32)
    b = np.asarray(b, np.float32)
    length = float(np.hypot(*(b - a)))
    lo, hi = min(at_a[0], at_b[0]), max(at_a[1], at_b[1])
    if length < 20 or at_a[1] <= at_a[0] or at_b[1] <= at_b[0]:
        return None
    ts = np.linspace(END_SKIP, 1 - END_SKIP, SAMPLES, dtype=np.float32)
    step = 0.5
    offsets = np.arange(lo, hi + step, step, dtype=np.float32)
    depth = _depths(gray, a, b, ts, offsets)
    # the noise of the depth itself, from the band's own spread
    noise = float(np.median(np.abs(depth - np.median(depth))))
    strong = depth > max(DEEP, 2.0 * noise)
    # every straight line across the band, by its offsets level with a and with b
    m = len(offsets)
    rows = np.arange(SAMPLES)
    # ends a pixel or two apart: the line's valley is wider than a pixel
    ga = np.flatnonzero((offsets >= at_a[0]) & (offsets <= at_a[1]))
    gb = np.flatnonzero((offsets >= at_b[0]) & (offsets <= at_b[1]))
    ga, gb = ga[::2 + len(ga) // 160], gb[::2 + len(gb) // 160]
    if len(ga) == 0 or len(gb) == 0:
        return None
    grid_a, grid_b = np.meshgrid(offsets[ga], offsets[gb], indexing="ij")
    ea, eb = grid_a.ravel(), grid_b.ravel()
    # (every other sample for the search: a line holding most of the side holds most of them)
    coarse = ts[::2]
    line_at = ea[:, None] + (eb - ea)[:, None] * coarse[None, :]
    idx = np.clip(((line_at - lo) / step + 0.5).astype(np.int32), 0, m - 1)
    share = strong[rows[None, ::2], idx].mean(axis=1)
    good = np.flatnonzero(share >= RIM_SUPPORT)
    if len(good) == 0:
        return None
    top = float(share[good].max())
    close = good[share[good] >= top - 0.1]
    # the outermost of the lines holding nearly as much of the side as the best one
    chosen = close[np.argmax(np.maximum(ea[close], eb[close]) + 1e-3 * share[close])]
    # sub-pixel: each sample's deepest point within a pixel and a half of the line
    line_off = ea[chosen] + (eb[chosen] - ea[chosen]) * ts
    near = np.abs(offsets[None, :] - line_off[:, None]) <= 1.5
    masked = np.where(near, depth, -np.inf)
    pick = masked.argmax(axis=1)
    keep = strong[rows, pick]
    if keep.mean() < RIM_SUPPORT:
        return None
    u = (b - a) / length
    n = np.array([u[1], -u[0]], np.float32)
    i0 = np.clip(pick, 1, m - 2)
    left, mid, right = depth[rows, i0 - 1], depth[rows, i0], depth[rows, i0 + 1]
    denom = left - 2 * mid + right
    vertex = np.where(np.abs(denom) > 1e-6,
                      0.5 * (left - right) / np.where(denom == 0, 1, denom), 0)
    off = offsets[i0] + step * np.clip(vertex, -1, 1)
    pts = a[None, :] + ts[:, None] * (b - a)[None, :] + off[:, None] * n[None, :]
    line = cv2.fitLine(pts[keep].astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
    d, p0 = line[:2].astype(np.float32), line[2:].astype(np.float32)
    dist = np.abs((pts - p0) @ np.array([-d[1], d[0]], np.float32))
    share = float((keep & (dist < 1.5)).mean())
    if share < RIM_SUPPORT:
        return None
    # the line's points level with a and with b
    if float(d @ u) < 0:
        d = -d
    at_start = p0 + float((a - p0) @ d) * d
    at_end = p0 + float((b - p0) @ d) * d
    return at_start.astype(np.float32), at_end.astype(np.float32), share


def runs_past(gray: np.ndarray, a: np.ndarray, b: np.ndarray) -> bool:
    """Whether the thin line a→b carries on past either end (a ruling line, a seam, the
    edge of a shadow): a card's rim turns away at its rounded corners."""
    a = np.asarray(a, np.float32)
    b = np.asarray(b, np.float32)
    h, w = gray.shape
    offsets = np.arange(-1.5, 1.6, 0.5, dtype=np.float32)
    for ts in (np.linspace(1.08, 1.3, 24, dtype=np.float32),
               np.linspace(-0.3, -0.08, 24, dtype=np.float32)):
        base = a[None, :] + ts[:, None] * (b - a)[None, :]
        inside = ((base[:, 0] > 4) & (base[:, 1] > 4) & (base[:, 0] < w - 5)
                  & (base[:, 1] < h - 5))
        if inside.sum() < 8:
            continue
        depth = _depths(gray, a, b, ts, offsets).max(axis=1)
        noise = 1.0
        if (depth[inside] > max(RUNS_DEEP, noise)).mean() > RUNS_ON:
            return True
    return False


def _meet(p: np.ndarray, u: np.ndarray, q: np.ndarray, v: np.ndarray) -> np.ndarray | None:
    cross = float(u[0] * v[1] - u[1] * v[0])
    if abs(cross) < 1e-6:
        return None
    t = ((q[0] - p[0]) * v[1] - (q[1] - p[1]) * v[0]) / cross
    point: np.ndarray = p + t * u
    return point


def onto_rims(gray: np.ndarray, quad: np.ndarray,
              bands: dict[int, tuple[tuple[float, float], tuple[float, float]]]
              ) -> tuple[np.ndarray, dict[int, float]] | None:
    """``quad`` (clockwise, in ``gray``'s pixels) with each side i of ``bands`` moved onto
    the rim line found between its offsets (px, outwards positive), and the share of each
    such side standing on its line; None when a side finds no rim, or its line runs on
    past the corners."""
    q = np.asarray(quad, np.float32)
    # the photo's scale, from the card's long side
    px_mm = max(float(np.hypot(*(q[(i + 1) % 4] - q[i]))) for i in range(4)) / CARD_MM[0]
    lines: list[tuple[np.ndarray, np.ndarray]] = []
    shares: dict[int, float] = {}
    for i in range(4):
        a, b = q[i], q[(i + 1) % 4]
        if i not in bands:
            lines.append((a, b - a))
            continue
        found = rim_line(gray, a, b, *bands[i])
        if found is not None:
            ea, eb, shares[i] = found
            if runs_past(gray, ea, eb):
                return None
        else:
            # no rim line: the contact shade at the card's foot may still show
            found = contact_line(gray, a, b, *bands[i], px_mm=px_mm)
            if found is None:
                return None
            ea, eb, shares[i] = found
            if band_runs_past(gray, ea, eb, px_mm):
                return None
        lines.append((ea, eb - ea))
    corners = []
    for i in range(4):
        c = _meet(*lines[(i - 1) % 4], *lines[i])
        if c is None:
            return None
        corners.append(c)
    return np.array(corners, np.float32), shares


def _across(smooth: np.ndarray, a: np.ndarray, b: np.ndarray) -> Callable[[float], float]:
    """The median level of ``smooth`` along the middle of side a→b, ``k`` px inside it
    (outside where negative)."""
    a = np.asarray(a, np.float32)
    b = np.asarray(b, np.float32)
    length = max(float(np.hypot(*(b - a))), 1e-6)
    u = (b - a) / length
    n = np.array([u[1], -u[0]], np.float32)     # outwards
    ts = np.linspace(0.15, 0.85, 32, dtype=np.float32)
    base = a[None, :] + ts[:, None] * (b - a)[None, :]

    def level(k: float) -> float:
        p = (base - k * n[None, :]).astype(np.float32)
        return float(np.median(cv2.remap(smooth, p[:, 0:1], p[:, 1:2], cv2.INTER_LINEAR,
                                         borderMode=cv2.BORDER_REPLICATE)))
    return level


def _edge_length(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.hypot(*(np.asarray(b, np.float32) - np.asarray(a, np.float32))))


def _near_and_face(level: Callable[[float], float], long_side: float) -> tuple[float, float]:
    """The darkest level in a band just inside a side (out to 3 mm on a card) and the
    card's face further in (4.7 mm)."""
    near = min(level(k) for k in np.linspace(1.5, max(2.0, 0.035 * long_side), 8))
    return near, level(max(3.0, 0.055 * long_side))


def dark_inside(smooth: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """How much darker than the card's face a band just inside side a→b is (grey levels):
    a side drawn onto the outer edge of the card's cast shadow holds that shadow, a side
    on the card's own edge holds its plain margin."""
    level = _across(smooth, a, b)
    near, face = _near_and_face(level, _edge_length(a, b))
    return face - near


def shadow_band(smooth: np.ndarray, a: np.ndarray, b: np.ndarray, long_side: float) -> float:
    """How much darker a band just inside side a→b is than both the card's face further
    in and the surface just outside (grey levels; ``long_side``: the outline's). A side on
    the outer edge of the card's cast shadow holds the shadow as such a band. A true side
    under a shade falling across the card has the shade outside it too, and a true side
    with the shadow beyond it has the light face just inside."""
    level = _across(smooth, a, b)
    near, face = _near_and_face(level, long_side)
    outside = max(level(-k) for k in np.linspace(1.5, max(2.0, 0.02 * long_side), 4))
    return min(face - near, outside - near)
