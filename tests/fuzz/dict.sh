#!/bin/sh
# dict.sh — prints the libFuzzer dictionary of fuzz_http and fuzz_checkin:
# the route paths (an {id} as 1, a {key} as a word), the accounts, the
# methods, and every word the API's handlers look up (JSON keys, query
# names, codes), read from the sources so new routes and fields join it.
set -e
cd "$(dirname "$0")/../.."
{
    grep -o '"/api/v1/[^"]*"' src/api/routes.c |
        sed 's/{id}/1/g; s/{key}/isolation/g'
    echo '"/api/v1/checkin/0123456789abcdef0123456789abcdef"'
    grep -oh '"[a-z_][a-z0-9_]\{1,40\}"' src/api/*.c src/domain/*.c
    for w in GET POST PATCH PUT DELETE HEAD admin cadre_dongwang checker_1 \
             doctor_1 inspector_1 liaison_1 viewer_1 volunteer_1 assigned_1 \
             leader_shanwang text/csv application/json; do
        echo "\"$w\""
    done
} | sort -u
