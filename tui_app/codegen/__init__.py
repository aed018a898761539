"""Settings as code: a run's request and retry settings as a program of the user's own.

``claude-tui code`` prints it; the program needs only the ``anthropic`` SDK and does what
``claude-tui run`` does with the same settings (same requests, same retries, same waits
within the jitter's draw, same outcome).

>>> from tui_app.settings import RunSettings
>>> source = python_program(ProgramSpec.from_settings("Hi", RunSettings()))
>>> "max_retries=0" in source and "message_stop" in source
True

Import-light: nothing here imports ``anthropic`` until a program is generated.
"""

from .python import python_program
from .spec import WRITTEN, ProgramSpec

__all__ = ["WRITTEN", "ProgramSpec", "python_program"]
