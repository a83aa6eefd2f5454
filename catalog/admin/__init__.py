from . import channel, policies, product, taxonomy  # noqa: F401
