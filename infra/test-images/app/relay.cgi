#!/bin/sh
# GET or POST /cgi-bin/relay: the same request to $API_URL/cgi-bin/rows (another service of the
# project, by its name), its answer passed back.
printf 'Content-Type: text/plain\r\n\r\n'
if [ "$REQUEST_METHOD" = POST ]; then
  value=$(head -c "${CONTENT_LENGTH:-0}")
  wget -q -T 5 -O- --post-data="$value" "$API_URL/cgi-bin/rows" 2>&1
else
  wget -q -T 5 -O- "$API_URL/cgi-bin/rows" 2>&1
fi
