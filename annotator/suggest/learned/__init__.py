"""Learned suggestions: a model trained on the project's own spans, kept in the project file.

``candidates`` reads a document's lines, sentences and clauses and where each stands;
``features`` turns each into facts; ``training`` fits and measures a model on the documents
analysts marked done (it alone needs scikit-learn); ``model`` is the model as plain JSON and
what it proposes; ``figures`` counts proposals against spans; ``suggesting`` stores a model's
suggestions and says how unsure it is about each document. Nothing is downloaded.

What the window calls: ``training.train_file`` (in a worker thread: it opens its own
connection; ``progress`` and ``stop`` callbacks), ``suggesting.suggest_learned`` for a list
of documents, ``suggesting.uncertainties`` for "least certain first", and
``suggesting.latest_model`` for the model's record and held-out figures.
"""
