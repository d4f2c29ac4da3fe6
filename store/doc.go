// Package store is vigil's history: every recorded scan, its findings and
// the lifecycle of each finding across scans, in SQLite or PostgreSQL.
//
// # Opening
//
// Open takes a DSN: "" for the SQLite file at DefaultPath
// ($XDG_DATA_HOME/vigil/history.db, else ~/.local/share/vigil/history.db on
// Linux), a file path for another SQLite file, or a postgres:// URL. SQLite
// runs in WAL mode with a busy timeout, so readers (a dashboard) never
// wait for the writer and two writers queue. Both databases share one
// schema (schema.go), brought up to date by versioned migrations applied
// in a transaction on Open and recorded in the schema_version table. The
// SQL differences between the two are few, and all in dialect.go.
//
// # Recording
//
// Record stores a run in one transaction: the run (start time, tool,
// inputs, scopes, counts), the version of each rule it evaluated (the
// rule's ID and a hash of its content, see RuleHash, with the framework
// controls it maps to), its findings with their messages, explanations,
// fixes and exclusions, its failures, and counts per framework and scope.
// A run killed in the middle of Record is absent, never partial. The texts
// stored are those of the engine's findings, which the engine has
// already redacted of sensitive values.
//
// # Lifecycle
//
// A finding's key is (rule ID, scope, entity ID): the scope is the account
// or Terraform root module, and a List<E> rule's finding, about its whole
// scope, has no entity ID (KeyOf; "vigil diff" matches findings by the same
// key). After each run, a key it judges is in one of these states:
//
//   - new: a problem (FAIL, UNKNOWN or ERROR, not excluded) for the first
//     time.
//   - open: a problem in this run and in the previous run that judged it.
//   - fixed: a problem (or excluded) in the previous run that judged it,
//     and now PASS, or absent while judged (the entity is gone or the
//     rule no longer selects it); it stays fixed while it passes or stays
//     absent.
//   - reopened: a problem again after being fixed.
//   - excluded: an exclusion or a vigil:ignore comment covers a problem.
//   - expired: a problem that was excluded in the previous run that judged
//     it, and is not any more: its exclusion expired or was removed. In
//     the next run it is open.
//
// A key that has always passed has no state (StateNone). ERROR and
// UNKNOWN count as problems: data that could not be read never fixes a
// finding. A run judges a key when it scanned the key's scope, evaluated
// its rule, the rule has no ERROR finding about the whole scope (its
// entities could not all be listed), and none of the run's failures leaves
// the key's entities possibly unlisted. A run that does not judge a key
// leaves it as it was, and stores no row for it. Every finding of a run is
// stored, with the state its key reaches; a key absent from a run that
// judged it gets a row (result Absent) only in the run that fixes it.
// Each key also keeps when it was first seen, last seen (the latest run
// with a finding for it) and since when it is in its state. Runs are
// judged in the order they are recorded.
//
// # Reading
//
// The read API answers what a dashboard shows, each with one indexed
// query:
//
//   - Overview: per framework version and scope, each run's counts, over
//     time (a summary written by Record, so it does not count findings);
//     Frameworks lists the framework versions.
//   - Findings: a run's findings filtered by result, lifecycle state,
//     severity, rule, scope, region and framework, sorted and paged in SQL,
//     with the total; FindingQuery.Changed keeps the findings whose state
//     the run changed: what changed since the run before.
//   - Finding and History: one finding with its explanation, fix and
//     exclusion, and its key's rows across runs.
//   - Runs, Run and Failures: the runs with their inputs, scopes and counts,
//     and a run's failures; ResolveRun reads "LATEST", "LATEST~N" or an id.
//   - EngineFindings: a run's findings as engine findings, for "vigil diff".
//
// Prune deletes runs by count or age.
package store
