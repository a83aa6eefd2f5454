from . import channel, policies, product, taxonomy, translation  # noqa: F401
