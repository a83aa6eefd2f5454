"""Bearer authentication of partner systems and enrolled screens, as for channel tokens."""
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from api.auth import ChannelTokenAuthentication
from api.models import ChannelToken
from api.services import token_hash

from .models import PartnerToken, ScreenToken


class PartnerTokenAuthentication(ChannelTokenAuthentication):
    """`Authorization: Bearer <token>` of a reviews or store token; request.auth is the token."""

    def token_for(self, key_hash):
        return PartnerToken.objects.select_related("store__channel").filter(
            key_hash=key_hash).first()

    def invalid_message(self, raw):
        # A channel token is a real credential, but it only reads: say so rather than "invalid".
        if raw and ChannelToken.objects.filter(key_hash=token_hash(raw)).exists():
            return ("A channel token reads a channel; this write needs a partner token "
                    "(a reviews token for ratings, a store token for stock).")
        return "Invalid token."


class ScreenTokenAuthentication(ChannelTokenAuthentication):
    def token_for(self, key_hash):
        return ScreenToken.objects.select_related("store__channel").filter(
            key_hash=key_hash).first()

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed as error:
            # The page shows "no longer enrolled" for a revoked token, "not enrolled" otherwise.
            revoked = "revoked" in str(error.detail)
            raise exceptions.AuthenticationFailed(
                "This screen is no longer enrolled: its token has been revoked." if revoked
                else str(error.detail), code="screen_revoked" if revoked else "screen_not_enrolled",
            ) from None


class IsPartner(BasePermission):
    """A partner token of the view's `partner_kind`; another kind is refused with 403."""

    message = "Authentication credentials were not provided: send “Authorization: Bearer <token>”."

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, PartnerToken):
            return False
        if token.kind != view.partner_kind:
            raise exceptions.PermissionDenied(
                f"This is a {token.get_kind_display().split(':')[0].lower()} token: it may not "
                f"write {view.partner_writes}.", code="wrong_token_kind")
        return True


class IsScreen(BasePermission):
    message = "This screen is not enrolled: open its enrolment link once on this device."

    def has_permission(self, request, view):
        return isinstance(request.auth, ScreenToken)
