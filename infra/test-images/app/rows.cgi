#!/bin/sh
# GET /cgi-bin/rows: the rows of table `rows` in $DATABASE_URL (one per line).
# POST /cgi-bin/rows with a value as the body: insert it first. The value reaches psql as a
# variable (:'v'), never as SQL text.
printf 'Content-Type: text/plain\r\n\r\n'
export PGOPTIONS='-c client_min_messages=warning'
psql "$DATABASE_URL" -qtAc 'CREATE TABLE IF NOT EXISTS rows (v text)' 2>&1 || exit 0
if [ "$REQUEST_METHOD" = POST ]; then
  value=$(head -c "${CONTENT_LENGTH:-0}")
  printf 'INSERT INTO rows VALUES (:%s)\n' "'v'" | psql "$DATABASE_URL" -qtA -v v="$value" 2>&1
fi
psql "$DATABASE_URL" -qtAc 'SELECT v FROM rows ORDER BY v' 2>&1
