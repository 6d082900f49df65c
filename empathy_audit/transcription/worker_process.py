"""The transcription worker as a child process: spawned, spoken to over a pipe with typed messages, killed
on cancel or hang. Its crash is reported as WorkerDied and never takes the caller down."""

from __future__ import annotations

import contextlib
import multiprocessing
import signal

from empathy_audit.transcription.messages import Shutdown, WorkerReady
from empathy_audit.transcription.worker import WorkerConfig, worker_main


class WorkerDied(RuntimeError):
    pass


class WorkerProcess:
    """One spawned worker process and its end of the pipe."""

    def __init__(self, config: WorkerConfig) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=worker_main, args=(child, config), daemon=True, name="transcriber")
        self.process.start()
        child.close()
        self.ready: WorkerReady | None = None

    def receive(self, timeout: float) -> object | None:
        """The next message, None on timeout; WorkerDied if the process is gone."""
        if self.conn.poll(timeout):
            try:
                return self.conn.recv()
            except (EOFError, OSError):
                pass
        if not self.process.is_alive():
            # Drain anything sent just before exiting.
            with contextlib.suppress(EOFError, OSError):
                if self.conn.poll(0):
                    return self.conn.recv()
            self.process.join(1)
            raise WorkerDied(_describe_exit(self.process.exitcode))
        return None

    def send(self, message: object) -> None:
        try:
            self.conn.send(message)
        except (BrokenPipeError, OSError) as exc:
            raise WorkerDied(_describe_exit(self.process.exitcode)) from exc

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(Shutdown())
        self.process.join(5)
        self.kill()


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "the transcription engine stopped unexpectedly"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the transcription engine crashed ({name})"
    return f"the transcription engine exited unexpectedly (exit code {code})"
