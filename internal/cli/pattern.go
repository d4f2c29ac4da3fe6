package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"vigil/diag"
	"vigil/filterpattern"
)

func init() { register(newPatternCmd) }

// maxEventBytes is the longest event line "vigil pattern match" reads; AWS
// caps a log event at 256 KiB.
const maxEventBytes = 1 << 20

func newPatternCmd(s *streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "pattern",
		Short: "Format, compare and test CloudWatch Logs filter patterns",
		Long: `Work with CloudWatch Logs filter patterns the way vigil's monitoring checks
do, to see why a metric filter passes or fails a check. A pattern argument
may be written inline or read from a file as @file.

Exit codes: 0 yes (or formatted), 1 no, 2 a pattern does not parse.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(
		&cobra.Command{
			Use:     "fmt PATTERN",
			Short:   "Print the canonical form of a pattern",
			Example: `  vigil pattern fmt '{($.eventName=CreateTrail)||($.eventName="DeleteTrail")}'`,
			Args:    cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				p, err := patternArg(args[0], "")
				if err != nil {
					return err
				}
				fmt.Fprintln(s.out, filterpattern.Format(p))
				return nil
			},
		},
		&cobra.Command{
			Use:   "equal A B",
			Short: "Say whether two patterns are the same once normalised",
			Long: `Say whether A and B are the same filter pattern after normalisation
(white space, quoting, redundant parentheses, order and duplicates of &&
and || operands), as isFilterPatternEqual decides. When they are not, list
the clauses found in only one of them.`,
			Example: `  vigil pattern equal @metric-filter.txt '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) }'`,
			Args:    cobra.ExactArgs(2),
			RunE: func(cmd *cobra.Command, args []string) error {
				a, b, err := patternPair(args)
				if err != nil {
					return err
				}
				if filterpattern.Equal(a, b) {
					fmt.Fprintln(s.out, "equal")
					return nil
				}
				fmt.Fprintln(s.out, "not equal")
				onlyA, onlyB := filterpattern.Difference(a, b)
				for _, c := range onlyA {
					fmt.Fprintf(s.out, "  only in A: %s\n", c)
				}
				for _, c := range onlyB {
					fmt.Fprintf(s.out, "  only in B: %s\n", c)
				}
				return exitCode(ExitFailed, nil)
			},
		},
		&cobra.Command{
			Use:   "covers A B",
			Short: "Say whether A provably matches every event B matches",
			Long: `Say whether A matches every event that B matches, as filterPatternCovers
decides. The answer is sound: "covers" is only printed when vigil can prove
it. When it cannot, list the clauses of B that A is not shown to cover.`,
			Example: `  vigil pattern covers '{ ($.eventName = *Trail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }' @cis-4.5.txt`,
			Args:    cobra.ExactArgs(2),
			RunE: func(cmd *cobra.Command, args []string) error {
				a, b, err := patternPair(args)
				if err != nil {
					return err
				}
				if filterpattern.Covers(a, b) {
					fmt.Fprintln(s.out, "covers")
					return nil
				}
				fmt.Fprintln(s.out, "does not cover")
				for _, c := range filterpattern.Uncovered(a, b) {
					fmt.Fprintf(s.out, "  not covered: %s\n", c)
				}
				return exitCode(ExitFailed, nil)
			},
		},
		&cobra.Command{
			Use:   "match PATTERN [EVENTS|-]",
			Short: "Print the events that a pattern matches",
			Long: `Read log events, one per line, from the file EVENTS or from standard input
("-" or no argument), and print those that PATTERN matches, as CloudWatch
Logs would. Each line is one event message as CloudWatch Logs stores it: a
JSON object for JSON patterns, plain text otherwise. Exits 0 when some event
matched and 1 when none did.`,
			Example: `  vigil pattern match '{ $.eventName = ConsoleLogin && $.errorMessage = "Failed authentication" }' events.jsonl`,
			Args:    cobra.RangeArgs(1, 2),
			RunE: func(cmd *cobra.Command, args []string) error {
				p, err := patternArg(args[0], "")
				if err != nil {
					return err
				}
				name, in := "standard input", s.in
				if len(args) == 2 && args[1] != "-" {
					f, err := os.Open(args[1])
					if err != nil {
						return exitCode(ExitBadUsage, err)
					}
					defer f.Close()
					name, in = args[1], f
				}
				n, err := printMatches(s.out, in, name, p)
				if err != nil {
					return exitCode(ExitBadUsage, err)
				}
				if n == 0 {
					return exitCode(ExitFailed, nil)
				}
				return nil
			},
		},
	)
	return cmd
}

// patternArg parses a pattern argument: inline text, or @file for the
// content of a file (without its final newline). label names the argument
// in errors ("A", "B"); parse errors show the pattern with a caret.
func patternArg(arg, label string) (*filterpattern.Pattern, error) {
	src, file := arg, ""
	from := "pattern"
	if label != "" {
		from = "pattern " + label
	}
	if path, ok := strings.CutPrefix(arg, "@"); ok {
		data, err := readLimited(path)
		if err != nil {
			return nil, exitCode(ExitBadUsage, fmt.Errorf("%s: %w", from, err))
		}
		src, file = strings.TrimRight(string(data), "\r\n"), path
	}
	p, err := filterpattern.Parse(src)
	if err != nil {
		var perr *filterpattern.Error
		if errors.As(err, &perr) {
			// A pattern from a file is named after it: "pattern A:
			// bad.txt:1:34: ...".
			return nil, exitCode(ExitBadUsage, fmt.Errorf("%s: %s", from, perr.In(file, diag.Pos{}).Render()))
		}
		return nil, exitCode(ExitBadUsage, fmt.Errorf("%s: %w", from, err))
	}
	return p, nil
}

func patternPair(args []string) (a, b *filterpattern.Pattern, err error) {
	if a, err = patternArg(args[0], "A"); err != nil {
		return nil, nil, err
	}
	if b, err = patternArg(args[1], "B"); err != nil {
		return nil, nil, err
	}
	return a, b, nil
}

// printMatches writes the lines of in that p matches and returns how many.
func printMatches(out io.Writer, in io.Reader, name string, p *filterpattern.Pattern) (int, error) {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), maxEventBytes)
	n := 0
	line := 0
	for sc.Scan() {
		line++
		event := strings.TrimRight(sc.Text(), "\r")
		if event == "" {
			continue
		}
		if p.Match(event) {
			fmt.Fprintln(out, event)
			n++
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return n, fmt.Errorf("%s:%d: event longer than %d bytes", name, line+1, maxEventBytes)
		}
		return n, fmt.Errorf("%s: %w", name, err)
	}
	return n, nil
}
