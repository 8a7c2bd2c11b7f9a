from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from fixtures import demo_db, mixed_folder, shared  # noqa: E402,F401
