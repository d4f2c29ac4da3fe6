package terraform

import "vigil/entity"

// The normalisation works out some attributes from several arguments, any
// of which may be unknown until apply; it combines them in three-valued
// logic. Unlike gsl's (whose unknown is a bare state and whose outcome may
// also be an error), an unknown here carries why it is unknown, which
// becomes the attribute's entity.Unknown.

// tri is a three-valued truth: false, true, or unknown with a reason.
type tri struct {
	state int8 // 0 false, 1 true, 2 unknown
	// u is what an unknown truth renders as; its Reason says why. The
	// entities that a truth reaches share it.
	u *entity.Unknown
}

func triUnknown(why string) tri { return tri{state: 2, u: entity.NewUnknown(entity.UnknownSet, why)} }

// or is Kleene's disjunction.
func (a tri) or(b tri) tri {
	switch {
	case a.state == 1 || b.state == 1:
		return triTrue
	case a.state == 2:
		return a
	case b.state == 2:
		return b
	}
	return triFalse
}

// and is Kleene's conjunction.
func (a tri) and(b tri) tri {
	switch {
	case a.state == 0 || b.state == 0:
		return triFalse
	case a.state == 2:
		return a
	case b.state == 2:
		return b
	}
	return triTrue
}

// value renders t as an entity value: a bool, or an Unknown that will be set.
func (a tri) value() any {
	if a.state == 2 {
		return a.u
	}
	return a.state == 1
}

// triOf reads a boolean argument as a truth; what names the argument in the
// reason of an Unknown.
func triOf(v any, what string) tri {
	return triOfAttr(v, what, "")
}

// triOfAttr is triOf for an argument of the resource at addr.
func triOfAttr(v any, what, addr string) tri {
	switch x := boolAttr(v, false).(type) {
	case bool:
		if x {
			return triTrue
		}
		return triFalse
	case *entity.Unknown:
		if addr != "" {
			what += " of " + addr
		}
		return triUnknown(what + " is unknown: " + x.Reason)
	}
	return triFalse
}

func not(a tri) tri {
	if a.state == 2 {
		return a
	}
	return tri{state: 1 - a.state}
}

var (
	triFalse = tri{state: 0}
	triTrue  = tri{state: 1}
)
