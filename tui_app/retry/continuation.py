"""The words of the "continue" mid-stream policy, in a module of their own.

The retry core sends them as a new user turn after a cut-off answer; the simulator reads
them to tell a continuation (go on from the partial answer) from a follow-up turn (answer
the new question), since both end in a user turn after an assistant turn. Importing this
imports nothing else.
"""

CONTINUE_INSTRUCTION = (
    "Your previous answer was cut off by a network failure. Continue exactly where it "
    "stopped, without repeating anything already written."
)
