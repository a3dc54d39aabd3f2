package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/stixkit/stixkit/validate"
)

// count writes n and the noun, plural unless n is 1: "1 object", "2 objects".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// listWidth is the width validate --list fits in.
const listWidth = 100

// optionFlags names validate.Options fields by their command-line flags,
// for texts of the validate package shown on the command line.
var optionFlags = strings.NewReplacer("EnforceRefs", "--enforce-refs", "DisallowCustom", "--disallow-custom",
	"validate.Checks", "stixkit validate --list")

// printChecks writes the checks as a table that fits listWidth columns:
// the check (its code, and its name when it differs), its level, and the
// description wrapped under its own column.
func printChecks(w io.Writer, checks []validate.Check) {
	label := func(c validate.Check) string {
		if c.Name != c.Code {
			return c.Code + " " + c.Name
		}
		return c.Code
	}
	checkW := len("CHECK")
	for _, c := range checks {
		checkW = max(checkW, utf8.RuneCountInString(label(c)))
	}
	const levelW = len("warning")
	docCol := checkW + 1 + levelW + 1
	row := func(check, level, doc string) {
		for i, l := range wrap(doc, listWidth-docCol) {
			if i == 0 {
				fmt.Fprintln(w, strings.TrimRight(fmt.Sprintf("%-*s %-*s %s", checkW, check, levelW, level, l), " "))
			} else {
				fmt.Fprintln(w, strings.Repeat(" ", docCol)+l)
			}
		}
	}
	row("CHECK", "LEVEL", "WHAT IT CHECKS")
	for _, c := range checks {
		level := "error"
		if c.Severity == validate.Should {
			level = "warning"
		}
		doc := optionFlags.Replace(c.Doc)
		if c.OffByDefault && !strings.Contains(doc, "only with") {
			doc += " (off unless enabled)"
		}
		row(label(c), level, doc)
	}
}

// wrap splits text into lines of at most width runes at spaces (a longer
// word gets a line of its own).
func wrap(text string, width int) []string {
	var lines []string
	var cur strings.Builder
	n := 0
	for _, word := range strings.Fields(text) {
		wl := utf8.RuneCountInString(word)
		if n > 0 && n+1+wl > width {
			lines = append(lines, cur.String())
			cur.Reset()
			n = 0
		}
		if n > 0 {
			cur.WriteByte(' ')
			n++
		}
		cur.WriteString(word)
		n += wl
	}
	if n > 0 || len(lines) == 0 {
		lines = append(lines, cur.String())
	}
	return lines
}
