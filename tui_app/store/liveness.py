"""Whether the process that wrote a ``running`` session may still be writing it: a dead
writer's session reads as ``interrupted``. Its own module: the listing and the recorder
both ask, and the answer is the operating system's, not the store's.
"""

from __future__ import annotations

import os


def pid_alive(pid: int | None) -> bool:
    """Whether the process that wrote a ``running`` session may still be writing it.

    Errs on the side of "alive": a session is only reported interrupted when its writer
    is surely gone. A reused pid keeps a dead session ``running`` until that pid exits.
    """
    if pid is None or pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would send CTRL_C_EVENT there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[1].split()[0]
        return state != b"Z"  # a zombie has finished writing: it only awaits its parent
    except (OSError, IndexError):
        return True
