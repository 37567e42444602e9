"""A card's side found by the contact shade on the desk at its foot, where no step and
no rim line shows.

A card lying on a desk hides part of the room's light from the desk just outside its
edge: a soft band about a millimetre wide, darkest at the card's foot, fading into the
bare desk. On a side turned to the key light the band is faint (a few grey levels) and
the card's face may be as light as the shaded desk at its foot, so there is no step, and
the band is no thin line either: it is read in the decoded photo, across where the
card's proportions put the side, as a band darker than the desk beyond it and no lighter
than the card's face just inside. A shadow's or a shade's edge darkens steadily towards
one side (the face inside is darker still); a row of print is patchy along the side.
"""

from __future__ import annotations

import cv2
import numpy as np

SAMPLES = 32
END_SKIP = 0.12       # of the side, at each end: the rounded corners
ALONG = 5             # samples averaged along the side at each place
INSIDE_MM = (-1.0, -0.25)  # the card's face just inside the side
NEAR_MM = (0.05, 0.6)      # the shade at the card's foot
FAR_MM = (1.4, 2.6)        # the bare desk beyond it
BEYOND_MM = (3.0, 4.5)     # the desk further out: as light (a shade's edge keeps rising)
SHADE = 2.5           # grey levels the foot lies below the desk beyond, at the least
SHADE_MOST = 40.0     # ... at the most (darker is print or a shadow, not a contact shade)
KINK = 0.3            # the rise from the face to the foot, at most, over the foot's below the
                      # desk: the level turns at the foot (on a shade's or a shadow's edge it
                      # rises steadily, about 0.6 as much between these bands)
LEVELS_OFF = 0.5      # the rise beyond the band, at most, over the foot's below the desk: a
                      # contact shade has faded within 2 mm, a shade's edge has not
SUPPORT = 0.8         # share of the side showing the band, to count as standing on it
RUNS_ON = 0.4         # share of the stretch past a corner where the band still shows


def _profiles(gray: np.ndarray, a: np.ndarray, b: np.ndarray, ts: np.ndarray,
              offsets: np.ndarray) -> np.ndarray:
    """[sample, offset]: the photo across side a→b (outwards positive), averaged along."""
    length = max(float(np.hypot(*(b - a))), 1e-6)
    u = (b - a) / length
    n = np.array([u[1], -u[0]], np.float32)
    spacing = max(1.0, 0.6 * length * float(ts[1] - ts[0]) / ALONG) if len(ts) > 1 else 1.0
    along = (np.arange(ALONG, dtype=np.float32) - (ALONG - 1) / 2) * spacing
    base = a[None, :] + ts[:, None] * (b - a)[None, :]
    pts = (base[:, None, None, :] + along[None, :, None, None] * u[None, None, None, :]
           + offsets[None, None, :, None] * n[None, None, None, :]).astype(np.float32)
    shape = pts.shape[:3]
    vals = cv2.remap(gray, pts[..., 0].reshape(-1, len(offsets)),
                     pts[..., 1].reshape(-1, len(offsets)), cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REPLICATE).reshape(shape)
    prof: np.ndarray = vals.mean(axis=1)
    return prof


