#!/bin/sh
# Entry point of berth-test/registry:2, as the official image's: a config file means
# `registry serve FILE`; registry subcommands and options go to `registry`; else run as given.
set -e
case "${1:-}" in
  *.yaml | *.yml) set -- registry serve "$@" ;;
  serve | garbage-collect | help | -*) set -- registry "$@" ;;
esac
exec "$@"
