"""The domain engine: pure Python over pandas, numpy and pyarrow. Never imports Textual."""
