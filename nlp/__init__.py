"""The checker: the spaCy pipeline, the detectors and the policy they cite."""

import os

# OpenBLAS (numpy's BLAS, under spaCy) sizes its thread pool once, when numpy is first imported.
# Started with a pool, spaCy's NER loop runs about a quarter slower (make bench: 5.2 against
# 3.9 ms of NER a post), even after threadpoolctl limits the pool to one thread. The workers
# already fill the cores, so the pool never helps. Set here, before anything imports numpy;
# an operator's own value wins. nlp.pipeline warns when numpy was loaded too early for this.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
