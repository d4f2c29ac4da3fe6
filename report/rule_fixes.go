package report

import "vigil/rules"

// ruleFixes renders each rule's remediation once, as the report shows it
// about the rule (ruleRemediation), for the formats that write a finding's
// own fix only where it differs from its rule's.
type ruleFixes struct {
	rendered map[*rules.Rule]rules.Remediation
}

func newRuleFixes() *ruleFixes {
	return &ruleFixes{rendered: map[*rules.Rule]rules.Remediation{}}
}

// of returns the rule's remediation with its templates filled in with
// placeholders, rendering it on first use.
func (fx *ruleFixes) of(r *rules.Rule) rules.Remediation {
	rem, ok := fx.rendered[r]
	if !ok {
		rem = ruleRemediation(r)
		fx.rendered[r] = rem
	}
	return rem
}
