"""Deterministic random streams: one independent generator per purpose, so changing how one
part of the county is drawn never shifts the random numbers of another part."""

import zlib

import numpy as np


def stream(seed: int, *labels: object) -> np.random.Generator:
    """A generator fixed by the seed and the labels, e.g. stream(7, "roads", "ew")."""
    keys = [seed & 0xFFFFFFFF, *(zlib.crc32(str(label).encode()) for label in labels)]
    return np.random.default_rng(keys)
