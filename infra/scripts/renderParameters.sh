#!/usr/bin/env bash
# Renders infra/main.parameters.json the way azd does, for `az deployment ... what-if` in CI:
#
#   1. substitutes ${NAME} and ${NAME=default} from the environment (unset: the default,
#      or empty), as azd's envsubst does;
#   2. turns string values into numbers or booleans where main.bicep declares an int or a
#      bool parameter, as azd relaxes them before deploying.
#
# Usage: renderParameters.sh <compiled main.json> <main.parameters.json>  > rendered.json
# The compiled template (az bicep build --file infra/main.bicep --outfile main.json) gives
# the parameter types. Needs perl and jq, both on GitHub's Ubuntu runners.
set -euo pipefail

template="$1"
parameters="$2"

perl -pe 's/\$\{(\w+)(?:=([^}]*))?\}/exists $ENV{$1} ? $ENV{$1} : ($2 \/\/ "")/ge' "$parameters" |
  jq --slurpfile template "$template" '
    .parameters |= with_entries(
      ($template[0].parameters[.key].type // "" | ascii_downcase) as $type
      | if ($type == "int") and (.value.value | type) == "string" then .value.value |= tonumber
        elif ($type == "bool") and (.value.value | type) == "string" then .value.value |= (. == "true")
        else . end)'
