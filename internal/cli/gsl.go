package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"vigil/filterpattern"
	"vigil/gsl"
)

func init() { register(newGSLCmd) }

// maxLintLineBytes bounds one rule line of vigil gsl lint.
const maxLintLineBytes = gsl.MaxSourceBytes + 1

func newGSLCmd(s *streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gsl",
		Short: "Tools for GSL rule authors",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "lint FILE|-",
		Short: "Check the syntax of GSL rules, one per line",
		Long: `Check GSL rules written one per line (blank lines and lines starting with #
are skipped): syntax, function names and arity, literal arguments, regular
expressions and filter patterns. Each problem is printed as FILE:line:col:
message with the line and a caret. Functions that vigil knows but cannot
evaluate yet get a warning.

Exit codes: 0 no errors (warnings allowed), 2 any error or bad usage.`,
		Example: `  vigil gsl lint rules.gsl
  echo "CloudTrail should have isMultiRegionTrail=true" | vigil gsl lint -`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runLint(s, args[0]) },
	})
	return cmd
}

func runLint(s *streams, path string) error {
	var r io.Reader
	name := path
	if path == "-" {
		r, name = s.in, "<stdin>"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return exitCode(ExitBadUsage, err)
		}
		defer f.Close()
		r = f
	}
	patterns := filterpattern.NewCache()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLintLineBytes)
	var rules, errs, warns, offset int
	for lineNo := 1; sc.Scan(); lineNo++ {
		line := sc.Text()
		base := gsl.Pos{Offset: offset, Line: lineNo, Col: 1}
		offset += len(line) + 1
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		rules++
		p, err := gsl.Compile(line, gsl.WithPatterns(patterns))
		if err != nil {
			l := gsl.AsList(err)
			if l == nil {
				return exitCode(ExitBadUsage, fmt.Errorf("%s:%d: %w", name, lineNo, err))
			}
			for _, d := range l {
				fmt.Fprintln(s.out, d.RenderAt(name, base))
				errs++
			}
			continue
		}
		for _, w := range p.Warnings() {
			fmt.Fprintln(s.out, strings.Replace(w.RenderAt(name, base), ": ", ": warning: ", 1))
			warns++
		}
	}
	if err := sc.Err(); err != nil {
		return exitCode(ExitBadUsage, fmt.Errorf("%s: %w", name, err))
	}
	fmt.Fprintf(s.err, "%s: %d %s, %d %s, %d %s\n", name, rules, lintPlural(rules, "rule", "rules"),
		errs, lintPlural(errs, "error", "errors"), warns, lintPlural(warns, "warning", "warnings"))
	if errs > 0 {
		return exitCode(ExitBadUsage, nil)
	}
	return nil
}

func lintPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
