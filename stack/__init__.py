"""The production stack on one machine: `python -m stack` (make stack) and the stack tests."""
