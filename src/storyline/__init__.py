"""storyline: ingest multi-source news, group it into stories, compare the sources."""
from __future__ import annotations

from .api import load_article, load_articles, story_data
from .coverage import blindspot_stories, import_outlets, outlet_data, outlets_data, story_coverage
from .errors import ArticleTooLarge, NotFound, StorylineError, StoreError, UnreadableInput, UnsupportedFormat
from .model import Article
from .pipeline import IngestReport, ingest
from .readers import ReaderOptions, read_path
from .similarity import Similarity, similarity
from .stories import StoryEngine, StreamingClusterer, cluster_articles, cluster_store
from .store import open_store

__version__ = "0.1.0"
__all__ = [
    "Article", "ArticleTooLarge", "IngestReport", "NotFound", "ReaderOptions", "Similarity", "StoreError",
    "StoryEngine", "StorylineError", "StreamingClusterer", "UnreadableInput", "UnsupportedFormat", "cluster_articles", "cluster_store",
    "ingest", "load_article", "load_articles", "open_store", "read_path", "similarity", "story_data",
    "blindspot_stories", "import_outlets", "outlet_data", "outlets_data", "story_coverage",
]
