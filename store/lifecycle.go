package store

import "vigil/engine"

// State is where a finding key stands after a run: see the package
// documentation for when each applies.
type State string

// The lifecycle states. StateNone is the state of a key that has never
// been a problem (it has always passed).
const (
	StateNone     State = ""
	StateNew      State = "new"
	StateOpen     State = "open"
	StateFixed    State = "fixed"
	StateReopened State = "reopened"
	StateExcluded State = "excluded"
	StateExpired  State = "expired"
)

// States lists the lifecycle states a key can be in once it has been a
// problem, in the order a reader meets them.
var States = []State{StateNew, StateOpen, StateReopened, StateExcluded, StateExpired, StateFixed}

// Absent is the result stored for a key that had no finding in a run that
// judged it (see observation): the entity is gone, or the rule no longer
// selects it. Such a row is stored only when it fixes the key.
const Absent engine.Result = "ABSENT"

// observation is what one run says about one key.
type observation int

const (
	// notJudged: the run did not judge the key (its scope was not
	// scanned, its rule did not run, or the scope's entities could not be
	// listed). The key keeps its state and gets no row.
	notJudged observation = iota
	// absent: the run judged the key and had no finding for it.
	absent
	// clean: the finding is PASS, or EXCLUDED with PASS underneath.
	clean
	// problem: the finding is FAIL, UNKNOWN or ERROR, not excluded.
	problem
	// excludedProblem: the finding is EXCLUDED with FAIL, UNKNOWN or
	// ERROR underneath.
	excludedProblem
)

// observe classifies a finding of a run.
func observe(f *engine.Finding) observation {
	r := f.Result
	if r == engine.Excluded {
		if f.Underlying == engine.Pass {
			return clean
		}
		return excludedProblem
	}
	if r == engine.Pass || r == engine.NotRelevant {
		return clean
	}
	return problem
}

// isProblem reports whether a key in this state is a problem not yet
// fixed (excluded ones included).
func (s State) isProblem() bool {
	return s != StateNone && s != StateFixed
}

// isNews reports whether a key's going from before to after is news for a
// reader of what changed since the previous run: a change of state, other
// than to open (a new, reopened or expired finding that is still a problem
// is no news the second time).
func isNews(before, after State) bool {
	return after != before && after != StateOpen
}

// next is the key's state after a run that observed obs, given its state
// before; record says whether the run stores a row for the key: every
// finding of the run is stored, and an absent key only when its absence
// fixes it.
func next(before State, obs observation) (after State, record bool) {
	switch obs {
	case notJudged:
		return before, false
	case absent:
		if before.isProblem() {
			return StateFixed, true
		}
		return before, false
	case clean:
		if before.isProblem() {
			return StateFixed, true
		}
		return before, true
	case excludedProblem:
		return StateExcluded, true
	}
	// A problem, not excluded.
	switch before {
	case StateNone:
		return StateNew, true
	case StateFixed:
		return StateReopened, true
	case StateExcluded:
		return StateExpired, true
	}
	return StateOpen, true
}
