"""The NER's own token-to-vector layers, run as one function instead of through thinc's layers.

The small English NER embeds each token (four hashed features), then runs four residual
convolution blocks (a window of one token each side, maxout and layer norm) and a linear
layer. Around that arithmetic thinc spends time on its machinery (some 40 nested layer calls
with their shape checks, parameter look-ups, list and ragged conversions and backprop
closures): a third of the layers' time on a post of 5 tokens, a fifth at 20, an eighth at 100.
:class:`FastTok2Vec` computes the same thing on arrays of the same shapes in the same order
(the blocks see the zero rows that thinc pads each post with), with the same numpy and thinc
operations or with ones that give the same floats (a product through a contiguous copy of the
weights where it was checked to, ``np.maximum`` for maxout's largest piece), so the output is
bit-identical: :func:`with_fast_tok2vec` compares it with thinc's own on sample batches when
the pipeline loads, and keeps the original layers when it differs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from spacy.tokens import Doc
from thinc.api import Model

logger = logging.getLogger(__name__)

#: The architecture computed here: spaCy's HashEmbedCNN with MultiHashEmbed and a
#: MaxoutWindowEncoder of window 1, then the parser model's projection (``list2array>>linear``).
EXPECTED_LAYERS = (
    ["extract_features", "list2ragged"]
    + ["ints-getitem", "hashembed"] * 4
    + ["maxout", "layernorm", "dropout", "ragged2list"]
    + ["expand_window", "maxout", "layernorm", "dropout"] * 4
    + ["list2array", "linear"]
)


def _leaves(model: Model) -> list[Model]:
    """Return the layers of ``model`` that have no layers of their own, in order."""
    if not model.layers:
        return [model]
    return [leaf for layer in model.layers for leaf in _leaves(layer)]


#: The row counts at which :class:`_Product` checks its two layouts when the pipeline loads.
CHECKED_ROWS = 64


class _Product:
    """``X @ W.T`` as thinc's ``ops.gemm(X, W, trans2=True)`` computes it, faster where it can be.

    With thinc's numpy ops that is ``np.dot(X, W.T)``, ``W.T`` a strided view, for which
    OpenBLAS takes its transposed path; a contiguous copy of ``W.T`` is faster for the few rows
    of one post (an Intel Xeon here, 288 x 288 weights: 8 rows 53 -> 17 us, 20 rows 81 -> 50 us,
    380 rows 502 -> 484 us). Both give the same floats except for the fewest rows, where
    OpenBLAS's small-matrix kernels sum in another order (here up to 4 rows for the blocks, up
    to 18 for the 64 x 96 projection). So the copy is used only from the row count above the
    last one, among 1 to ``CHECKED_ROWS``, where the two differ on random rows; more rows are
    taken to run OpenBLAS's blocked kernels either way (the test checks up to 777, and the
    load-time check compares whole batches). If they differ at ``CHECKED_ROWS`` itself (other
    ops, another BLAS), the copy is never used.
    """

    def __init__(self, ops: Any, W: np.ndarray) -> None:
        self.ops = ops
        self.W = W
        self.Wt = np.ascontiguousarray(W.T)
        rng = np.random.default_rng(0)
        self.min_rows = 1
        for rows in range(CHECKED_ROWS, 0, -1):
            X = rng.standard_normal((rows, W.shape[1])).astype(W.dtype)
            if not np.array_equal(np.dot(X, self.Wt), ops.gemm(X, W, trans2=True)):
                self.min_rows = rows + 1 if rows < CHECKED_ROWS else np.iinfo(np.intp).max
                break

    def __call__(self, X: np.ndarray) -> np.ndarray:
        if X.shape[0] >= self.min_rows:
            return np.dot(X, self.Wt)
        return self.ops.gemm(X, self.W, trans2=True)


def _find(model: Model, predicate: Callable[[Model], bool]) -> Model | None:
    return next((node for node in model.walk() if predicate(node)), None)


class FastTok2Vec:
    """The forward pass of one HashEmbedCNN tok2vec (with its projection), for prediction."""

    def __init__(self, tok2vec: Model) -> None:
        leaves = _leaves(tok2vec)
        if [leaf.name for leaf in leaves] != EXPECTED_LAYERS:
            raise ValueError("not the small pipeline's NER tok2vec")
        self.tok2vec = tok2vec
        self.ops = tok2vec.ops
        self.columns = leaves[0].attrs["columns"]
        getitems = [leaf for leaf in leaves if leaf.name == "ints-getitem"]
        embeds = [leaf for leaf in leaves if leaf.name == "hashembed"]
        self.embeddings = [
            (getitem.attrs["index"][1], embed.get_param("E"), embed.attrs["seed"])
            for getitem, embed in zip(getitems, embeds, strict=True)
        ]
        maxouts = [leaf for leaf in leaves if leaf.name == "maxout"]
        norms = [leaf for leaf in leaves if leaf.name == "layernorm"]
        self.layers = [
            (
                _Product(self.ops, m.get_param("W").reshape(-1, m.get_dim("nI"))),
                m.get_param("b").reshape(m.get_dim("nO") * m.get_dim("nP")),
                m.get_dim("nO"),
                m.get_dim("nP"),
                n.get_param("G"),
                n.get_param("b"),
            )
            for m, n in zip(maxouts, norms, strict=True)
        ]
        windows = {leaf.attrs["window_size"] for leaf in leaves if leaf.name == "expand_window"}
        padded = _find(tok2vec, lambda node: node.name.startswith("with_array(residual"))
        if windows != {1} or padded is None:
            raise ValueError("not the small pipeline's NER tok2vec")
        self.pad = int(padded.attrs["pad"])  # zero rows around each post
        linear = leaves[-1]
        self.linear = (_Product(self.ops, linear.get_param("W")), linear.get_param("b"))

    def _block(self, X: np.ndarray, i: int) -> np.ndarray:
        """maxout>>layernorm, as thinc's ``maxout.forward`` and ``layernorm.forward`` compute it."""
        product, b, nO, nP, G, beta = self.layers[i]
        Y = product(X)
        Y += b
        # thinc's maxout keeps the largest of each unit's pieces (and which one, for training).
        # The largest value is all prediction needs, and np.maximum over the pieces gives the
        # same floats: 11 against 127 us for 163 rows here (thinc's loop slows on more rows).
        pieces = Y.reshape(Y.shape[0], nO, nP)
        best = pieces[:, :, 0]
        for piece in range(1, nP):
            best = np.maximum(best, pieces[:, :, piece])
        # thinc's layer norm: mean(axis=1), var(axis=1) + 1e-08, (X - mean) * var ** -0.5 * G + b.
        # numpy's mean and var are computed here with the same reductions and divisions (by the
        # row length as an intp, as numpy's _methods do), so the values are the same, bit for bit;
        # but the mean and the centred rows are computed once, not three times (0.01 ms a block).
        width = np.intp(best.shape[1])
        mu = np.add.reduce(best, axis=1, keepdims=True)
        np.true_divide(mu, width, out=mu, casting="unsafe")
        centred = best - mu
        var = np.add.reduce(centred * centred, axis=1, keepdims=True)
        np.true_divide(var, width, out=var, casting="unsafe")
        var += 1e-08
        centred *= var ** (-1.0 / 2.0)  # (centred * scale) * G + beta, in place: the same floats
        centred *= G
        centred += beta
        return centred

    def __call__(self, docs: Sequence[Doc]) -> np.ndarray:
        """Return the vectors of every token of ``docs``, one row per token, docs in order."""
        ops = self.ops
        features = [ops.asarray2i(doc.to_array(self.columns), dtype="uint64") for doc in docs]
        lengths = [len(f) for f in features]
        if not any(lengths):  # nothing to embed: thinc's layers answer with an empty array
            return self.tok2vec.predict(list(docs))
        ids = np.concatenate(features)
        embedded = np.hstack(
            [
                ops.gather_add(
                    table, ops.hash(ops.as_contig(ids[:, column], dtype="uint64"), seed) % len(table)
                )
                for column, table, seed in self.embeddings
            ]
        )
        X = self._block(embedded, 0)
        # The layout of thinc's ops.flatten(pad=...) (pad rows before each non-empty doc and
        # after the last), undone as ops.unflatten(pad=...) and list2array would. Calling those
        # instead gave the same vectors but cost 0.1-0.2 ms more a call, a third of the gain.
        pieces: list[np.ndarray] = []
        zeros = np.zeros((self.pad, X.shape[1]), dtype=X.dtype)
        starts: list[int] = []
        at = 0
        row = 0
        for n in lengths:
            if n:
                pieces.append(zeros)
                row += self.pad
                starts.append(row)
                pieces.append(X[at : at + n])
                row += n
            else:
                starts.append(row)
            at += n
        pieces.append(zeros)
        X = np.concatenate(pieces)
        for i in range(1, len(self.layers)):
            X = X + self._block(ops.seq2col(X, 1), i)
        X = np.concatenate([X[start : start + n] for start, n in zip(starts, lengths, strict=True)])
        product, b = self.linear
        Y = product(X)
        Y += b
        return Y


