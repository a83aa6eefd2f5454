"""Admin pieces shared by the apps."""


class ReadOnlyAdminMixin:
    """Records the system writes (stock from the stores, webhook deliveries, jobs, scores):
    the admin shows them and offers no add, change or delete. Works on model admins and
    inlines alike."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
