"""`python -m kg.cli.main`: the same as the `kg` command."""

from kg.cli.main import main

main()
