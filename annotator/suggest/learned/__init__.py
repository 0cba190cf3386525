"""Learned suggestions: a model trained on the project's own spans, kept in the project file.

``candidates`` reads a document's lines, sentences and clauses and where each stands;
``features`` turns each into facts; ``training`` fits and measures a model on the documents
analysts marked done (it alone needs scikit-learn); ``model`` is the model as plain JSON and
what it proposes; ``figures`` counts proposals against spans; ``suggesting`` proposes and
stores a model's suggestions (``keeping`` stores them, with how unsure the model is about
each document). Nothing is downloaded.

What the window uses: ``background``, a worker process that trains (storing nothing) or
proposes on the documents not done, whose model the window stores with
``background.store_trained`` and whose proposals it stores with ``keeping.keep_learned``;
``suggesting.suggest_learned`` for F8; ``suggesting.latest_model`` for the model's record.
"""
