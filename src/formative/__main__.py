"""Allow `python -m formative`."""

from formative.cli import main

main()
