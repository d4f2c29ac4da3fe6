package store

import (
	"database/sql"
	"encoding/json"
)

// scanFindingDetail reads a row of findingColumns followed by the detail
// columns of Store.Finding.
func scanFindingDetail(rows *sql.Rows) (Finding, error) {
	var s findingScan
	var expires int64
	var trace, unknowns, related string
	d := &Detail{}
	x := Exclusion{}
	dest := append(s.dest(), &d.Explanation, &trace, &unknowns, &related, &d.Fix.Console, &d.Fix.CLI, &d.Fix.Terraform,
		&x.Reason, &expires, &x.Source)
	if err := rows.Scan(dest...); err != nil {
		return Finding{}, err
	}
	f := s.finding()
	for _, p := range []struct {
		text string
		into any
	}{{trace, &d.Trace}, {unknowns, &d.Unknowns}, {related, &d.Related}} {
		if err := json.Unmarshal([]byte(p.text), p.into); err != nil {
			return f, err
		}
	}
	if x.Reason != "" || x.Source != "" {
		x.Expires = expires
		d.Exclusion = &x
	}
	f.Detail = d
	return f, nil
}
