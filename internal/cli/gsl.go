package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"vigil/diag"
	"vigil/filterpattern"
	"vigil/gsl"
	"vigil/rules"
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
evaluate yet get a warning, and so does an entity type close to one vigil
models but not one ("CloudTral": did you mean "CloudTrail"?), and a field
that a type vigil models does not have ("isMultiRegionTrial": did you mean
"isMultiRegionTrail"?; 'vigil entities TYPE' lists them). Rules about other
clouds' types, and about Terraform resource types, whose fields are the
provider's, lint clean.

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
	br := bufio.NewReaderSize(r, 64<<10)
	var nrules, errs, warns, offset int
	for lineNo := 1; ; lineNo++ {
		line, size, tooLong, err := readLintLine(br, maxLintLineBytes)
		if err != nil && err != io.EOF {
			return exitCode(ExitBadUsage, fmt.Errorf("%s:%d: %w", name, lineNo, err))
		}
		if size == 0 && err == io.EOF {
			break
		}
		base := gsl.Pos{Offset: offset, Line: lineNo, Col: 1}
		offset += size + 1
		if tooLong {
			// A rule is at most gsl.MaxSourceBytes long: the line is
			// reported and skipped, and the next lines are still read.
			fmt.Fprintf(s.out, "%s:%d:1: the line is more than %d bytes long, longer than a rule may be; it is not checked\n",
				name, lineNo, gsl.MaxSourceBytes)
			nrules++
			errs++
		} else if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			nrules++
			p, cerr := gsl.Compile(line, gsl.WithPatterns(patterns), gsl.WithEntityCheck(rules.EntityTypo), gsl.WithFieldCheck(rules.CheckField))
			if cerr != nil {
				l := diag.AsList(cerr)
				if l == nil {
					return exitCode(ExitBadUsage, fmt.Errorf("%s:%d: %w", name, lineNo, cerr))
				}
				for _, d := range l {
					fmt.Fprintln(s.out, d.In(name, base).Render())
					errs++
				}
			} else {
				for _, w := range p.Warnings() {
					fmt.Fprintln(s.out, strings.Replace(w.In(name, base).Render(), ": ", ": warning: ", 1))
					warns++
				}
			}
		}
		if err == io.EOF {
			break
		}
	}
	fmt.Fprintf(s.err, "%s: %d %s, %d %s, %d %s\n", name, nrules, lintPlural(nrules, "rule", "rules"),
		errs, lintPlural(errs, "error", "errors"), warns, lintPlural(warns, "warning", "warnings"))
	if errs > 0 {
		return exitCode(ExitBadUsage, nil)
	}
	return nil
}

// readLintLine reads one line of br, without its end ("\n" or "\r\n"). A
// line longer than limit bytes is read to its end but not kept: tooLong is
// set, so that a huge line costs no memory. size is how many bytes the line
// takes before its "\n" (a "\r" included). err is io.EOF for the last
// line.
func readLintLine(br *bufio.Reader, limit int) (line string, size int, tooLong bool, err error) {
	var b []byte
	for {
		chunk, rerr := br.ReadSlice('\n')
		size += len(chunk)
		if !tooLong {
			if len(b)+len(chunk) > limit+2 { // room for "\r\n"
				tooLong, b = true, nil
			} else {
				b = append(b, chunk...)
			}
		}
		if rerr == bufio.ErrBufferFull {
			continue
		}
		if rerr == nil {
			size--
			if !tooLong {
				b = b[:len(b)-1]
			}
		}
		if !tooLong && len(b) > 0 && b[len(b)-1] == '\r' {
			b = b[:len(b)-1]
		}
		if len(b) > limit {
			tooLong, b = true, nil
		}
		return string(b), size, tooLong, rerr
	}
}

func lintPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
