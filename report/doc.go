// Package report renders the findings of a scan (an engine.Run) for people
// and for other tools.
//
// Each format lives in its own file, implements Writer and registers under
// its name; Lookup finds a writer and Formats lists them. Writers read only
// the run and Options: output is deterministic for a given run (the time
// shown is Run.Started, never the clock; nothing depends on map order).
// Adding a format means adding one file.
//
// A string from the scanned input is shown up to entity.MaxShown (256)
// characters in every format: entity IDs and names, exclusion reasons, and
// the values in messages and traces (which the engine's explanations cut
// already) are cut there, never inside a UTF-8 sequence, and followed by
// their full length: 'aaaa…' (1048576 bytes). A megabyte-long name is not
// repeated in every finding about its entity. Fingerprints (SARIF
// partialFingerprints) are computed on the whole ID.
//
// A finding's message says in plain words what is wrong (engine.Finding.
// Message); every format shows it as the finding's message and keeps the
// one-line GSL explanation it was written from (Explanation) for those who
// want it: json and csv in a field of their own, sarif in the result's
// properties, html and junit beside the message, text with Options.Explain.
// The full trace (Trace) is most of a finding's size: html and junit show
// it, text, json and sarif only with Options.Explain, csv never.
// The entities a List<E> finding's message names (Finding.Related, the
// trails that came closest) are listed, code with its file and line, in
// every format but csv and the compact text layout. The fix of a finding is
// the engine's (Finding.Remediation: for an ERROR, how to restore the
// data); a rule's own texts, which are about no one entity, are shown with
// their templates filled in with placeholders ("<region>"), never raw.
//
// Every format lists the run's failures (engine.Run.Failures): data a
// source could not collect, and input files that could not be read or
// parsed, each file once whatever the number of entity types and scopes
// the inventory recorded it for. A report with input failures is
// incomplete and says so: what those files declare was not checked, and the
// text, compliance and HTML formats say it next to their summary; the
// compliance scores cover only what was read.
//
//	text        for people, in the manner of Trivy's and Checkov's output
//	            (see below). ANSI colour only when Options.Color; text
//	            from the scanned account has its control characters
//	            escaped, so a hostile resource name cannot drive the
//	            terminal, and is capped at 2,000 characters.
//	compliance  the compliance view alone, as text (see below).
//	json        a versioned document, {"vigil_report": 2, ...}, described
//	            field by field in SCHEMA.md: each rule's metadata and
//	            remediation once, in its rules list; each finding on a line
//	            of its own, with a remediation only where it differs from
//	            its rule's (the fix names its entity, or restores data).
//	sarif       SARIF 2.1.0, valid against the OASIS schema.
//	junit       JUnit XML in the Jenkins/Surefire shape.
//	csv         one row per finding under a fixed header.
//	html        one self-contained HTML file with inline CSS and JavaScript,
//	            no network access needed; findings grouped by rule, each
//	            with its message, the resources it names, the GSL
//	            explanation and trace, and its fix; filterable by result
//	            and text. A rule's group of more than 50 findings starts
//	            collapsed (a search opens the groups it finds rows in), so
//	            that a browser opens a report of 10,000 findings.
//
// # Text
//
// The findings that need attention (all of them with Options.ShowPass),
// the most severe first, then the summary: the findings per result and
// severity, and a score (the share of rules that pass) or the framework's
// controls. The rules that had nothing to check are counted in the
// summary, and listed with ShowPass; expired exclusions and failures are
// always listed. No line is wider than Options.Width terminal columns (wide
// characters count two): text is wrapped at spaces, or inside a word
// longer than the width; code lines are cut, with "…".
//
// The default layout groups the findings by what they are about, the group
// with the most severe finding first: a resource, with its file and line
// and the first lines of its block when it is Terraform (Options.Code reads
// them: NewCodeReader reads only the scanned inputs, regular .tf files of
// at most 16 MiB, and redacts sensitive values), or its account and region
// when it is live; or the account or root module of a List<E> rule. Each
// finding shows its severity, result, rule ID and title, its message, where
// the resources the message names are ("at main.tf:14
// (aws_cloudtrail.app_debug)", for those in a file, each once in a group),
// its fix when it fits on one line (for an ERROR, how to restore the data:
// the IAM action to allow, the region to enable, the file to repair) and a
// link: the rule's first web reference, or "vigil rules show ID". With
// Options.Explain ("vigil scan --explain") each finding also shows the GSL
// explanation and trace its message was written from, and has its own
// message, not shared with others of its family. Fixes of more lines are
// left to the formats with room for them (html, json, sarif). The findings
// of one group that share result, category and link form a family, written
// once: each one's headline (its title cut to one line), the messages, the
// fix and the link. A message follows the headlines it is the message of:
// consecutive findings whose messages are equal, or differ only in a few
// words in the middle (the event each rule watches), share one, with "…"
// for those words.
//
// The compact layout (Options.Compact) is a table in 80 columns (fewer
// when the width is less): a row of severity, result, rule, resource and
// location per finding, and its message cut to one line below it (with
// Options.Explain, the explanation and trace wrapped under that). A
// framework's compliance table wider than the width gives way to a line
// per control.
//
// # Compliance view
//
// Options.Framework ("CIS AWS Foundations v3.0.0") restricts every format
// to the rules mapped to that framework version and makes text, json and
// html show its controls: for each control the rules mapped to it, their
// result counts, and a status, the most severe of its findings:
//
//	FAIL            at least one finding failed
//	ERROR           no failure, but at least one ERROR
//	UNKNOWN         no failure or error, but at least one UNKNOWN
//	PASS            every counted finding passed, and there was one
//	EXCLUDED        every finding was excluded
//	NOT_APPLICABLE  the control's rules had nothing to check
//
// The score is passing controls divided by evaluated controls. Controls
// with an ERROR or UNKNOWN status are evaluated but never passing: data
// that could not be collected or decided lowers the score, it is never
// read as compliance. EXCLUDED and NOT_APPLICABLE controls are not
// evaluated; an excluded finding counts neither for nor against its
// control. With no evaluated control there is no score ("n/a", JSON null).
// A framework name that no rule in the run maps to is an error, so a typo
// cannot produce an empty, clean-looking report.
//
// # SARIF
//
// tool.driver.rules holds every reported rule with its title, description,
// help (description, rationale, GSL logic, remediation with placeholders;
// as text and Markdown), a default level, and properties: severity,
// security-severity (GitHub's score: Critical 9.5, High 8.0, Medium 5.5,
// Low 3.0, Informational 0.0), frameworks ("CIS AWS Foundations v3.0.0
// 3.1"), category, entity type and logic. Results and their levels:
//
//	FAIL      Critical, High -> error; Medium, Low -> warning;
//	          Informational -> note
//	UNKNOWN   warning (the value that decides is unknown before apply;
//	          it may hide a failure)
//	ERROR     warning (the data could not be collected or evaluated)
//	EXCLUDED  the level of its underlying result, with a suppression:
//	          kind "inSource" for a vigil:ignore comment, "external" for an
//	          exclusions file; status "accepted"; the reason as
//	          justification
//	PASS      not emitted (nor an excluded PASS)
//
// A result's message is the rule's title, the entity or scope and the
// finding's message; a non-FAIL result's starts with "[UNKNOWN]" or
// "[ERROR]", and an ERROR's ends with how to restore the data.
// properties.result and properties.underlyingResult carry vigil's result,
// properties.explanation the GSL explanation, and with Options.Explain
// properties.trace its trace. Each result is written on a line of its own.
//
// Every finding whose entity has a file has a physicalLocation with the
// file and a region (startLine, startColumn, endLine); a finding on a plan
// points into the plan file. A file under Options.SourceRoot (where vigil
// ran) has a URI relative to it with uriBaseId "%SRCROOT%", which
// run.originalUriBaseIds maps to that directory's file URI (or only
// describes, without a SourceRoot); a file elsewhere has its absolute file
// URI. A finding of a List<E> rule is placed at the first entity its
// message names that has a file (Finding.Related), and relatedLocations
// list every entity it names (numbered from 1, each with its ID as
// message, at its file region or, live, its logical location). A finding
// on a root module that names no entity with a file is placed at the
// module's first entity of the rule's type (in file and line order), or at
// the module's directory when it declares none, so that code scanning can
// show it. Logical locations name the entity (kind "resource": the
// Terraform address, or the ARN), a live entity's region ("namespace",
// account/region) and the scope (an account is a "namespace", a root
// module a "module"). A live resource has no physical location, and
// GitHub code scanning rejects results without one: upload the SARIF of
// code scans there, not of live accounts. partialFingerprints carries a hash of rule, scope
// and entity that is stable across scans. Failures and expired exclusions
// are tool execution notifications (level error for a failure, with the
// file and region of a failed input); an input that could not be read or
// parsed makes invocations[0].executionSuccessful false.
//
// # JUnit
//
// One testsuite per rule that has findings (properties: title, severity,
// category, one "framework" per mapping), one testcase per entity or scope
// (classname = rule ID, name = entity ID or scope). FAIL is <failure>,
// ERROR is <error> (both with the message as their message, and as text
// the rule, entity, location, message, GSL explanation and trace, the
// entities the message names, and the fix: for an ERROR, how to restore
// the data);
// UNKNOWN and EXCLUDED are <skipped> with the result and reason in its
// message: CI does not fail on them, but shows them. PASS is an empty
// testcase. Times are "0": vigil does not time rules one by one. A last
// testsuite, "vigil inputs", has a testcase per input file that could not
// be read or parsed (name: file:line:col), each an <error> of type "parse"
// or "read".
//
// # CSV
//
// One row per finding, PASS included, in the run's order (rule ID, scope,
// entity ID), under this header; columns are only ever appended:
//
//	rule_id, rule_title, severity, result, underlying_result, entity_type,
//	entity_id, entity_name, scope, region, file, start_line, start_col,
//	end_line, message, exclusion_reason, exclusion_expires (YYYY-MM-DD),
//	exclusion_source, frameworks ("; "-separated), explanation (the GSL
//	explanation the message is written from)
//
// Each input file that could not be read or parsed follows as a row with no
// rule: result ERROR, entity_type what it leaves incomplete ("aws_cloudtrail;
// CloudTrail"), scope the root modules it belongs to, file, start_line and
// start_col where its error is, and the error as message.
//
// A cell that starts with = + - @ tab or carriage return gets a leading
// apostrophe so that spreadsheets do not run it as a formula (entity names
// come from the scanned account and can be hostile).
package report
