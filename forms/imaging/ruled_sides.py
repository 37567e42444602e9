"""A card's side on ruled paper placed where the page's lines stop.

A light card on a notebook page may show a side with no step at all: the card's face and
the page are the same tone, the shadow falls on the other sides, and only the faint line
of its cut rim marks the edge. Where that side crosses the ruling, the page's lines still
say where it is: each runs up to the card and stops there. Each line crossing the side is
followed in the pixels, the point where it stops is found, and a straight line through
those points is the side; the share of lines that stop on it is the side's support.
"""

from __future__ import annotations

import cv2
import numpy as np

from forms.imaging.edges import END_SKIP, Grads, _distinct_lines, line_depth

ACROSS_DEG = 8.0      # a side this far off the ruling's direction crosses its lines
RIDGE = 6.0           # grey levels a page line lies below both its flanks
MIN_ENDS = 4          # lines that must stop on the side for it to count
ON_END_PX = 1.5       # a line's end this close to the fitted side stops on it
CLEAN = 0.85          # share of a line's samples agreeing with "page outside, card inside"


def _ends(smooth: np.ndarray, ruling: np.ndarray, a: np.ndarray, b: np.ndarray,
          band: float) -> tuple[np.ndarray, int]:
    """Where each page line crossing side a→b (clockwise outline) stops at the card, as
    points, and how many lines cross it; lines that do not show a clean stop (glare,
    print over them, the page beyond the frame) give no point."""
    length = max(float(np.hypot(*(b - a))), 1e-6)
    u = (b - a) / length
    n = np.array([u[1], -u[0]], np.float32)   # outwards, as in edges._side
    h, w = smooth.shape
    d = ruling[:, 2:] - ruling[:, :2]
    sines = np.abs(d @ n) / np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-6)
    if float(np.median(sines)) < np.sin(np.radians(ACROSS_DEG)):
        return np.zeros((0, 2), np.float32), 0  # the side runs the ruling's way
    points = []
    crossing = 0
    for i in _distinct_lines(ruling):
        p, q = ruling[i, :2], ruling[i, 2:]
        v = (q - p) / max(float(np.hypot(*(q - p))), 1e-6)
        sine = float(v @ n)
        if abs(sine) < np.sin(np.radians(ACROSS_DEG)):
            return np.zeros((0, 2), np.float32), 0  # the side runs the ruling's way
        if sine < 0:
            v = -v                                # walking v goes out onto the page
        # where the page line crosses the side's line
        cross = u[0] * v[1] - u[1] * v[0]
        s = ((p[0] - a[0]) * v[1] - (p[1] - a[1]) * v[0]) / cross
        if not END_SKIP <= s / length <= 1 - END_SKIP:
            continue
        c = a + s * u
        crossing += 1
        reach = band / abs(sine)
        ks = np.arange(-reach, reach + 0.5, 1.0, dtype=np.float32)
        pts = c[None, :] + ks[:, None] * v[None, :]
        if (pts.min() < 6) or (pts[:, 0].max() > w - 7) or (pts[:, 1].max() > h - 7):
            continue
        across = np.array([-v[1], v[0]], np.float32)
        line = line_depth(smooth, pts, across) > RIDGE
        # the best split: no line on the card (before it), the page's line after it
        agree = np.cumsum(~line) - (~line).astype(int) + (line[::-1].cumsum()[::-1])
        j = int(np.argmax(agree))
        if agree[j] < CLEAN * len(line) or j < 3 or j > len(line) - 4:
            continue
        points.append(c + float(ks[j] - 0.5) * v)
    return np.array(points, np.float32).reshape(-1, 2), crossing


def side_on_ruling_ends(grads: Grads, ruling: np.ndarray, a: np.ndarray, b: np.ndarray,
                        band: float) -> tuple[tuple[np.ndarray, np.ndarray] | None, float]:
    """The side a→b as the line through the points where the page's lines stop (point,
    direction), and the share of the crossing lines that stop on it; (None, 0) when the
    side does not cross the ruling or too few lines stop cleanly."""
    if len(ruling) < 3:
        return None, 0.0
    ends, crossing = _ends(grads[3], ruling, a, b, band)
    if len(ends) < MIN_ENDS:
        return None, 0.0
    keep = np.ones(len(ends), bool)
    for _ in range(3):  # fit, drop the far ends (a line lost in print or glare), refit
        fit = cv2.fitLine(ends[keep], cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        d, p0 = np.array(fit[:2], np.float32), np.array(fit[2:], np.float32)
        dist = np.abs((ends - p0) @ np.array([-d[1], d[0]], np.float32))
        near = dist < ON_END_PX
        if near.sum() < MIN_ENDS:
            return None, 0.0
        keep = near
    return (p0, d), float(keep.sum() / max(crossing, 1))


def onto_ruling_ends(grads: Grads, ruling: np.ndarray, quad: np.ndarray,
                     supports: list[float], weak: float) -> tuple[np.ndarray, list[float]]:
    """``quad`` (clockwise) with each side standing on less than ``weak`` put where the
    page's lines stop, when more of them stop on a straight line there than the side
    had support; the corners are where it meets its neighbours."""
    q = np.asarray(quad, np.float32)
    long_side = max(float(np.hypot(*(q[(i + 1) % 4] - q[i]))) for i in range(4))
    band = max(4.0, 0.045 * long_side)
    lines = [(q[i], q[(i + 1) % 4] - q[i]) for i in range(4)]
    out = list(supports)
    moved = False
    for i in range(4):
        if supports[i] >= weak:
            continue
        line, share = side_on_ruling_ends(grads, ruling, q[i], q[(i + 1) % 4], band)
        if line is not None and share > supports[i]:
            lines[i], out[i], moved = line, share, True
    if not moved:
        return q, list(supports)
    corners = []
    for i in range(4):
        (p, u), (r, v) = lines[(i - 1) % 4], lines[i]
        cross = float(u[0] * v[1] - u[1] * v[0])
        if abs(cross) < 1e-3 * float(np.hypot(*u) * np.hypot(*v)):
            return q, list(supports)
        t = float((r[0] - p[0]) * v[1] - (r[1] - p[1]) * v[0]) / cross
        corners.append(p + t * u)
    new = np.array(corners, np.float32)
    if np.abs(new - q).max() > 0.1 * long_side:
        return q, list(supports)   # the stops lie elsewhere than this outline's side
    return new, out
