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

# HiGHS's limits; at either, the best solution found so far is used. A summary must not depend on
# the machine's load, so the work is bounded in branch-and-bound nodes, and the wall clock is only
# a safety net. On the 50 DUC 2004 clusters every ILP solved within 17 nodes and 1.8 CPU s; a
# process starved to a few percent of a core reached the former 10 s wall-clock limit and chose
# other sentences (bench/RESULTS.md, #23 session 30).
ILP_NODES = 1000
ILP_SECONDS = 60.0


def coverage_value(chosen: Sequence[int], concepts: Sequence[frozenset[int]], weights: np.ndarray,
                   bonus: np.ndarray) -> float:
    covered = set().union(*(concepts[j] for j in chosen)) if chosen else set()
    return float(sum(weights[i] for i in covered) + sum(bonus[j] for j in chosen))


def greedy(concepts: Sequence[frozenset[int]], weights: np.ndarray, bonus: np.ndarray,
           lengths: Sequence[int], budget: int, exponent: float = 1.0,
           excluded: Sequence[frozenset[int]] = (), extras: Sequence[frozenset[int]] = (),
           extra_lengths: Sequence[int] = (), extra_values: Sequence[float] = (),
           max_extras: int | None = None) -> list[int]:
    """Greedy budgeted coverage: repeatedly add the sentence with most new weight per word.

    ``excluded[j]``: sentences that may not be chosen together with ``j`` (near duplicates).
    ``extras[j]``: shared additions sentence ``j`` brings (disputes to state), whose
    ``extra_lengths`` are paid and ``extra_values`` gained once, by the first sentence that
    brings them; at most ``max_extras`` of them, so a sentence bringing more is left out.
    """
    n = len(concepts)
    chosen: list[int] = []
    covered: set[int] = set()
    paid: set[int] = set()
    used = 0
    blocked: set[int] = set()

    def cost(j: int) -> int:
        more = extras[j] - paid if extras else ()
        return lengths[j] + sum(extra_lengths[k] for k in more)

    while True:
        best, best_score = -1, 0.0
        for j in range(n):
            if j in blocked or j in chosen or used + cost(j) > budget:
                continue
            if extras and max_extras is not None and len(paid | extras[j]) > max_extras:
                continue
            gain = sum(weights[i] for i in concepts[j] - covered) + bonus[j]
            if extras:
                gain += sum(extra_values[k] for k in extras[j] - paid)
            score = gain / (max(cost(j), 1) ** exponent)
            if gain > 0 and score > best_score:
                best, best_score = j, score
        if best < 0:
            break
        used += cost(best)
        chosen.append(best)
        covered |= concepts[best]
        if extras:
            paid |= extras[best]
        if excluded:
            blocked |= excluded[best]
    paid = set()
    singles = [j for j in range(n) if cost(j) <= budget and not (
        extras and max_extras is not None and len(extras[j]) > max_extras)]
    if singles:
        top = max(singles, key=lambda j: coverage_value([j], concepts, weights, bonus))
        if coverage_value([top], concepts, weights, bonus) > \
                coverage_value(chosen, concepts, weights, bonus):
            return [top]
    return chosen


def ilp(concepts: Sequence[frozenset[int]], weights: np.ndarray, bonus: np.ndarray,
        lengths: Sequence[int], budget: int, excluded: Sequence[frozenset[int]] = (),
        extras: Sequence[frozenset[int]] = (), extra_lengths: Sequence[int] = (),
        extra_values: Sequence[float] = (), max_extras: int | None = None,
        time_limit: float = ILP_SECONDS, node_limit: int = ILP_NODES) -> list[int] | None:
    """The exact optimum (None when SciPy is missing or HiGHS finds no solution within its
    limits; at a limit, the best solution found so far).

    Arguments as for ``greedy``; an extra's length counts once if any chosen sentence brings it.
    """
    try:
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import coo_matrix
    except ImportError:
        return None
    n, m, g = len(concepts), len(weights), len(extra_lengths)
    if n == 0:
        return []
    # variables: n sentences, m concepts, g extras; maximise -> minimise the negative
    c = -np.concatenate([bonus, weights, np.asarray(extra_values, dtype=float).reshape(g)]
                        ).astype(float)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    hi: list[float] = []

    def at_most(upper: float, terms) -> None:
        """One constraint row: sum of coef * variable over ``terms`` <= ``upper``."""
        for col, coef in terms:
            rows.append(len(hi))
            cols.append(col)
            vals.append(float(coef))
        hi.append(float(upper))

    at_most(budget, [(j, lengths[j]) for j in range(n)]
            + [(n + m + k, extra_lengths[k]) for k in range(g)])  # length
    # a chosen sentence brings its extras (x_j - e_k <= 0), and only they do (e_k <= sum x_j)
    bringers: list[list[int]] = [[] for _ in range(g)]
    for j, ks in enumerate(extras):
        for k in ks:
            bringers[k].append(j)
            at_most(0, [(j, 1), (n + m + k, -1)])
    if g and max_extras is not None:
        at_most(max_extras, [(n + m + k, 1) for k in range(g)])
    for k in range(g):
        at_most(0, [(n + m + k, 1)] + [(j, -1) for j in bringers[k]])
    # a concept counts only if some chosen sentence holds it: c_i - sum_j x_j <= 0
    holders: list[list[int]] = [[] for _ in range(m)]
    for j, cs in enumerate(concepts):
        for i in cs:
            holders[i].append(j)
    for i in range(m):
        at_most(0, [(n + i, 1)] + [(j, -1) for j in holders[i]])
    # near duplicates are never chosen together
    for j, others in enumerate(excluded):
        for k in others:
            if k > j:
                at_most(1, [(j, 1), (k, 1)])
    r, lo = len(hi), np.full(len(hi), -np.inf)
    A = coo_matrix((vals, (rows, cols)), shape=(r, n + m + g)).tocsr()
    res = milp(c, constraints=LinearConstraint(A, lo, hi), integrality=np.ones(n + m + g),
               bounds=Bounds(0, 1),
               options={"time_limit": time_limit, "node_limit": node_limit, "disp": False})
    if res.x is None or res.status not in (0, 1):
        return None
    return [j for j in range(n) if res.x[j] > 0.5]
