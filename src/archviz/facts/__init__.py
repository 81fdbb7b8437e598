"""Stage 2: figures derived from a spec (pure functions): parameters, KV cache, layer mix."""

from archviz.facts.kvcache import kv_bytes_at, kv_bytes_per_token, state_bytes, tier
from archviz.facts.params import as_published, breakdown
from archviz.facts.summary import Facts, facts

__all__ = ["Facts", "as_published", "breakdown", "facts", "kv_bytes_at", "kv_bytes_per_token", "state_bytes", "tier"]