def _no_backprop(_: Any) -> Any:
    raise NotImplementedError("the fast tok2vec only predicts; train with the original layers")


def with_fast_tok2vec(ner: Any, samples: Sequence[Sequence[Doc]]) -> bool:
    """Let ``ner`` predict through :class:`FastTok2Vec` (training still runs thinc's layers).

    Done only when the architecture is the one expected and the output equals thinc's, bit for
    bit, on every batch of ``samples``; otherwise the component is left as it was. Returns
    whether it was changed.
    """
    model = ner.model
    tok2vec = model.get_ref("tok2vec")
    if tok2vec.name == "fast_tok2vec":
        return True
    try:
        fast = FastTok2Vec(tok2vec)
    except (ValueError, KeyError) as error:
        logger.warning("NER runs through thinc's layers: %s", error)
        return False
    for docs in samples:
        if not np.array_equal(fast(docs), tok2vec.predict(list(docs))):
            logger.warning("NER runs through thinc's layers: the fast tok2vec differs from them")
            return False

    def forward(wrapper: Model, docs: list[Doc], is_train: bool) -> tuple[Any, Callable[[Any], Any]]:
        if is_train:
            return tok2vec(docs, is_train)
        return fast(docs), _no_backprop

    wrapper = Model("fast_tok2vec", forward, layers=[tok2vec], dims={"nO": tok2vec.get_dim("nO")})
    return bool(model.replace_node(tok2vec, wrapper))
