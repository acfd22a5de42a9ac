"""`python -m kanava` is the `kanava` command."""

from kanava.cli import main

main()