def _bands(prof: np.ndarray, lo: float, step: float, line_at: np.ndarray,
           px_mm: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The face inside, the foot, the desk beyond and further out, of every sample, for
    lines at ``line_at`` ([line, sample] offsets)."""
    m = prof.shape[1]
    cs = np.concatenate([np.zeros((prof.shape[0], 1), np.float32),
                         np.cumsum(prof, axis=1, dtype=np.float32)], axis=1)
    rows = np.arange(prof.shape[0])[None, :]

    def mean(mm: tuple[float, float]) -> np.ndarray:
        i0 = np.clip(((line_at + mm[0] * px_mm - lo) / step).round().astype(np.int32), 0, m - 1)
        i1 = np.clip(((line_at + mm[1] * px_mm - lo) / step).round().astype(np.int32) + 1,
                     1, m)
        i1 = np.maximum(i1, i0 + 1)
        out: np.ndarray = (cs[rows, i1] - cs[rows, i0]) / (i1 - i0)
        return out

    return mean(INSIDE_MM), mean(NEAR_MM), mean(FAR_MM), mean(BEYOND_MM)


def _showing(inside: np.ndarray, near: np.ndarray, far: np.ndarray,
             beyond: np.ndarray) -> np.ndarray:
    shade = far - near
    ok: np.ndarray = (shade > SHADE) & (shade < SHADE_MOST) & (near - inside < KINK * shade) \
        & (beyond - far < LEVELS_OFF * shade)
    return ok


def contact_line(gray: np.ndarray, a: np.ndarray, b: np.ndarray,
                 at_a: tuple[float, float], at_b: tuple[float, float], px_mm: float
                 ) -> tuple[np.ndarray, np.ndarray, float] | None:
    """The straight foot of a contact shade running the way of side a→b (clockwise
    corners: outwards is to the left of a→b), between offsets ``at_a`` level with a and
    ``at_b`` level with b (px, outwards positive); its ends level with a and b and the
    share of the side showing the band, or None. ``px_mm``: the photo's pixels a
    millimetre of the card."""
    a = np.asarray(a, np.float32)
    b = np.asarray(b, np.float32)
    length = float(np.hypot(*(b - a)))
    if length < 20 or px_mm < 2.0 or at_a[1] <= at_a[0] or at_b[1] <= at_b[0]:
        return None
    step = max(0.5, px_mm / 8)
    lo = min(at_a[0], at_b[0]) + INSIDE_MM[0] * px_mm - step
    hi = max(at_a[1], at_b[1]) + BEYOND_MM[1] * px_mm + step
    if (hi - lo) / step > 1200:
        return None
    offsets = np.arange(lo, hi + step, step, dtype=np.float32)
    ts = np.linspace(END_SKIP, 1 - END_SKIP, SAMPLES, dtype=np.float32)
    prof = _profiles(gray, a, b, ts, offsets)
    # every straight line across the band, a step apart level with each end
    pitch = max(step, 0.25 * px_mm)
    ga = np.arange(at_a[0], at_a[1] + 1e-3, pitch, dtype=np.float32)
    gb = np.arange(at_b[0], at_b[1] + 1e-3, pitch, dtype=np.float32)
    if len(ga) == 0 or len(gb) == 0 or len(ga) * len(gb) > 40000:
        return None
    grid_a, grid_b = np.meshgrid(ga, gb, indexing="ij")
    ea, eb = grid_a.ravel(), grid_b.ravel()
    line_at = ea[:, None] + (eb - ea)[:, None] * ts[None, :]
    inside, near, far, beyond = _bands(prof, float(lo), step, line_at, px_mm)
    ok = _showing(inside, near, far, beyond)
    share = ok.mean(axis=1)
    good = np.flatnonzero(share >= SUPPORT)
    if len(good) == 0:
        return None
    # the deepest band of the lines holding nearly as much of the side as the best one:
    # the foot, where the shade is darkest against the desk beyond
    depth = np.where(ok, far - near, 0).mean(axis=1)
    top = float(share[good].max())
    close = good[share[good] >= top - 0.1]
    chosen = int(close[np.argmax(depth[close])])
    u = (b - a) / length
    n = np.array([u[1], -u[0]], np.float32)
    start = a + float(ea[chosen]) * n
    end = b + float(eb[chosen]) * n
    return start.astype(np.float32), end.astype(np.float32), float(share[chosen])


def band_runs_past(gray: np.ndarray, a: np.ndarray, b: np.ndarray, px_mm: float) -> bool:
    """Whether the band at the foot of a→b carries on past either end (the edge of a
    shade, a seam in the desk): a card's contact shade turns with its rounded corners."""
    a = np.asarray(a, np.float32)
    b = np.asarray(b, np.float32)
    h, w = gray.shape
    step = max(0.5, px_mm / 8)
    lo, hi = INSIDE_MM[0] * px_mm - step, BEYOND_MM[1] * px_mm + step
    offsets = np.arange(lo, hi + step, step, dtype=np.float32)
    for ts in (np.linspace(1.08, 1.3, 16, dtype=np.float32),
               np.linspace(-0.3, -0.08, 16, dtype=np.float32)):
        base = a[None, :] + ts[:, None] * (b - a)[None, :]
        inside = ((base[:, 0] > hi) & (base[:, 1] > hi) & (base[:, 0] < w - hi)
                  & (base[:, 1] < h - hi))
        if inside.sum() < 6:
            continue
        prof = _profiles(gray, a, b, ts, offsets)
        # the line itself and a little either way: a side a degree off still counts
        shows = np.zeros(len(ts), bool)
        for k in (-1.0, -0.5, 0.0, 0.5, 1.0):
            line_at = np.full((1, len(ts)), k * px_mm * 0.25, np.float32)
            shows |= _showing(*_bands(prof, float(lo), step, line_at, px_mm))[0]
        if shows[inside].mean() > RUNS_ON:
            return True
    return False
