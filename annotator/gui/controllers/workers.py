"""A worker process of the window's (``annotator.suggest.learned.background``), as Qt sees it:
started without copying the window's memory, its JSON lines handed on as they come, a few
milliseconds' worth at a time, and killed when the window no longer wants it."""

from __future__ import annotations

import json
import time
from collections import deque

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

SLICE = 0.004  # seconds of work at most before the window's thread paints and types again
STOP_WAIT_MS = 5000  # for a killed worker to be gone
WHY = frozenset({"refused", "unreadable", "error"})  # a worker's lines that say why it failed


class BackgroundError(Exception):
    """What went wrong in a worker process, with its own traceback (for the log)."""


class Worker(QObject):
    """One worker process (``background``): each JSON line it writes (``said``), and its
    end (``ended``: the exit code, -1 when it could not start or crashed, and the last
    of what it wrote on its standard error). Its lines are read a few milliseconds' worth at
    a time, so a worker that writes fast never keeps the window's thread."""

    said = Signal(dict)
    ended = Signal(int, str)

    def __init__(self, args: list[str], parent: QObject | None = None) -> None:
        from annotator.suggest.learned.background import command

        super().__init__(parent)
        program, arguments, env = command(*args)
        self.process = QProcess(self)
        self.process.setProgram(program)
        self.process.setArguments(arguments)
        environment = QProcessEnvironment()
        for key, value in env.items():
            environment.insert(key, value)
        self.process.setProcessEnvironment(environment)
        # vfork: starting a process does not copy the window's memory first
        parameters = QProcess.UnixProcessParameters()
        parameters.flags = QProcess.UnixProcessFlag.UseVFork
        self.process.setUnixProcessParameters(parameters)
        self._buffer = b""
        self._lines: deque[bytes] = deque()
        self._exit: int | None = None  # once it ended, until its lines are all read
        self._done = False
        #: It said why it could not do its work (a refusal or an error line).
        self.explained = False
        self._reader = QTimer(self)
        self._reader.setSingleShot(True)
        self._reader.setInterval(0)
        self._reader.timeout.connect(self._say_some)
        self.process.readyReadStandardOutput.connect(self._read)
        self.process.finished.connect(self._finished)
        self.process.errorOccurred.connect(self._failed_to_start)

    def start(self) -> None:
        self.process.start()

    @property
    def pid(self) -> int:
        return int(self.process.processId())

    def _read(self) -> None:
        self._buffer += bytes(self.process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        self._lines.extend(lines)
        self._say_some()

    def _say_some(self) -> None:
        """Hand on its lines for ``SLICE`` seconds at most; the rest at the next turn."""
        started = time.perf_counter()
        while self._lines and not self._done:
            if time.perf_counter() - started > SLICE:
                self._reader.start()
                return
            try:
                said = json.loads(self._lines.popleft())
            except ValueError:
                continue  # not one of its lines (a library's own print)
            if isinstance(said, dict):
                self.explained |= bool(WHY.intersection(said))
                self.said.emit(said)
        if self._exit is not None:
            self._end(self._exit)

    def _finished(self, code: int, status: QProcess.ExitStatus) -> None:
        self._exit = code if status == QProcess.ExitStatus.NormalExit else -1
        self._read()

    def _failed_to_start(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._end(-1)

    def _end(self, code: int) -> None:
        if not self._done:
            self._done = True
            said = bytes(self.process.readAllStandardError().data()).decode("utf-8", "replace")
            self.ended.emit(code, said.strip()[-800:])

    def stop(self) -> None:
        """Kill it and wait for it to be gone; nothing it said after this is heard."""
        self._done = True
        self._reader.stop()
        if self.process.state() != QProcess.ProcessState.NotRunning:
            self.process.kill()
            self.process.waitForFinished(STOP_WAIT_MS)
