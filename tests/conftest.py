from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from fixtures import demo_db, mixed_folder, new_store_location, postgres_server, shared, store_db  # noqa: E402,F401
