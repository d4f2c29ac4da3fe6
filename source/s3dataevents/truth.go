package s3dataevents

import "vigil/entity"

// truth is a three-valued truth: false, true, or unknown with the reason.
type truth struct {
	state int8
	why   string
}

// The states of a truth.
const (
	stateFalse int8 = iota
	stateTrue
	stateUnknown
)

var (
	false_ = truth{state: stateFalse}
	true_  = truth{state: stateTrue}
)

func unknown(why string) truth { return truth{state: stateUnknown, why: why} }

func truthOf(b bool) truth {
	if b {
		return true_
	}
	return false_
}

// or is Kleene's disjunction: true wins over unknown.
func (a truth) or(b truth) truth {
	switch {
	case a.state == stateTrue || b.state == stateTrue:
		return true_
	case a.state == stateUnknown:
		return a
	case b.state == stateUnknown:
		return b
	}
	return false_
}

// and is Kleene's conjunction: false wins over unknown.
func (a truth) and(b truth) truth {
	switch {
	case a.state == stateFalse || b.state == stateFalse:
		return false_
	case a.state == stateUnknown:
		return a
	case b.state == stateUnknown:
		return b
	}
	return true_
}

// value renders the truth as an entity value: a bool, or an Unknown that
// will be set once known.
func (a truth) value() any {
	if a.state == stateUnknown {
		return entity.NewUnknown(entity.UnknownSet, a.why)
	}
	return a.state == stateTrue
}
