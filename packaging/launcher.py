"""The frozen app's entry point: no arguments opens the window; `--self-test` checks the installation;
anything else is the `empathy-audit` command line."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the transcription worker is this executable started again
    from empathy_audit.cli import main

    sys.exit(main())
