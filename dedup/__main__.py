import os
import sys

from .cli import main

code = main()
# Leave without freeing the heap object by object (every article of the run: 45 ms at 20,000): flush and go.
try:
    sys.stdout.flush()
    sys.stderr.flush()
except OSError:
    code = code or 1
os._exit(code)
