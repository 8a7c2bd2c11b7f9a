"""`python -m storyline.cli`: the `storyline` command."""
from . import main

main()
