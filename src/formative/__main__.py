"""Allow `python -m formative`."""

from formative.entry import main

main()
