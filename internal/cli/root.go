package cli

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"slices"

	"github.com/spf13/cobra"

	"vigil/entity"
)

// Version is vigil's version, set at build time with
// -ldflags "-X vigil/internal/cli.Version=...".
var Version = "0.1.0-dev"

// Exit codes.
const (
	ExitOK       = 0
	ExitFailed   = 1
	ExitBadUsage = 2
)

// exitError carries an exit code through cobra's error return. A nil err
// means the command already printed what it had to say.
type exitError struct {
	code int
	err  error
	// usage is set for a misuse of the command (a flag, an argument), as
	// opposed to an input that could not be read: vigil then points to the
	// command's help.
	usage bool
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// exitCode returns an error that makes vigil exit with code; err, if not nil,
// is printed first.
func exitCode(code int, err error) error { return &exitError{code: code, err: err} }

// usageError makes vigil print err, point to the command's help, and exit
// 2.
func usageError(format string, args ...any) error {
	return &exitError{code: ExitBadUsage, err: fmt.Errorf(format, args...), usage: true}
}

// versionText is what "vigil version" and "vigil --version" print: the
// version, and the commit the binary was built from when Go recorded it
// ("go build" in a git checkout does; "go run" and tests do not).
func versionText(info *debug.BuildInfo, ok bool) string {
	text := "vigil " + Version
	if !ok {
		return text + "\n"
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	commit := "commit unknown: built without version control information"
	if rev := settings["vcs.revision"]; rev != "" {
		commit = "commit " + rev
		if t := settings["vcs.time"]; t != "" {
			commit += ", " + t
		}
		if settings["vcs.modified"] == "true" {
			commit += ", with local changes"
		}
	}
	if info.GoVersion != "" {
		commit += "; " + info.GoVersion
	}
	return text + " (" + commit + ")\n"
}

func init() { register(newVersionCmd) }

func newVersionCmd(s *streams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print vigil's version and the commit it was built from",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprint(s.out, versionText(debug.ReadBuildInfo()))
			return nil
		},
	}
}

// streams are the standard streams a command reads and writes.
//
// Text that vigil prints for people (diagnostics with their source lines,
// error messages, rule listings, eval results) often quotes its inputs, and
// an input can hold terminal escape sequences, NULs or bidirectional
// controls that would rewrite a terminal or a CI log ("ALL CHECKS PASSED" in
// green from a .tf line). So out and err escape every such character
// (entity.Printable, keeping newlines and tabs); everything written to them
// is escaped once, wherever it comes from. Formats that escape on their own
// and must reach the reader byte for byte (the reports, JSON, snapshots) are
// written to data; the progress line, which draws on the terminal with
// escape sequences of vigil's own, to terminal.
type streams struct {
	in       io.Reader
	out, err io.Writer
	// data is standard output unescaped; terminal is standard error
	// unescaped.
	data, terminal io.Writer
}

// newStreams wraps the process's standard streams; flush writes what the
// escaping writers hold back (the bytes of a UTF-8 sequence cut at the end).
func newStreams(stdin io.Reader, stdout, stderr io.Writer) (s *streams, flush func()) {
	out := entity.NewPrintableWriter(stdout, "\n\t")
	errw := entity.NewPrintableWriter(stderr, "\n\t")
	s = &streams{in: stdin, out: out, err: errw, data: stdout, terminal: stderr}
	return s, func() {
		_ = out.Flush()
		_ = errw.Flush()
	}
}

// commands holds the constructors of the top-level commands; each command's
// file appends to it from init.
var commands []func(*streams) *cobra.Command

func register(newCmd func(*streams) *cobra.Command) { commands = append(commands, newCmd) }

// scanSubcommands holds the constructors of "vigil scan" subcommands (such as
// "vigil scan aws"); the scan command adds them.
var scanSubcommands []func(*streams) *cobra.Command

func registerScan(newCmd func(*streams) *cobra.Command) {
	scanSubcommands = append(scanSubcommands, newCmd)
}

func newRoot(s *streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "vigil",
		Short: "Cloud security posture checks in GSL, for AWS accounts and Terraform",
		Long: `vigil evaluates posture rules written in GSL (the Governance Specification
Language of CloudGuard-style rules, e.g. "CloudTrail should have
isMultiRegionTrail=true") against live AWS accounts, Terraform code and
recorded inventories, and reports findings with remediation and compliance
mapping.`,
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	root.SetVersionTemplate(versionText(debug.ReadBuildInfo()))
	root.SetIn(s.in)
	root.SetOut(s.out)
	root.SetErr(s.err)
	for _, c := range commands {
		root.AddCommand(c(s))
	}
	return root
}

// Main runs vigil with the given arguments and streams and returns the exit
// code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	s, flush := newStreams(stdin, stdout, stderr)
	defer flush()
	root := newRoot(s)
	root.SetArgs(args)
	if cmd, err := unknownCommandForHelp(root, args); err != nil {
		fmt.Fprintln(s.err, "vigil:", err)
		fmt.Fprintf(s.err, "Run '%s --help' for usage.\n", cmd.CommandPath())
		return ExitBadUsage
	}
	cmd, err := root.ExecuteC()
	if err == nil {
		return ExitOK
	}
	if cmd == nil {
		cmd = root
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(s.err, "vigil:", ee.err)
		}
		if ee.usage {
			fmt.Fprintf(s.err, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
		return ee.code
	}
	// Errors from cobra itself: unknown command or flag, wrong arguments.
	fmt.Fprintln(s.err, "vigil:", err)
	fmt.Fprintf(s.err, "Run '%s --help' for usage.\n", cmd.CommandPath())
	return ExitBadUsage
}

// unknownCommandForHelp finds what cobra lets through when help is asked
// for: "vigil merge --help" would print vigil's own help and exit 0,
// although there is no command merge. When args ask for help and name a
// command that does not exist, it returns the command they were looked up
// in and the error that command's arguments give.
func unknownCommandForHelp(root *cobra.Command, args []string) (*cobra.Command, error) {
	if !slices.ContainsFunc(args, func(a string) bool { return a == "--help" || a == "-h" }) {
		return nil, nil
	}
	cmd, rest, err := root.Find(args)
	if err != nil {
		return root, err
	}
	cmd.InitDefaultHelpFlag()
	if err := cmd.ParseFlags(rest); err != nil {
		return nil, nil // cobra reports it
	}
	if err := cmd.ValidateArgs(cmd.Flags().Args()); err != nil && cmd.HasSubCommands() {
		return cmd, err
	}
	return nil, nil
}
