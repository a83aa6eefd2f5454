#!/usr/bin/env bash
# Schema-driven fuzzing of the syndication API: schemathesis generates requests from our own
# OpenAPI document and sends them to a real server on loopback; any 5xx fails the run.
#
#   tests/api/fuzz.sh                 # 200 examples per operation, all checks
#   FUZZ_EXAMPLES=50 tests/api/fuzz.sh
#
# It uses a throw-away SQLite database (or FUZZ_DATABASE_URL) seeded with published
# products, and exits non-zero when schemathesis finds a failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-.venv/bin/python}
PORT=${FUZZ_PORT:-8766}
WORK=$(mktemp -d)
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

export DJANGO_SETTINGS_MODULE=pim.settings.local DJANGO_DEBUG=false
export DATABASE_URL=${FUZZ_DATABASE_URL:-sqlite:///$WORK/fuzz.sqlite3}
# Throttles have their own tests; here they would answer 429 where the logic is under test
# (the channel token is a wrong token for the partner writes, every call of which counts).
export API_RATE_LIMIT=1000000/minute API_BAD_TOKEN_LIMIT=1000000/minute

"$PYTHON" manage.py migrate --verbosity 0
TOKEN=$("$PYTHON" manage.py shell -c '
from django.db import transaction
from api.services import channel_token_create
from catalog.models import Channel
from catalog.services.publishing import snapshots_publish
from tests import factories
channel = factories.ChannelFactory(code="webshop", locales=["en", "fr"], renditions=[])
factories.ChannelFactory(code="marketplace", locales=["en"], renditions=[])
root = factories.CategoryFactory(name_en="Women", name_fr="Femme", slug="women")
leaf = factories.CategoryFactory(parent=root, name_en="Dresses", slug="dresses")
for n in range(5):
    product = factories.ProductFactory(category=leaf)
    colour = factories.ColourFactory(product=product)
    factories.VariantFactory(colour=colour)
    with transaction.atomic():
        snapshots_publish(product=product, channels=[channel])
print("TOKEN", channel_token_create(channel=channel, name="fuzz").raw)
' | sed -n 's/^TOKEN //p')

"$PYTHON" -m gunicorn pim.wsgi -b "127.0.0.1:$PORT" -w 2 --log-level warning &
SERVER=$!
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$PORT/api/v1/schema/" >/dev/null && break
  sleep 0.2
done

# Every response check runs (no 5xx, documented status codes, response schemas, headers)
# except the data-acceptance pair: whether a request is valid depends on data the schema cannot
# state (the channel's own locales, check digits, cursors this API issued), and empty query
# values deliberately mean the default.
# The partner writes (ratings PUT, stock POST) take partner tokens, not this channel token:
# here they could only answer 401, and they have their own contract tests.
# Two passes: every parameter generated, then the channel fixed to the token's own so that
# generated locales, cursors, dates, page sizes, style codes and GTINs reach the views.
printf '[parameters]\n"path.channel" = "webshop"\n' > "$WORK/own-channel.toml"
for CONFIG in "" "--config-file=$WORK/own-channel.toml"; do
"$(dirname "$PYTHON")/schemathesis" $CONFIG run "http://127.0.0.1:$PORT/api/v1/schema/" \
  --url "http://127.0.0.1:$PORT" \
  -H "Authorization: Bearer $TOKEN" \
  --checks all \
  --exclude-method-regex '^(POST|PUT)$' \
  --exclude-checks positive_data_acceptance,negative_data_rejection \
  --max-examples "${FUZZ_EXAMPLES:-200}" \
  --seed "${FUZZ_SEED:-5}" \
  --workers 2
done
