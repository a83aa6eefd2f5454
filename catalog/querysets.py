from django.db import models


class ProductQuerySet(models.QuerySet):
    def for_admin_list(self):
        return self.select_related("brand", "season", "category")
