"""Where the ecosystem tests find their command-line tools."""

from __future__ import annotations

import os
import shutil
import sys


def tool(name: str) -> str:
    """A command from the environment running pytest (a virtual environment's bin), else from PATH."""
    return shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name) or name
