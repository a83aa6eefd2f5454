"""Bearer tokens that read one channel, and the rate limit that goes with them."""
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from .models import ChannelToken
from .services import token_hash

# Writing last_used_at on every request would double the queries of a feed page.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ChannelTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>`; request.auth is the ChannelToken, with its channel."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header:
            return None
        if header[0].decode("latin-1").lower() != self.keyword.lower() or len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the channel token as “Authorization: Bearer <token>”."
            )
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        token = (
            ChannelToken.objects.select_related("channel").filter(key_hash=token_hash(raw)).first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This token has been revoked.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ChannelToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return (None, token)

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class HasChannelToken(BasePermission):
    message = "Authentication credentials were not provided: send “Authorization: Bearer <token>”."

    def has_permission(self, request, view):
        return isinstance(request.auth, ChannelToken)


class ChannelTokenRateThrottle(SimpleRateThrottle):
    """A request budget per token, counted in the cache named by API_THROTTLE_CACHE."""

    scope = "channel_token"

    def __init__(self):
        self.cache = caches[settings.API_THROTTLE_CACHE]
        super().__init__()

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ChannelToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
