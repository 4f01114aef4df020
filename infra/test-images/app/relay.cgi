#!/bin/sh
# GET or POST /cgi-bin/relay: the same request to $API_URL/cgi-bin/rows (another service of the
# project, by its name), its answer passed back. (timeout(1), not wget -T: busybox 1.35 crashes on -T.)
printf 'Content-Type: text/plain\r\n\r\n'
if [ "$REQUEST_METHOD" = POST ]; then
  value=$(head -c "${CONTENT_LENGTH:-0}")
  timeout 5 wget -q -O- --post-data="$value" "$API_URL/cgi-bin/rows" 2>&1
else
  timeout 5 wget -q -O- "$API_URL/cgi-bin/rows" 2>&1
fi
