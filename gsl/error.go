package gsl

import "vigil/diag"

// maxErrors caps the errors one compile reports.
const maxErrors = 10

// Diagnostic is a problem found in a rule's text (a syntax or check error)
// or in its evaluation (a run-time error such as a path into a list). Its
// position is in the rule's text, its Name is empty and its Source is the
// rule's line at fault; In names it and moves it into a larger file that
// holds the rule. (Diagnostic rather than Error because Error is the ERROR
// outcome.)
type Diagnostic = diag.Error

// ErrorList is the list of errors of one parse or compile, in the order of
// their positions. It is what Parse and Compile return as their error.
type ErrorList = diag.List

// diagnostic returns the problem msg at the start of sp in the rule text
// src.
func diagnostic(src string, sp Span, msg string) *Diagnostic {
	at := sp.Start
	return &Diagnostic{Line: at.Line, Col: at.Col, Offset: at.Offset, Msg: msg, Source: diag.SourceLine(src, at.Line)}
}
