#!/usr/bin/env python3
"""Regenerate testset.csv, the CI agent's test set (run once; the output is committed).

200 rows of three features in [-1, 1] (3 decimal places) and a 0/1 label drawn from a noisy
logistic-regression "truth" (bias 0.5, weights 2, -1.5, 1), with a fixed seed, so the file is
the same on every machine. Python 3 standard library only.
"""
import os
import random

rng = random.Random(11)
rows = []
for _ in range(200):
    x = [round(rng.uniform(-1.0, 1.0), 3) for _ in range(3)]
    z = 0.5 + 2.0 * x[0] - 1.5 * x[1] + 1.0 * x[2] + rng.gauss(0.0, 0.6)
    rows.append(x + [1 if z >= 0 else 0])

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testset.csv")
with open(path, "w", newline="\n") as out:
    out.write("x1,x2,x3,label\n")
    for *x, label in rows:
        out.write(",".join(f"{v:.3f}" for v in x) + f",{label}\n")
