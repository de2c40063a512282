#!/bin/sh
# Re-signs the bundled region profiles with the TEST AND DEMO keys in this
# folder, then checks each region. See README.md here.
#
#   regions/keys/test/resign.sh                     every region with a profile.body.json
#   regions/keys/test/resign.sh 653101              one region
#   VERSION=2 EXPIRES=2028-06-30 regions/keys/test/resign.sh
#   regions/keys/test/resign.sh --trust-lists       also sign fresh trust-list.json files
#
# VERSION (default 1) must go up whenever a body changes: an app that took
# version N refuses other bytes at version N. PALMGOV names a built palmgov
# binary to use instead of `cargo run`.
set -eu

cd "$(dirname "$0")/../../.."
keys=regions/keys/test
version=${VERSION:-1}
expires=${EXPIRES:-2027-12-31}

trust_lists=no
if [ "${1:-}" = "--trust-lists" ]; then
    trust_lists=yes
    shift
fi

palmgov() {
    if [ -n "${PALMGOV:-}" ]; then
        "$PALMGOV" "$@"
    else
        cargo run -q -p palmgov-cli -- "$@"
    fi
}

if [ $# -eq 0 ]; then
    set -- $(for body in regions/*/profile.body.json; do basename "$(dirname "$body")"; done)
fi

for code in "$@"; do
    dir=regions/$code
    palmgov region root \
        --key $keys/region-root-1.json --key $keys/region-root-2.json --key $keys/region-root-3.json \
        --threshold 2 --out "$dir/profile-root.json"
    palmgov region sign --body "$dir/profile.body.json" --version "$version" --expires "$expires" \
        --key $keys/region-root-1.json --key $keys/region-root-2.json \
        --root "$dir/profile-root.json" --out "$dir/profile.json"
    if [ "$trust_lists" = yes ] || [ ! -f "$dir/trust-list.json" ]; then
        palmgov region test-trust-list --body "$dir/profile.body.json" --expires "$expires" \
            --out "$dir/trust-list.json"
    fi
    palmgov region check "$dir"
done
