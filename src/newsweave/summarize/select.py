"""Choosing sentences under a word budget: maximum weighted concept coverage.

The objective is ICSI's (Gillick and Favre, 2009): the summed weight of the concepts the chosen
sentences cover, each concept counted once, plus a per-sentence bonus (position, corroboration,
query relevance). Counting each concept once is what removes redundancy: a second sentence that
repeats the first adds nothing. Solved exactly as an integer program with SciPy's HiGHS when it
finishes within the time limit, else greedily (gain per word, then the best single sentence if it
beats the greedy set, as in Lin and Bilmes' budgeted submodular maximisation).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

ILP_SECONDS = 2.0


def coverage_value(chosen: Sequence[int], concepts: Sequence[frozenset[int]], weights: np.ndarray,
                   bonus: np.ndarray) -> float:
    covered = set().union(*(concepts[j] for j in chosen)) if chosen else set()
    return float(sum(weights[i] for i in covered) + sum(bonus[j] for j in chosen))


def greedy(concepts: Sequence[frozenset[int]], weights: np.ndarray, bonus: np.ndarray,
           lengths: Sequence[int], budget: int, exponent: float = 1.0,
           excluded: Sequence[frozenset[int]] = ()) -> list[int]:
    """Greedy budgeted coverage: repeatedly add the sentence with most new weight per word.

    ``excluded[j]``: sentences that may not be chosen together with ``j`` (near duplicates).
    """
    n = len(concepts)
    chosen: list[int] = []
    covered: set[int] = set()
    used = 0
    blocked: set[int] = set()
    while True:
        best, best_score = -1, 0.0
        for j in range(n):
            if j in blocked or j in chosen or used + lengths[j] > budget:
                continue
            gain = sum(weights[i] for i in concepts[j] - covered) + bonus[j]
            score = gain / (max(lengths[j], 1) ** exponent)
            if gain > 0 and score > best_score:
                best, best_score = j, score
        if best < 0:
            break
        chosen.append(best)
        covered |= concepts[best]
        used += lengths[best]
        if excluded:
            blocked |= excluded[best]
    singles = [j for j in range(n) if lengths[j] <= budget]
    if singles:
        top = max(singles, key=lambda j: coverage_value([j], concepts, weights, bonus))
        if coverage_value([top], concepts, weights, bonus) > coverage_value(chosen, concepts, weights, bonus):
            return [top]
    return chosen


def ilp(concepts: Sequence[frozenset[int]], weights: np.ndarray, bonus: np.ndarray,
        lengths: Sequence[int], budget: int, excluded: Sequence[frozenset[int]] = (),
        time_limit: float = ILP_SECONDS) -> list[int] | None:
    """The exact optimum (None when SciPy is missing or HiGHS does not finish in time)."""
    try:
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import coo_matrix
    except ImportError:
        return None
    n, m = len(concepts), len(weights)
    if n == 0:
        return []
    # variables: n sentences, then m concepts; maximise -> minimise the negative
    c = -np.concatenate([bonus, weights]).astype(float)
    rows, cols, vals = [], [], []
    r = 0
    # length
    for j in range(n):
        rows.append(r)
        cols.append(j)
        vals.append(float(lengths[j]))
    lo, hi = [-np.inf], [float(budget)]
    r += 1
    # a concept counts only if some chosen sentence holds it: c_i - sum_j x_j <= 0
    holders: list[list[int]] = [[] for _ in range(m)]
    for j, cs in enumerate(concepts):
        for i in cs:
            holders[i].append(j)
    for i in range(m):
        rows.append(r)
        cols.append(n + i)
        vals.append(1.0)
        for j in holders[i]:
            rows.append(r)
            cols.append(j)
            vals.append(-1.0)
        lo.append(-np.inf)
        hi.append(0.0)
        r += 1
    # near duplicates are never chosen together
    for j, others in enumerate(excluded):
        for k in others:
            if k > j:
                rows += [r, r]
                cols += [j, k]
                vals += [1.0, 1.0]
                lo.append(-np.inf)
                hi.append(1.0)
                r += 1
    A = coo_matrix((vals, (rows, cols)), shape=(r, n + m)).tocsr()
    res = milp(c, constraints=LinearConstraint(A, lo, hi), integrality=np.ones(n + m),
               bounds=Bounds(0, 1), options={"time_limit": time_limit, "disp": False})
    if res.x is None or res.status not in (0, 1):
        return None
    return [j for j in range(n) if res.x[j] > 0.5]
