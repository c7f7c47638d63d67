"""Translation tables, one module per page; each defines EN and ZH dicts with equal keys."""
