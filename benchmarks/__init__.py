"""annotator's benchmarks: a seeded corpus generator and a runner that times annotator beside
the simplest code doing the same work. Run ``python -m benchmarks --help``."""
