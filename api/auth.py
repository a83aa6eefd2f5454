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
        guesses = BadTokenThrottle()
        guesses.refuse_if_exhausted(request)
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raw = None
        token = raw and self.token_for(token_hash(raw))
        if not token:
            guesses.record_failure(request)
            raise exceptions.AuthenticationFailed(self.invalid_message(raw))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This token has been revoked.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            type(token).objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return (None, token)

    def token_for(self, key_hash: str):
        """The token with this hash, or None (subclasses authenticate other token kinds)."""
        # Unique hash: no ORDER BY (`first()` would sort by the model's ordering, a join).
        return next(iter(ChannelToken.objects.select_related("channel")
                         .filter(key_hash=key_hash).order_by()[:1]), None)

    def invalid_message(self, raw: str | None) -> str:
        return "Invalid token."

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

    def headers(self) -> dict[str, str]:
        """The budget as RateLimit headers (IETF draft), once `allow_request` has run."""
        history = getattr(self, "history", None)
        if history is None or not self.rate:
            return {}
        remaining = max(self.num_requests - len(history), 0)
        reset = int(max(history[-1] + self.duration - self.now, 0)) + 1 if history else 0
        return {
            "RateLimit-Limit": str(self.num_requests),
            "RateLimit-Remaining": str(remaining),
            "RateLimit-Reset": str(min(reset, int(self.duration))),
            "RateLimit-Policy": f"{self.num_requests};w={int(self.duration)}",
        }


class BadTokenThrottle(SimpleRateThrottle):
    """Wrong tokens per client address: past the budget, every request gets 429 for a while.

    Only failures count, so a client with a good token is never slowed by this budget.
    """

    scope = "bad_token"

    def __init__(self):
        self.cache = caches[settings.API_THROTTLE_CACHE]
        super().__init__()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def refuse_if_exhausted(self, request) -> None:
        self.key = self.get_cache_key(request, None)
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]
        if len(self.history) >= self.num_requests:
            raise exceptions.Throttled(self.wait(), detail=(
                "Too many requests with a wrong token from this address: wait before trying "
                "again."))

    def record_failure(self, request) -> None:
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)
