"""`python -m generator`. A build ends with `os._exit`: the interpreter would otherwise free
the model's millions of objects one by one (~0.5 s at 5,000 articles) just before the process
goes. Everything is written and closed by then (the cache writes before the build returns,
workers are joined); only the two streams need flushing."""

import os
import sys

from .cli import main

code = main()
if sys.argv[1:2] == ["build"]:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
sys.exit(code)
