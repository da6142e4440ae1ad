#!/bin/sh
# Install Microsoft's SARIF validator (@microsoft/sarif-multitool, from the npm registry)
# into a known directory and print the path of its executable.
#
# The tests (tests/sarif_validator.py) look for it in the same place, so CI runs this
# once before pytest. npm's install-scripts policy may block the package's postinstall
# step (`chmod u+x Sarif.Multitool`), so we make the binary executable ourselves.
#
# Usage: scripts/install-sarif-validator.sh            # default directory
#        DIGESTLINT_SARIF_DIR=/some/dir scripts/install-sarif-validator.sh
set -eu

VERSION="${SARIF_MULTITOOL_VERSION:-5.7.0}"
DIR="${DIGESTLINT_SARIF_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/digestlint/sarif-multitool}"

case "$(uname -s)" in
    Linux) PLATFORM=linux ;;
    Darwin) PLATFORM=darwin ;;
    *) echo "install-sarif-validator: unsupported platform $(uname -s)" >&2; exit 1 ;;
esac
BINARY="$DIR/node_modules/@microsoft/sarif-multitool-$PLATFORM/Sarif.Multitool"

if [ ! -f "$BINARY" ]; then
    command -v npm >/dev/null 2>&1 || { echo "install-sarif-validator: npm not found" >&2; exit 1; }
    mkdir -p "$DIR"
    npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error \
        "@microsoft/sarif-multitool@$VERSION" >&2
fi
chmod u+x "$BINARY"
echo "$BINARY"
