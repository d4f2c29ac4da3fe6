package terraform

// Limits on hostile input. Each has a test that crosses it.
const (
	// MaxFileBytes is the largest .tf, .tf.json or .tfvars file read (a
	// plan may have MaxPlanBytes).
	MaxFileBytes = 16 << 20
	// MaxInstances is the largest count, or the most for_each elements, of one
	// resource or module block.
	MaxInstances = 10_000
	// MaxModuleDepth is how deep local module calls may nest.
	MaxModuleDepth = 32
	// MaxModuleInstances is how many module instances the module calls of
	// one root module, with those of its modules, may create: count and
	// for_each multiply down the tree (a module that calls itself with
	// count = 2 asks for 2^32 instances within MaxModuleDepth). A root
	// module with 10,000 module instances, each with its resources, is a
	// state far larger than Terraform users run: its plans would take
	// hours, and HashiCorp's guidance is to split states long before.
	MaxModuleInstances = 10_000
	// MaxEvaluations is how many expressions one root module may evaluate,
	// with its modules; nested dynamic blocks and module fan-out multiply.
	MaxEvaluations = 1_000_000
	// MaxForElements is how many elements the for expressions and
	// setproduct calls of one root module, with its modules, may go
	// through; a for expression nested in another counts each time it
	// runs. range() makes at most 1,024 numbers, as in Terraform. HCL
	// is slow on elements whose value is a template: a million of them
	// held a scan for many seconds, and a hostile file must not hold a
	// CI job that long.
	MaxForElements = 100_000
	// MaxPadding is the widest width or precision a format or formatlist
	// verb may ask for, and the most spaces indent may add: "%200000000s"
	// would build a 200 MB string in one call.
	MaxPadding = 10_000
	// MaxFilesetEntries is the most files and directories one fileset()
	// call may look at: fileset("/", "**") walked the whole file system.
	MaxFilesetEntries = 10_000
	// MaxNesting is how deeply brackets, templates and unary or
	// conditional operators may nest in one file or template, and
	// collections in a value: HCL's parsers recurse for each level and,
	// past some 30,000, end the program (see nesting.go); so do the
	// functions that walk values.
	MaxNesting = 5_000
	// MaxEvalDepth is how deeply evaluations may nest: the parts of an
	// expression within it, and the values it reads within it (local.a
	// reading local.b reading local.c, and so on).
	MaxEvalDepth = 1_000
	// MaxValueBytes is the largest value one template, function call or
	// decoded document may build: the bytes of its strings, and 32 for
	// each element and scalar (about what go-cty spends on one). The
	// largest file vigil reads fits. A string that doubles forty times
	// ("${local.l0}${local.l0}") would need a terabyte.
	MaxValueBytes = 16 << 20
	// MaxBuiltBytes is how much all the values the evaluation of one
	// scan builds may take, counted as MaxValueBytes counts and with the
	// bytes of each expression evaluated (whose literals evaluation
	// copies), shared by the root modules, which are evaluated in
	// parallel. Values are counted when built, even if they are soon
	// let go: what is counted bounds what is held.
	MaxBuiltBytes = 512 << 20
)

// limitCounters count what one evaluation has used of the limits of
// load.go, and which of them it has reported running out of: each limit
// is reported once per root module, where it first ran out.
type limitCounters struct {
	// evaluations counts expressions evaluated, against MaxEvaluations.
	evaluations int
	// depth is how many evaluations (eval and plainValue) are under way,
	// one inside another, against MaxEvalDepth.
	depth int
	// elements counts the elements for expressions and setproduct went
	// through, against MaxForElements.
	elements int
	// moduleInstances counts the module instances created, against
	// MaxModuleInstances.
	moduleInstances int
	// unspent counts bytes built not yet added to the tree's budget
	// (see spend); budgetSpent is set once the budget is spent.
	unspent     int64
	budgetSpent bool
	// reported holds the limits already reported.
	reported limitSet
}

// limitSet is a set of limits, one bit each.
type limitSet uint8

// The limits an evaluation reports running out of.
const (
	limitEvalDepth   limitSet = 1 << iota // MaxEvalDepth
	limitNesting                          // MaxNesting, of a value
	limitForElements                      // MaxForElements
	limitModules                          // MaxModuleInstances
	limitBuiltBytes                       // MaxBuiltBytes
)

// firstReport reports whether limit l is to be reported now: true the
// first time it runs out, false after.
func (c *limitCounters) firstReport(l limitSet) bool {
	if c.reported&l != 0 {
		return false
	}
	c.reported |= l
	return true
}
