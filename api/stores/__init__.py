"""Partner systems and store screens: tokens that write live data (ratings, store stock),
the stock and availability endpoints, and the store-screen page (DOMAIN sections 7, 12, 13).
"""
