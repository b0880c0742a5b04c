"""``python -m xinchuang``."""

from xinchuang.cli import main

main()
