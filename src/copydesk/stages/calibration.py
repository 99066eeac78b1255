"""Calibration maps stored as plain numbers (JSON) and applied with numpy only.

Two kinds, both fitted at training time (``training/train_combiner.py``, with scikit-learn):

* Platt scaling: ``p = 1 / (1 + exp(-(a * x + b)))``;
* isotonic regression: a non-decreasing step function, stored as its knots and applied by
  linear interpolation between them (``numpy.interp``), flat beyond the ends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np


def sigmoid(x: np.ndarray | float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


def apply(calibration: Mapping[str, Any] | None, x: np.ndarray | float) -> np.ndarray:
    """Map raw values through a stored calibration; ``None`` leaves them as they are."""
    values = np.asarray(x, dtype=np.float64)
    if not calibration:
        return values
    method = calibration.get("method")
    if method == "platt":
        return sigmoid(calibration["a"] * values + calibration["b"])
    if method == "isotonic":
        return np.interp(values, calibration["x"], calibration["y"])
    raise ValueError(f"unknown calibration method {method!r}")


def fit_platt(x: Sequence[float], y: Sequence[int]) -> dict[str, Any]:
    """Fit Platt scaling of raw values ``x`` to binary outcomes ``y`` (training time only)."""
    from sklearn.linear_model import LogisticRegression

    values = np.asarray(x, dtype=np.float64).reshape(-1, 1)
    model = LogisticRegression(C=1e4).fit(values, np.asarray(y))
    return {"method": "platt", "a": float(model.coef_[0, 0]), "b": float(model.intercept_[0])}


def fit_isotonic(x: Sequence[float], y: Sequence[int], max_knots: int = 64) -> dict[str, Any]:
    """Fit an isotonic map of ``x`` to ``y`` and keep at most ``max_knots`` knots (training time only)."""
    from sklearn.isotonic import IsotonicRegression

    values = np.asarray(x, dtype=np.float64)
    model = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(values, np.asarray(y))
    knots_x = np.asarray(model.X_thresholds_, dtype=np.float64)
    knots_y = np.asarray(model.y_thresholds_, dtype=np.float64)
    if len(knots_x) > max_knots:
        keep = np.unique(np.linspace(0, len(knots_x) - 1, max_knots).round().astype(int))
        knots_x, knots_y = knots_x[keep], knots_y[keep]
    return {"method": "isotonic", "x": knots_x.round(6).tolist(), "y": knots_y.round(6).tolist()}
