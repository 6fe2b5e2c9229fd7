#!/usr/bin/env bash
# Runs only the given test files (the default config runs every test).
exec npx mocha --no-config --node-option import=tsx --timeout 60000 "$@"
