import sys

from empathy_audit.cli import main

sys.exit(main())
