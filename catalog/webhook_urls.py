"""Where a channel's webhooks may go: https to a public address.

A webhook is a request the server makes on a channel's behalf, so its URL is checked as a
server-side request forgery would try it: a private, loopback, link-local (cloud metadata at
169.254.169.254) or otherwise reserved address is refused, when the channel is saved (literal
addresses and local names) and again at each delivery, once DNS has been asked (a name may
resolve elsewhere by then). Development settings may allow http to loopback
(`WEBHOOK_ALLOW_HTTP_LOOPBACK`) and private targets (`WEBHOOK_ALLOW_PRIVATE_TARGETS`).
"""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

LOCAL_NAMES = ("localhost", ".localhost", ".local", ".internal", ".localdomain", ".home.arpa")


class WebhookTargetRefused(ValueError):
    pass


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def address_is_public(address) -> bool:
    return address.is_global and not address.is_multicast


def _is_loopback(host: str) -> bool:
    address = _address(host)
    return address.is_loopback if address else host == "localhost" or host.endswith(".localhost")


def webhook_url_problem(url: str) -> str | None:
    """Why `url` cannot receive webhooks, in a sentence; None when it can (as far as can be
    told without DNS)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "The webhook URL is not a valid URL."
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        return "The webhook URL needs a host name."
    if parts.username or parts.password:
        return "The webhook URL may not carry a user name or password: the signature " \
               "authenticates deliveries."
    scheme = parts.scheme.lower()
    loopback_http = settings.WEBHOOK_ALLOW_HTTP_LOOPBACK and _is_loopback(host)
    if scheme != "https" and not (scheme == "http" and loopback_http):
        return "The webhook URL must use https."
    if port == 0:
        return "The webhook URL's port must be from 1 to 65535."
    if settings.WEBHOOK_ALLOW_PRIVATE_TARGETS or loopback_http:
        return None
    address = _address(host)
    if address is not None and not address_is_public(address):
        return (f"The webhook URL points at {address}, a private, loopback, link-local or "
                "reserved address: webhooks go to public addresses only.")
    if address is None and (host in LOCAL_NAMES or host.endswith(LOCAL_NAMES) or "." not in host):
        return f"The webhook URL's host “{host[:60]}” is a local name: use a public one."
    return None


def webhook_target_resolve(url: str) -> str:
    """The address to connect to for `url`, after DNS: refused (WebhookTargetRefused) unless
    every address the name has is allowed. Connecting to the checked address, rather than
    asking DNS again, leaves no gap for the name to move to a private one."""
    if problem := webhook_url_problem(url):
        raise WebhookTargetRefused(problem)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise WebhookTargetRefused(f"The webhook host “{host[:60]}” does not resolve: {error}.")
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    allow_private = settings.WEBHOOK_ALLOW_PRIVATE_TARGETS
    for text in addresses:
        address = _address(text)
        allowed = allow_private or address_is_public(address) or (
            settings.WEBHOOK_ALLOW_HTTP_LOOPBACK and address.is_loopback and _is_loopback(host))
        if not allowed:
            raise WebhookTargetRefused(
                f"The webhook host “{host[:60]}” resolves to {address}, a private, loopback, "
                "link-local or reserved address: refused.")
    return addresses[0]
