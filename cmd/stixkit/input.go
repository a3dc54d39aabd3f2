package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/stix"
)

// readInput reads a file argument, or stdin when the argument is "-".
func readInput(arg string, stdin io.Reader) ([]byte, error) {
	if arg == "-" {
		return io.ReadAll(stdin)
	}
	if err := checkRegular(arg); err != nil {
		return nil, err
	}
	return os.ReadFile(arg)
}

// openInput opens a file argument for streaming, or stdin for "-".
func openInput(arg string, stdin io.Reader) (io.Reader, func(), error) {
	if arg == "-" {
		return bufio.NewReaderSize(stdin, 64<<10), func() {}, nil
	}
	if err := checkRegular(arg); err != nil {
		return nil, nil, err
	}
	f, err := os.Open(arg)
	if err != nil {
		return nil, nil, err
	}
	return bufio.NewReaderSize(f, 64<<10), func() { f.Close() }, nil
}

// checkRegular refuses directories with a message naming the path.
func checkRegular(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s: is a directory, not a file", path)
	}
	return nil
}

// objectError is a failure on one object of the input.
type objectError struct {
	index int
	typ   string
	err   error
}

func (e *objectError) Error() string {
	if e.typ == "" {
		return fmt.Sprintf("objects[%d]: %v", e.index, e.err)
	}
	return fmt.Sprintf("objects[%d] (%s): %v", e.index, e.typ, e.err)
}
func (e *objectError) Unwrap() error { return e.err }

// inputError describes err, met reading the input named name, in the
// command line's words: the file, the position (line:column when data,
// the whole input, is at hand; else the byte offset), the object and
// property, without Go package prefixes.
func inputError(name string, data []byte, err error) error {
	var (
		pe *stix.ParseError
		se *bundle.SyntaxError
	)
	where := func(off int64) string {
		if data != nil && off >= 0 && off <= int64(len(data)) {
			line, col := lineCol(data, int(off))
			return fmt.Sprintf("%s:%d:%d", displayName(name), line, col)
		}
		if line, col, ok := fileLineCol(name, off); ok {
			return fmt.Sprintf("%s:%d:%d", displayName(name), line, col)
		}
		return fmt.Sprintf("%s: byte %d", displayName(name), off)
	}
	switch {
	case errors.As(err, &pe):
		var b strings.Builder
		b.WriteString(where(int64(pe.Offset)) + ": ")
		if pe.ObjectID != "" {
			b.WriteString("object " + string(pe.ObjectID))
			if pe.Index >= 0 {
				fmt.Fprintf(&b, " (objects[%d])", pe.Index)
			}
			b.WriteString(": ")
		} else if pe.Index >= 0 {
			fmt.Fprintf(&b, "objects[%d]: ", pe.Index)
		}
		if pe.Pointer != "" {
			b.WriteString("property " + pe.Pointer + ": ")
		}
		b.WriteString(cleanMessage(pe.Msg))
		return errors.New(b.String())
	case errors.As(err, &se):
		return fmt.Errorf("%s: invalid JSON: %s", where(se.Offset), se.Msg)
	}
	var we *writeError
	if errors.As(err, &we) {
		return err
	}
	return fmt.Errorf("%s: %s", displayName(name), cleanMessage(err.Error()))
}

// displayName is how messages name an input: "-" is standard input.
func displayName(name string) string {
	if name == "-" {
		return "<stdin>"
	}
	return name
}

// fileLineCol finds the line and column of byte offset off in the file
// name by reading it again (streamed input keeps no copy).
func fileLineCol(name string, off int64) (line, col int, ok bool) {
	if name == "-" || off < 0 {
		return 0, 0, false
	}
	f, err := os.Open(name)
	if err != nil {
		return 0, 0, false
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	line, col = 1, 1
	for i := int64(0); i < off; i++ {
		c, err := r.ReadByte()
		if err != nil {
			return 0, 0, false
		}
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col, true
}

// lineCol returns the 1-based line and column (in bytes) of offset off.
func lineCol(data []byte, off int) (line, col int) {
	line = 1
	last := -1
	for i := 0; i < off; i++ {
		if data[i] == '\n' {
			line++
			last = i
		}
	}
	return line, off - last
}

// streamError is err from a streaming Decoder, with the position of a
// single object (not in a bundle or array) not reported as objects[0].
func streamError(dec *bundle.Decoder, err error) error {
	var pe *stix.ParseError
	if h := dec.Header(); !h.IsBundle && !h.IsArray && errors.As(err, &pe) {
		cp := *pe
		cp.Index = -1
		return &cp
	}
	return err
}

// pkgPrefix matches the "package: " prefixes of library errors.
var pkgPrefix = regexp.MustCompile(`(^|: )(stix|bundle|pyjson|jsonscan|helper|validate|schemas|gen|generate): `)

// cleanMessage removes Go package prefixes from a library message: the
// command line speaks of files, objects, properties and flags.
func cleanMessage(s string) string {
	for {
		t := pkgPrefix.ReplaceAllString(s, "$1")
		if t == s {
			return s
		}
		s = t
	}
}
