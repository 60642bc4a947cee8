#!/usr/bin/env bash
# Regenerate assets/THIRD-PARTY-LICENSES.txt, the licenses of the crates
# bundled in the program, which Help › About shows and the .deb installs.
# Needs cargo-about (kept out of CI):
#   cargo install --locked cargo-about --features cli
set -euo pipefail
cd "$(dirname "$0")/.."
cargo about generate --locked \
    --config packaging/about.toml \
    --output-file assets/THIRD-PARTY-LICENSES.txt \
    packaging/about.hbs
echo "wrote assets/THIRD-PARTY-LICENSES.txt"
