// Package terraform reads Terraform as an input to vigil: a directory tree of
// .tf and .tf.json files, or the JSON of a plan ("terraform show -json").
//
// Every managed resource becomes a native entity whose type is the resource
// type and whose attributes keep Terraform's argument names; nested blocks are
// lists of objects. Data sources are read so that references to them resolve,
// but they are not entities: a rule on aws_cloudwatch_log_group is about log
// groups the code creates, not ones it looks up.
//
// Resources that make up one thing a live account lists also yield a
// normalised entity of the type rules about live accounts name, with the
// same fields. Each normalised type has one mapping file that registers
// it (see mapping.go): the resource types that give one entity each, the
// resource types it joins to them and the fields they feed, the provider's
// defaults for the arguments it reads, and a build function. The rest of
// the package asks that registry which resources to read for the wanted
// types and which failures a resource that could not be read implies, so
// that adding an entity type is one mapping file. The mappings:
//
//   - cloudtrail.go: each aws_cloudtrail gives a CloudTrail (gsl-spec.md
//     §6), built by following references: trail → log group → metric
//     filters → alarms (by metric name and namespace) → SNS topics →
//     subscriptions.
//   - iam_account.go: an aws_iam_account_password_policy gives the Iam
//     entity, its password policy from the arguments with the provider's
//     and IAM's defaults.
//   - iam_user.go: each aws_iam_user gives an IamUser, folding in its
//     login profile, access keys (the first two by address), policy
//     attachments, inline policies, group memberships and the groups'
//     policies.
//   - iam_policy.go: each aws_iam_policy gives an IamPolicy, its document
//     decoded and the users, groups and roles attached to it.
//   - iam_role.go: each aws_iam_role gives an IamRole, with its trust
//     policy, managed policies (managed_policy_arns and attachments) and
//     inline policies.
//
// Joining resources name what they join by reference (user =
// aws_iam_user.x.name) or by an equal known name or ARN; one whose target
// is unknown (a variable without a value) makes every list it may belong
// to Unknown, never silently short. What the configuration does not
// declare, or what is known only after apply, is an entity.Unknown with a
// reason, never a guess; a field the catalogue marks liveOnly: unknown is
// filled with an Unknown naming the calls that read it (liveonly.go).
//
// Decisions in the chain: a declared aws_sns_topic_subscription counts as
// confirmed when its protocol needs no confirmation (sqs, lambda, firehose,
// application, sms, or http/https with endpoint_auto_confirms); an email
// subscription waits for its recipient, so the topic's confirmedSubscriptions
// is Unknown and, with no other subscriber, so is hasSNSSubscriber. For a log
// group the configuration declares, its metric filters and alarms are those
// the configuration declares; a log group it only looks up (data source,
// literal ARN of an undeclared group, unknown variable) has Unknown metric
// filters, and an alarm action on an undeclared topic has Unknown
// subscriptions.
//
// HCL loading evaluates variables (defaults, terraform.tfvars, *.auto.tfvars,
// --var-file, --var, TF_VAR_*), locals, local child modules, count, for_each,
// dynamic blocks, conditionals and the Terraform functions that go-cty and
// go-cty-funcs provide. A function vigil lacks yields Unknown, not an error.
//
// Modules from a registry, git or any other source that is not a local
// directory are read where terraform init installed them: the root
// module's .terraform/modules/modules.json gives, for each call path (its
// Key, "audit.alarms" for the call "alarms" of the module the root calls
// "audit"), the directory (Dir) it lies in, which must lie within the root
// module's directory once links are resolved. Since the key depends on the
// root module, installed modules are resolved per root module (see
// installed.go). vigil downloads nothing: a module that is not installed
// is a warning saying to run terraform init, its outputs are Unknown and
// its resources are not checked.
//
// A reference to what a module does not declare (a resource, a data
// source, a variable, a local value, a module call), common in fixtures
// and partial modules, is a warning, once per name at its first reference,
// and its value is Unknown, so that rules give UNKNOWN, never PASS;
// Options.Strict makes it an error.
//
// A computed attribute that the AWS provider documents as equal to an
// argument reads that argument, when the configuration sets it: the id of
// aws_cloudwatch_log_metric_filter and aws_cloudwatch_log_group is their
// name, that of aws_cloudwatch_metric_alarm its alarm_name (see
// sameAsArgument), so that an alarm whose metric_name is a filter's id is a
// known chain. The json and minified_json of an aws_iam_policy_document
// data source, which the provider computes from its arguments alone, are
// computed as the provider writes them (policy_document.go), so that
// policy = data.aws_iam_policy_document.x.json is a known document unless
// it is built from values known only after apply. Other computed
// attributes are Unknown; arn and id will be set. A plan does not say how an attribute known after apply is computed
// (its configuration lists only the references), so there they stay
// Unknown.
//
// Load also takes a single .tf or .tf.json file: a root module of that one
// file, the other files of its directory (terraform.tfvars included) not
// read; the local modules it calls and the modules terraform init
// installed beside it are.
//
// Functions come from go-cty's stdlib, go-cty-funcs, go-cty-yaml and hcl's
// tryfunc, plus startswith, endswith, strcontains, one, sum, alltrue,
// anytrue, index, length of strings, replace with /regex/, base64sha256,
// base64sha512, templatefile and the to* conversions written here.
// timestamp, plantimestamp, uuid and bcrypt are Unknown, as in a plan.
// Missing, and so Unknown with a warning: filemd5 and the other file*sha*
// functions, base64gzip, textencodebase64, textdecodebase64, timecmp,
// transpose, matchkeys, templatestring, cidrcontains, ephemeralasnull and
// provider-defined functions (provider::aws::...).
//
// In .tf.json files, dynamic blocks ("dynamic": {"TYPE": {"for_each": ...,
// "iterator": ..., "content": {...}}}) expand as in native syntax. JSON
// cannot tell a nested block from an object argument, so only the nested
// block types the mappings and aws_iam_policy_document read become lists
// of objects.
//
// File functions and path.module resolve relative to the root module's
// directory, where terraform runs.
//
// The scanned tree is the boundary of what a load reads: a configuration
// is a stranger's, and the machine that runs the scan holds secrets
// (~/.aws/credentials, the environment in /proc/self/environ). file(),
// filebase64(), templatefile() (the template, and what its own functions
// read), fileset() and fileexists() read only inside the allowed roots:
// the directory given to Load, the directories of the local modules it
// calls from outside it (envs/prod calling ../../modules/x, and that
// module's file("${path.module}/x.json")), and Options.AllowPaths
// (--allow-path). What terraform init installed under a root module's
// .terraform/modules lies in the tree. A path is checked once its links
// and ".." are resolved, so a link in the tree that leads out does not
// escape, nor does ~, which leads to the home directory. A path outside
// is an error, "File outside the scanned tree", that names the call and
// where the path leads, never what the file holds, and the value is
// Unknown; try() and can() do not fall back past it. Likewise a .tf,
// .tf.json or variable file found in the tree that is a link leading
// outside the allowed roots and its own directory is an error naming it,
// and is not read; nor is a directory a local module's source reaches
// through a link that leads out of the tree. A source's own "..", as
// above, is followed within the git checkout that holds the tree (the
// nearest directory with a .git), not beyond: another repository on the
// machine is not opened to the configuration. The walk of the tree follows
// no directory link.
// --var-file files and plan JSON files, which the user names, are read
// wherever they are.
//
// Sensitive values stay secret. The values of variables and outputs
// declared sensitive = true, of sensitive(), and of the attributes a plan
// marks in after_sensitive or sensitive_values (and a plan's sensitive
// variables) carry a cty mark through evaluation, so that what is computed
// from them is sensitive too. Rules evaluate them as any other value; their
// strings and numbers are recorded in the inventory's Secrets, which vigil
// redacts from entity IDs and names, findings, reports and diagnostics
// (shown as "(sensitive)"). A function call that fails on a sensitive
// argument is reported without the argument's value. nonsensitive() takes
// the mark off, as the author asks, though a value once recorded stays
// redacted.
//
// Unknown values travel through evaluation as cty unknowns. Two cty marks ride
// along: one records why a value is unknown, the other which resource a value
// was read from, so that "${aws_cloudwatch_log_group.x.arn}:*" still says which
// log group a trail writes to.
//
// A resource whose count or for_each is known only after apply is checked
// through one representative instance, addressed [*]; for a normalised
// entity (a trail, a user) the inventory also records a Failure, so that a
// List<CloudTrail> rule cannot pass on a trail that may never be created.
//
// A plan is read from planned_values (attributes), resource_changes'
// after_unknown (what is known only after apply: a set Unknown when the
// configuration references a resource, or for arn and id; otherwise one that
// may be null), configuration (references, followed through module
// variables and outputs; not through locals, which plans do not describe)
// and prior_state (data sources). Plans carry no comments, so no
// suppressions. A plan is decoded as it is read, part by part, keeping only
// those parts (not the before and after values of resource_changes, which
// make up most of a plan), so that a plan of hundreds of megabytes can be
// read; its errors name the line and column of the offending byte.
//
// Inline suppressions are comments on or above a block, or inside it:
//
//	# vigil:ignore:D9.TF.AWS.LOG.01:exp:2027-01-31 single-region by design
//
// Files are parsed, and root modules evaluated, on all cores. Limits on
// hostile input are the constants MaxFileBytes, MaxPlanBytes, MaxInstances,
// MaxModuleDepth, MaxModuleInstances (the module instances the calls of
// one root module may create, down its whole tree: count and for_each
// multiply), MaxEvaluations, MaxForElements (the elements for
// expressions and setproduct may go through: range() alone is capped at
// 1,024 numbers by go-cty, as in Terraform, but for expressions nest),
// MaxPadding (the padding format, formatlist and indent may add),
// MaxFilesetEntries (what one fileset() call may look at), MaxNesting (how
// deeply a file or template may nest, checked before HCL parses it, whose
// parser would otherwise recurse until the program dies, and how deeply a
// value may nest), MaxEvalDepth (how deeply evaluations may nest,
// through expressions and the values they read), MaxValueBytes (the
// largest value a template, a function call or a decoded JSON or YAML
// text may build: "${local.a}${local.a}" doubles, and YAML aliases
// expand) and MaxBuiltBytes (what all the values the evaluation of a scan
// builds may take, shared by its root modules). Values are checked where
// they are combined, before they are built when their size can be told
// from what they are built of (see budget.go). A value past a limit is
// an Unknown that says so, with an error naming file:line:col; a module
// call past MaxModuleDepth or MaxModuleInstances creates no instances,
// its outputs are Unknown, and the inventory records a Failure for each
// resource type its modules declare (and the normalised types they give
// or feed: CloudTrail, for aws_cloudtrail),
// so that a List<E> rule cannot pass on the instances that were created.
// Each such error is given once, not for every instance of a module. Only
// regular files are read, in the tree and by file(), filebase64() and
// templatefile(): a named pipe or a device is an error, never a read that
// blocks or never ends. For expressions in templatefile() templates and in
// JSON strings are bounded too; in a string nested in a JSON array or
// object, the error points at the start of the whole value.
//
// A caller that reads only some entity types (vigil scan: the types its
// rules are about) names them in Options.Types; other resources are still
// evaluated, for their diagnostics and the references to them, but do not
// become entities, and their attributes are converted only when a mapping
// reads them.
//
// Load returns every entity it could build together with hcl.Diagnostics that
// name file:line:col; a Loader also exposes the parsed files so that callers
// can print those diagnostics with hcl.NewDiagnosticTextWriter.
package terraform
