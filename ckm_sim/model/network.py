"""The tie structure: who talks to whom, inside the firm, across the front line and among customers.

Ties are drawn once, from the model's random generator, as numpy edge arrays; the vectorised
mechanisms use them as sparse adjacency matrices, and :func:`to_networkx` assembles the single
networkx graph that holds every tie (employees are nodes ``0..E-1``, customers ``E..E+N-1``).
No layout is computed here: drawing is the dashboard's job.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from ckm_sim.model import kernels
from ckm_sim.model.streams import uniform_below


@dataclass(frozen=True, slots=True)
class Ties:
    """Every tie of one model, as integer arrays."""

    employee_department: np.ndarray  # (E,) department index of each employee
    employee_edges: np.ndarray  # (k, 2) undirected employee-employee ties
    employee_edge_cross: np.ndarray  # (k,) True where the tie crosses departments
    serving_employee: np.ndarray  # (N,) the frontline employee who serves each customer
    community_edges: np.ndarray  # (c, 2) undirected customer-customer ties

    @property
    def n_employees(self) -> int:
        """Number of employees."""
        return len(self.employee_department)

    @property
    def n_customers(self) -> int:
        """Number of customers (prospects included)."""
        return len(self.serving_employee)


def assign_departments(n_employees: int, n_departments: int) -> np.ndarray:
    """Employees split into departments of (almost) equal size, in contiguous blocks."""
    return np.arange(n_employees) * n_departments // max(n_employees, 1)


def _dedupe(edges: np.ndarray) -> np.ndarray:
    """Drop self-loops and duplicate undirected edges; rows sorted as (low, high)."""
    if len(edges) == 0:
        return edges.reshape(0, 2).astype(np.int64)
    return _dedupe_pairs(edges[:, 0], edges[:, 1], edges.dtype)


def _dedupe_pairs(first: np.ndarray, second: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """:func:`_dedupe` of the edges ``(first[i], second[i])``, as ``dtype`` rows."""
    low, high = np.minimum(first, second), np.maximum(first, second)
    keep = low != high
    if not keep.all():
        low, high = low[keep], high[keep]
    del keep
    n = int(high.max()) + 1 if len(high) else 0
    if len(low) == 0 or low.min() < 0 or n > 4 * len(low) + 65536:  # sparse labels: no rows
        return np.unique(np.column_stack([low, high]).astype(dtype, copy=False), axis=0)
    # scipy's COO conversion groups the edges by their low end (one linear pass), sorts each
    # row's few high ends and sums duplicates: the distinct rows in lexicographic order, what
    # np.unique(axis=0) returns, without sorting every edge
    upper = sp.coo_array((np.ones(len(low), dtype=np.int8), (low, high)), shape=(n, n)).tocsr()
    del low, high
    edges = np.empty((upper.nnz, 2), dtype=dtype)
    edges[:, 0] = np.repeat(np.arange(n, dtype=upper.indices.dtype), np.diff(upper.indptr))
    edges[:, 1] = upper.indices
    return edges


def ring_lattice(members: np.ndarray, degree: int) -> np.ndarray:
    """Each member tied to its ``degree // 2`` nearest successors on a ring (both directions)."""
    size = len(members)
    half = min(degree // 2, (size - 1) // 2) if size > 2 else min(degree // 2, size - 1)
    if size < 2 or half <= 0:
        return np.empty((0, 2), dtype=np.int64)
    # edge i * half + j - 1 ties member i to its j-th successor, members[(i + j) % size]
    edges = np.empty((size, half, 2), dtype=members.dtype)
    edges[:, :, 0] = members[:, None]
    for j in range(1, half + 1):
        edges[: size - j, j - 1, 1] = members[j:]
        edges[size - j :, j - 1, 1] = members[:j]
    return edges.reshape(-1, 2)


def small_world(n: int, degree: int, rewiring: float, rng: np.random.Generator) -> np.ndarray:
    """Watts-Strogatz: a ring lattice whose edges are rewired to random ends with ``rewiring``.

    Ring positions are a random permutation of the customers, so ring neighbours are not
    neighbours in customer numbering (which groups customers by segment).
    """
    edges = ring_lattice(rng.permutation(n).astype(index_dtype(n)), degree)
    if len(edges) and rewiring > 0:
        rewire = uniform_below(rng, (len(edges), 1), rewiring)[:, 0]  # rng.random(k) < rewiring
        edges[rewire, 1] = rng.integers(n, size=int(rewire.sum()))
    return _dedupe(edges)


def scale_free(n: int, degree: int, rng: np.random.Generator) -> np.ndarray:
    """Barabasi-Albert preferential attachment with ``degree // 2`` ties per newcomer."""
    m = max(1, degree // 2)
    if n <= m:
        return ring_lattice(np.arange(n), degree)
    graph = nx.barabasi_albert_graph(n, m, seed=rng)
    return _dedupe(np.array(graph.edges(), dtype=np.int64).reshape(-1, 2))


def draw_ties(
    *,
    n_employees: int,
    n_departments: int,
    frontline: np.ndarray,
    n_customers: int,
    intra_ties: int,
    cross_ties: int,
    community: str,
    community_degree: int,
    rewiring: float,
    rng: np.random.Generator,
    customer_rng: np.random.Generator | None = None,
) -> Ties:
    """Draw every tie of a model from ``rng`` (one seed fixes them all).

    Service and community ties are drawn from ``customer_rng`` when given, so that a change in
    the number of employee ties does not shift the customers' ties (common random numbers).
    """
    customer_rng = rng if customer_rng is None else customer_rng
    department, employee_edges, crossing = employee_ties(
        n_employees, n_departments, intra_ties, cross_ties, rng
    )
    frontline_members = np.flatnonzero(np.isin(department, frontline))
    serving = frontline_members[customer_rng.integers(len(frontline_members), size=n_customers)]
    if community == "small_world":
        community_edges = small_world(n_customers, community_degree, rewiring, customer_rng)
    elif community == "scale_free":
        community_edges = scale_free(n_customers, community_degree, customer_rng)
    else:
        community_edges = np.empty((0, 2), dtype=np.int64)
    community_edges = narrow(community_edges, n_customers)
    return Ties(department, employee_edges, crossing, serving, community_edges)


def employee_ties(
    n_employees: int,
    n_departments: int,
    intra_ties: int,
    cross_ties: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One firm's employees: (department of each, undirected ties, whether each tie crosses
    departments), drawn from ``rng``."""
    department = assign_departments(n_employees, n_departments)
    blocks = [np.flatnonzero(department == d) for d in range(n_departments)]
    intra = [ring_lattice(rng.permutation(members), intra_ties) for members in blocks]
    cross = np.empty((0, 2), dtype=np.int64)
    if cross_ties > 0 and n_departments > 1:
        src = np.repeat(np.arange(n_employees), cross_ties)
        dst = rng.integers(n_employees, size=len(src))
        for _ in range(50):  # redraw partners that sit in the same department
            same = department[dst] == department[src]
            if not same.any():
                break
            dst[same] = rng.integers(n_employees, size=int(same.sum()))
        keep = department[dst] != department[src]
        cross = np.column_stack([src[keep], dst[keep]])
    employee_edges = _dedupe(np.concatenate([*intra, cross]))
    crossing = department[employee_edges[:, 0]] != department[employee_edges[:, 1]]
    return department, employee_edges, crossing


def newcomer_ties(
    first: int,
    last: int,
    serving_pool: np.ndarray,
    degree: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Service and community ties of customer slots ``first..last-1`` that join the market later.

    Each newcomer is served by a uniformly drawn employee of ``serving_pool`` (the front line)
    and ties to ``max(1, degree // 2)`` uniformly drawn earlier slots (random attachment: slots
    fill in order, so every partner is in the market before the newcomer). Returns
    ``(serving_employee, community_edges)``.
    """
    serving, partner, slot = newcomer_pairs(first, last, serving_pool, degree, rng)
    return serving, newcomer_edges([partner], [slot], last)


def newcomer_pairs(
    first: int,
    last: int,
    serving_pool: np.ndarray,
    degree: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`newcomer_ties` as drawn: ``(serving_employee, partner, slot)``, one
    ``(partner, slot)`` pair per tie drawn (a newcomer may draw a partner twice):
    :func:`newcomer_edges` makes the edge list of one or several blocks of slots."""
    size = max(last - first, 0)
    serving = serving_pool[rng.integers(len(serving_pool), size=size)]
    ties_each = max(1, degree // 2) if degree > 0 else 0
    if size == 0 or ties_each == 0 or first == 0:
        none = np.empty(0, dtype=np.int64)
        return serving, none, none
    slot = np.repeat(np.arange(first, last, dtype=np.int64), ties_each)
    partner = (rng.random(len(slot)) * slot).astype(np.int64)
    return serving, partner, slot


def newcomer_edges(partners: list[np.ndarray], slots: list[np.ndarray], n: int) -> np.ndarray:
    """The distinct ties of :func:`newcomer_pairs`' pairs (of one or several blocks of slots,
    over ``n`` slots), sorted as :func:`_dedupe` returns them: the same edge list however the
    slots were split into blocks."""
    dtype = np.dtype(index_dtype(n))
    if sum(len(p) for p in partners) == 0:
        return np.empty((0, 2), dtype=dtype)
    return _dedupe_pairs(np.concatenate(partners), np.concatenate(slots), dtype)


def adjacency(edges: np.ndarray, n: int, weights: np.ndarray | None = None) -> sp.csr_array:
    """Symmetric sparse adjacency matrix of undirected ``edges`` over ``n`` nodes (weight 1 per
    tie unless ``weights`` are given).

    Canonical CSR (each row's columns sorted, duplicates summed), what scipy's COO conversion
    gives; edges as :func:`_dedupe` returns them (rows sorted, each ``low < high``) are laid out
    directly (:func:`_sorted_adjacency`), any others go through scipy's conversion.
    """
    if _sorted_unique(edges, n):
        matrix = _sorted_adjacency([edges], n, weights)
        if matrix is not None:
            return matrix
    if weights is None:
        weights = np.ones(len(edges), dtype=np.float64)
    index = index_dtype(max(n, 2 * len(edges)))  # int32 indices: scipy keeps them (memory)
    low, high = edges[:, 0].astype(index), edges[:, 1].astype(index)
    rows, cols = np.concatenate([low, high]), np.concatenate([high, low])
    del low, high
    data = np.concatenate([weights, weights])
    return sp.csr_array((data, (rows, cols)), shape=(n, n))


def adjacency_of_runs(runs: list[np.ndarray], n: int) -> sp.csr_array:
    """``adjacency(np.concatenate(runs), n)`` of unit ties, without sorting the concatenation.

    Each run as :func:`_dedupe` returns it; laid out directly when each node's later neighbours
    come run after run in increasing order (the community of the initial market, then each
    batch of arrival slots, whose partners are all earlier slots), else as one edge list.
    """
    runs = [r for r in runs if len(r)]
    if runs and all(_sorted_unique(r, n) for r in runs):
        matrix = _sorted_adjacency(runs, n)
        if matrix is not None:
            return matrix
    edges = np.concatenate(runs) if runs else np.empty((0, 2), dtype=np.int64)
    return adjacency(edges, n)


def _sorted_unique(edges: np.ndarray, n: int) -> bool:
    """Whether ``edges`` are distinct ``(low, high)`` rows, ``0 <= low < high < n``, sorted."""
    if len(edges) == 0:
        return False
    low, high = edges[:, 0], edges[:, 1]
    if low[0] < 0 or int(high.max()) >= n or not np.all(low < high):
        return False
    # sorted: low never falls, and high rises where low stays
    rises = low[1:] > low[:-1]
    if not np.all(rises | (low[1:] == low[:-1])):
        return False
    return bool(np.all(rises | (high[1:] > high[:-1])))


def _sorted_adjacency(
    runs: list[np.ndarray], n: int, weights: np.ndarray | None = None
) -> sp.csr_array | None:
    """:func:`adjacency` of runs of sorted distinct ``(low, high)`` edges (``weights``: of a
    single run; None: unit ties), laid out without sorting; None if a node's later neighbours
    do not come out sorted run after run.

    The upper triangle holds each row ``low``'s columns ``high``, run after run (a run's are
    sorted); its transpose, the lower triangle, comes from scipy's linear CSR-to-CSC pass (each
    column's rows come out sorted). Row ``r`` of the matrix is its lower part (columns below
    ``r``) followed by its upper part (columns above ``r``): sorted, as scipy's conversion
    gives it, when the upper part is.
    """
    k = sum(len(r) for r in runs)
    index = index_dtype(max(n, 2 * k))  # int32 indices: scipy keeps them (memory)
    # per_row[r] = (entries of row r in the lower part, in run 0's upper part, run 1's, ...)
    per_row = np.zeros((n, 1 + len(runs)), dtype=index)
    for i, run in enumerate(runs, start=1):
        per_row[:, i] = np.bincount(run[:, 0], minlength=n)
    upper_count = per_row[:, 1:].sum(axis=1, dtype=index) if len(runs) > 1 else per_row[:, 1]
    upper_ptr = np.zeros(n + 1, dtype=index)
    np.cumsum(upper_count, out=upper_ptr[1:])
    if len(runs) == 1:
        columns = runs[0][:, 1].astype(index)
    else:
        columns = np.empty(k, dtype=index)
        # each row's entries from run 0, then run 1, ...: which run each upper entry is from
        run_ids = np.arange(len(runs), dtype=np.min_scalar_type(len(runs)))
        source = np.repeat(np.tile(run_ids, n), per_row[:, 1:].ravel())
        for i, run in enumerate(runs):
            columns[source == i] = run[:, 1]
        del source
        falls = columns[1:] <= columns[:-1]
        starts = upper_ptr[1:-1][upper_count[1:] > 0]
        falls[starts[starts > 0] - 1] = False  # a new row may start lower
        if falls.any():
            return None
        del falls, starts
    # the lower triangle's structure (unit ties: a byte per entry stands in for the weights)
    upper_data = np.ones(k, dtype=np.int8) if weights is None else weights
    lower = sp.csr_array((upper_data, columns, upper_ptr), shape=(n, n)).tocsc()
    indptr = upper_ptr + lower.indptr.astype(index, copy=False)
    per_row[:, 0] = np.diff(lower.indptr)
    per_row = per_row[:, :2] if len(runs) == 1 else np.column_stack([per_row[:, 0], upper_count])
    part = np.repeat(np.tile(np.array([True, False]), n), per_row.ravel())  # True: lower part
    del per_row, upper_count
    indices = np.empty(2 * k, dtype=index)
    indices[part] = lower.indices
    if weights is None:
        values = np.ones(2 * k)
    else:
        values = np.empty(2 * k, dtype=weights.dtype)
        values[part] = lower.data
    del lower
    np.logical_not(part, out=part)  # now True: the upper part
    indices[part] = columns
    if weights is not None:
        values[part] = weights
    matrix = sp.csr_array((values, indices, indptr), shape=(n, n))
    matrix.has_sorted_indices = True
    return matrix


def index_dtype(largest: int) -> type[np.signedinteger]:
    """int32 for node indices (and counts) below 2**31, else int64."""
    return np.int32 if largest < 2**31 else np.int64


def narrow(edges: np.ndarray, n: int) -> np.ndarray:
    """An edge list over ``n`` nodes in :func:`index_dtype` (half the memory of int64)."""
    return edges.astype(index_dtype(n), copy=False)


class SlotGraph:
    """A symmetric adjacency over every customer slot, used with vectors over the slots in use.

    The model preallocates slots for the customers who will arrive (docs/ODD.md 7.3) and draws
    their ties at build time, so the sparse matrix is built once. ``graph @ x`` with ``x`` over
    the first ``len(x)`` slots treats later slots as zero and returns the first ``len(x)`` rows.
    """

    def __init__(self, matrix: sp.csr_array) -> None:
        self.matrix = matrix
        self.slots = matrix.shape[0]
        #: every stored weight is 1 (a plain tie): neighbour sums of whole numbers are exact
        self.unit = bool(np.all(matrix.data == 1.0))

    def neighbour_sum(self, x: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """``(A x)[rows]`` for a whole-number ``x`` over the first ``len(x)`` slots (int64).

        Reads the given rows only (a few prospects, not every slot): each row's entries are
        summed as whole numbers, exact in any order, so it equals the float matrix product of
        a unit-weight graph (:attr:`unit`) wherever that product is below 2**53.
        """
        c = self.matrix
        return kernels.neighbour_sum(c.indptr, c.indices, x, rows)

    @property
    def nnz(self) -> int:
        """Stored entries: twice the ties (the matrix is symmetric)."""
        return int(self.matrix.nnz)

    def __matmul__(self, x: np.ndarray) -> np.ndarray:
        """``A x`` over the first ``len(x)`` slots."""
        x = np.asarray(x)
        if len(x) == self.slots:
            return self.matrix @ x
        shape = (self.slots, *x.shape[1:])  # a matrix x: one column per vector
        padded = np.zeros(shape, dtype=np.result_type(x.dtype, np.float64))
        padded[: len(x)] = x
        return (self.matrix @ padded)[: len(x)]


def to_networkx(
    ties: Ties, departments: list[str], n_customers: int | None = None
) -> nx.Graph[int]:
    """One graph holding every tie, with ``kind``/``department``/``tie`` attributes.

    ``n_customers`` limits the customers to the first ones (the slots already in the market).
    """
    n_emp = ties.n_employees
    n_cust = ties.n_customers if n_customers is None else n_customers
    community = ties.community_edges[ties.community_edges.max(axis=1, initial=-1) < n_cust]
    graph: nx.Graph[int] = nx.Graph()
    graph.add_nodes_from(
        (i, {"kind": "employee", "department": departments[d]})
        for i, d in enumerate(ties.employee_department)
    )
    graph.add_nodes_from((n_emp + j, {"kind": "customer"}) for j in range(n_cust))
    graph.add_edges_from(
        (int(a), int(b), {"tie": "cross_department" if c else "department"})
        for (a, b), c in zip(ties.employee_edges, ties.employee_edge_cross, strict=True)
    )
    graph.add_edges_from(
        (int(e), n_emp + j, {"tie": "service"})
        for j, e in enumerate(ties.serving_employee[:n_cust])
    )
    graph.add_edges_from(
        (n_emp + int(a), n_emp + int(b), {"tie": "community"}) for a, b in community
    )
    return graph
