"""What the rows share: the sizes of this run, the corpus cache and the projects built once."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks import generate
from benchmarks.measure import Figure

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ANNOTATOR = "bench"


@dataclass
class Sizes:
    """How big each row's work is and how many times it is timed."""

    articles: int = 10_000  # import-10k, the exports, the window start-up
    many_articles: int = 100_000  # import-100k and big-project
    long_chars: int = 1_000_000
    long_spans: int = 10_000
    edit_ops: int = 200  # of each kind: add, relabel, delete
    small_project: int = 100  # big-project's reference
    import_runs: int = 5
    many_import_runs: int = 3
    export_runs: int = 5
    startup_runs: int = 10
    open_runs: int = 7
    big_project_runs: int = 3
    learn_sizes: tuple[int, ...] = (25, 50, 100)  # done articles a model is trained on
    learn_test: int = 100  # unseen articles its suggestions are scored on
    learn_train: int = 500  # learn-train's done articles
    learn_suggest: int = 10_000  # learn-suggest's articles
    learn_stall: int = 200  # learn-stall's done articles, and as many not done
    learn_runs: int = 3
    keys_samples: int = 4  # sample articles tagged from the keyboard (keys-samples)
    speaker_articles: int = 300  # the speakers row's generated articles
    team_articles: int = 10_000  # each analyst's, in the team rows
    team_growth: int = 2  # the growth rows time the team rows again at this many times the size
    team_runs: int = 3
    archive_articles: int = 1_000_000  # the archive rows' project
    archive_runs: int = 3
    archive_import_runs: int = 1
    assign_documents: int = 100_000  # packets-assign and packets-progress
    assign_analysts: int = 50
    assign_runs: int = 3
    progress_runs: int = 5
    packet_merge_runs: int = 1  # each a merge of 50 packets of 4,000 documents
    warmup: int = 1

    @classmethod
    def full(cls) -> Sizes:
        return cls()

    @classmethod
    def quick(cls) -> Sizes:
        return cls(
            articles=500,
            many_articles=5_000,
            long_chars=100_000,
            long_spans=1_000,
            edit_ops=30,
            small_project=50,
            import_runs=3,
            many_import_runs=2,
            export_runs=3,
            startup_runs=3,
            open_runs=3,
            big_project_runs=2,
            learn_train=100,
            learn_suggest=1_000,
            learn_stall=50,
            learn_runs=1,
            keys_samples=1,
            speaker_articles=60,
            team_articles=1_000,
            team_runs=2,
            archive_articles=20_000,
            archive_runs=2,
            assign_documents=5_000,
            assign_runs=2,
            progress_runs=3,
            packet_merge_runs=1,
        )

    @classmethod
    def tiny(cls) -> Sizes:
        """For the test: seconds in all, every row still doing its real work once."""
        return cls(
            articles=20,
            many_articles=60,
            long_chars=10_000,
            long_spans=50,
            edit_ops=5,
            small_project=10,
            import_runs=1,
            many_import_runs=1,
            export_runs=1,
            startup_runs=1,
            open_runs=1,
            big_project_runs=1,
            learn_sizes=(6, 8, 10),
            learn_test=5,
            learn_train=8,
            learn_suggest=20,
            learn_stall=8,
            learn_runs=1,
            keys_samples=1,
            speaker_articles=6,
            team_articles=30,
            team_runs=1,
            archive_articles=200,
            archive_runs=1,
            assign_documents=60,
            assign_analysts=5,
            assign_runs=1,
            progress_runs=1,
            packet_merge_runs=1,
            warmup=0,
        )

    def with_runs(self, runs: int) -> Sizes:
        """The same sizes with every repeated measurement taken ``runs`` times."""
        changed = {k: runs for k in asdict(self) if k.endswith("_runs")}
        return Sizes(**{**asdict(self), **changed})


@dataclass
class Context:
    sizes: Sizes
    cache: Path  # generated corpora, kept between runs
    work: Path  # projects and exports of this run, removed at the end
    log: bool = True
    figures: list[Figure] = field(default_factory=list)
    _projects: dict[str, Path] = field(default_factory=dict)

    def say(self, message: str) -> None:
        if self.log:
            print(message, file=sys.stderr, flush=True)

    def articles_file(self, n: int) -> Path:
        if not generate.articles_path(self.cache, n).exists():
            self.say(f"  generating {n:,} articles")
        return generate.articles_file(self.cache, n)

    def long_file(self) -> Path:
        s = self.sizes
        return generate.long_article_file(self.cache, s.long_chars, s.long_spans)

    def fresh_path(self, name: str) -> Path:
        """A path in the work folder with no project (or WAL files) at it."""
        path = self.work / name
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def keep_project(self, key: str, path: Path) -> None:
        self._projects[key] = path

    def kept(self, key: str) -> Path | None:
        """A project a row kept for the rows after it, if it ran."""
        return self._projects.get(key)

    def _imported(self, key: str, sources: list[Path]) -> Path:
        """A project built from ``sources`` through annotator's importer, once per run."""
        if key not in self._projects:
            from annotator.formats.importing import import_paths
            from annotator.store.project import Store

            path = self.fresh_path(f"{key}.db")
            with Store(path, ANNOTATOR) as store:
                report = import_paths(store, sources)
            if not report.ok:
                raise RuntimeError(f"building {key}: {report.summary()}")
            self._projects[key] = path
        return self._projects[key]

    def project(self, n: int) -> Path:
        """A project holding ``articles(n)``."""
        key = f"articles-{n}"
        if key not in self._projects:
            self.say(f"  building a project of {n:,} articles")
        return self._imported(key, [self.articles_file(n)])

    def team_sources(self, n: int) -> list[Path]:
        """Three analysts' projects over the same ``n`` articles (built once, cached)."""
        from benchmarks import scale_corpus

        folder = self.cache / f"team-{n}"
        if not any(self.cache.glob(f"team-{n}-*-schema{scale_corpus.schema_tag()}")):
            self.say(f"  building three analysts' projects of {n:,} articles ({folder.name})")
        return scale_corpus.team_projects(self.cache, n)

    def archive(self, n: int) -> Path:
        """A project of ``n`` short articles (built once, cached); copy it before writing."""
        from benchmarks import scale_corpus

        if not any(self.cache.glob(f"archive-{n}-*-schema{scale_corpus.schema_tag()}.db")):
            self.say(f"  building a project of {n:,} short articles (once; cached)")
        return scale_corpus.archive_project(self.cache, n)

    def long_project(self) -> Path:
        """A project with 20 ordinary articles and the long one (external id "bench-long")."""
        return self._imported("long", [self.articles_file(20), self.long_file()])

    def copy_project(self, source: Path, name: str) -> Path:
        """A private copy of a closed project, for code that may write to it."""
        target = self.fresh_path(name)
        shutil.copyfile(source, target)
        return target

    def figure(self, row: str) -> Figure | None:
        return next((f for f in self.figures if f.row == row and f.na is None), None)


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a measured subprocess: offscreen Qt, this checkout importable."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["ANNOTATOR_USER"] = ANNOTATOR
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.update(extra)
    return env
