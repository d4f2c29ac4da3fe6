# findings-key.jq: one line per finding of a vigil JSON report (version 1
# or 2) with what must not change between versions of the writer: rule,
# scope, entity, results, location, message, explanation, related
# entities, exclusion and the fix as a reader gets it (version 2 leaves a
# finding's remediation out when it is its rule's). Compare two reports:
#
#   diff <(jq -c -f report/findings-key.jq before.json) <(jq -c -f report/findings-key.jq after.json)
(reduce .rules[] as $r ({}; .[$r.id] = $r.remediation)) as $fix
| .findings[]
| [.rule_id, .severity, .result, .underlying_result, .scope, .entity, .message, .explanation,
   (.related // []), .exclusion, (.remediation // $fix[.rule_id])]
