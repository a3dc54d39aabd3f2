package validate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		enable, disable []string
		on, off         []string
		err             bool
	}{
		{on: []string{"101", "202", "401", CodeSchema, CodePattern}, off: []string{"102"}},
		{disable: []string{"101"}, on: []string{"102"}, off: []string{"101"}},
		{disable: []string{"custom-prefix,relationship-types"}, on: []string{"102", "401"}, off: []string{"101", "202"}},
		{enable: []string{"202"}, on: []string{"202", CodeSchema}, off: []string{"101", "401", "102"}},
		{enable: []string{"{202}"}, on: []string{"202"}},
		{enable: []string{"approved-values"}, on: []string{"202", "214", "241"}, off: []string{"101", "302"}},
		{disable: []string{"1"}, on: []string{"202"}, off: []string{"101", "111", "150"}},
		{disable: []string{"all-vocabs"}, on: []string{"202", "201"}, off: []string{"214", "245"}},
		{disable: []string{"schema"}, off: []string{CodeSchema}, on: []string{CodePattern}},
		{disable: []string{"nope"}, err: true},
		{enable: []string{"999"}, err: true},
	} {
		cfg, err := resolve(tc.enable, tc.disable)
		if tc.err {
			var ue *UnknownCheckError
			if !errors.As(err, &ue) {
				t.Errorf("%v/%v: err %v, want UnknownCheckError", tc.enable, tc.disable, err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range tc.on {
			if !cfg.enabled(c) {
				t.Errorf("%v/%v: %s off, want on", tc.enable, tc.disable, c)
			}
		}
		for _, c := range tc.off {
			if cfg.enabled(c) {
				t.Errorf("%v/%v: %s on, want off", tc.enable, tc.disable, c)
			}
		}
	}
}

func TestChecksTable(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Checks() {
		if seen[c.Code] || (c.Name != c.Code && seen[c.Name]) {
			t.Errorf("duplicate code or name %s/%s", c.Code, c.Name)
		}
		seen[c.Code], seen[c.Name] = true, true
		if c.Doc == "" {
			t.Errorf("%s has no doc", c.Code)
		}
	}
}

// manyObjects builds a bundle of n malware objects; every seventh has
// modified before created.
func manyObjects(n int) string {
	var b strings.Builder
	b.WriteString(`{"type": "bundle", "id": "bundle--4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f", "objects": [`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		mod := "2021-03-05T05:06:07.000Z"
		if i%7 == 0 {
			mod = "2021-03-03T05:06:07.000Z"
		}
		fmt.Fprintf(&b, `{"type": "malware", "spec_version": "2.1", "id": "malware--%08x-6e7f-4a8b-9c0d-1e2f3a4b5c6d", "created": "2021-03-04T05:06:07.000Z", "modified": %q, "name": "m%d", "is_family": true}`, i, mod, i)
	}
	b.WriteString("]}")
	return b.String()
}

// TestOrderAcrossWorkers checks that findings come out in input order and
// are the same whatever the number of workers.
func TestOrderAcrossWorkers(t *testing.T) {
	data := []byte(manyObjects(500))
	var first *Report
	for _, w := range []int{1, 2, 3, 8, 32} {
		rep, err := Bytes(context.Background(), data, Options{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Objects != 500 || len(rep.Errors) != 72 {
			t.Fatalf("workers %d: %d objects, %d errors", w, rep.Objects, len(rep.Errors))
		}
		for i, e := range rep.Errors {
			if e.Index != i*7 {
				t.Fatalf("workers %d: error %d at index %d, want %d", w, i, e.Index, i*7)
			}
		}
		if first == nil {
			first = rep
		} else if !reflect.DeepEqual(first.Errors, rep.Errors) || !reflect.DeepEqual(first.Warnings, rep.Warnings) {
			t.Errorf("workers %d: findings differ from workers 1", w)
		}
	}
}

func TestMaxFindings(t *testing.T) {
	rep, err := Bytes(context.Background(), []byte(manyObjects(100)), Options{MaxFindings: 5})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Truncated || rep.Valid || len(rep.Errors)+len(rep.Warnings) > 6 {
		t.Errorf("truncated %v valid %v %d+%d findings", rep.Truncated, rep.Valid, len(rep.Errors), len(rep.Warnings))
	}
}

func TestStrictAndEnforceRefs(t *testing.T) {
	const in = `[{"type": "relationship", "spec_version": "2.1", "id": "relationship--3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e",
	  "created": "2021-03-04T05:06:07.000Z", "modified": "2021-03-04T05:06:07.000Z", "relationship_type": "uses",
	  "source_ref": "malware--2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d", "target_ref": "tool--2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d",
	  "object_marking_refs": ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]}]`
	rep, _ := Bytes(context.Background(), []byte(in), Options{})
	if !rep.Valid {
		t.Fatalf("errors %v", rep.Errors)
	}
	rep, _ = Bytes(context.Background(), []byte(in), Options{EnforceRefs: true})
	var ptrs []string
	for _, e := range rep.Errors {
		if e.Code != CodeDanglingRef {
			t.Errorf("unexpected %v", e)
		}
		ptrs = append(ptrs, e.Pointer)
	}
	// The TLP marking need not be present.
	if want := []string{"/source_ref", "/target_ref"}; !reflect.DeepEqual(ptrs, want) {
		t.Errorf("dangling refs at %v, want %v", ptrs, want)
	}
}

func TestUnknownCheck(t *testing.T) {
	_, err := Bytes(context.Background(), []byte(`{}`), Options{Disable: []string{"no-such-check"}})
	var ue *UnknownCheckError
	if !errors.As(err, &ue) || ue.Name != "no-such-check" {
		t.Errorf("err %v", err)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Bytes(ctx, []byte(manyObjects(2000)), Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
}

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n == 0 {
		f.n++
		return copy(p, `{"type": "bundle", "id": "bundle--4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f", "objects": [`), nil
	}
	return 0, io.ErrClosedPipe
}

func TestReadError(t *testing.T) {
	_, err := Reader(context.Background(), &failingReader{}, Options{})
	if !errors.Is(err, io.ErrClosedPipe) {
		t.Errorf("err %v, want the reader's error", err)
	}
}

// streamBundle writes a bundle of n objects to w.
func streamBundle(w *io.PipeWriter, n int) {
	defer w.Close()
	io.WriteString(w, `{"type": "bundle", "id": "bundle--4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f", "objects": [`)
	for i := 0; i < n; i++ {
		if i > 0 {
			io.WriteString(w, ",")
		}
		fmt.Fprintf(w, `{"type": "indicator", "spec_version": "2.1", "id": "indicator--%08x-6e7f-4a8b-9c0d-1e2f3a4b5c6d", "created": "2021-03-04T05:06:07.000Z", "modified": "2021-03-04T05:06:07.000Z", "name": "i", "description": "%s", "pattern": "[ipv4-addr:value = '198.51.100.%d']", "pattern_type": "stix", "valid_from": "2021-03-04T05:06:07.000Z"}`, i, strings.Repeat("d", 2000), i%256)
	}
	io.WriteString(w, "]}")
}

// TestStreamingMemory validates a bundle ten times larger than another and
// checks that the peak heap does not grow with it.
func TestStreamingMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	peak := func(n int) uint64 {
		runtime.GC()
		r, w := io.Pipe()
		go streamBundle(w, n)
		var max uint64
		done := make(chan struct{})
		go func() {
			defer close(done)
			rep, err := Reader(context.Background(), r, Options{Workers: 2, Disable: []string{"schema"}})
			if err != nil || !rep.Valid || rep.Objects != n {
				t.Errorf("n=%d: %v %v", n, err, rep)
			}
		}()
		var ms runtime.MemStats
		for {
			select {
			case <-done:
				return max
			default:
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > max {
				max = ms.HeapInuse
			}
			runtime.Gosched()
		}
	}
	small, large := peak(2000), peak(20000)
	t.Logf("peak heap: 2,000 objects (4 MB) %d KB, 20,000 objects (40 MB) %d KB", small>>10, large>>10)
	if large > 3*small+(8<<20) {
		t.Errorf("peak heap grew from %d to %d KB for 10x the input", small>>10, large>>10)
	}
}

func TestCustomName(t *testing.T) {
	strict := regexp.MustCompile(`^x_.+_.+$`)
	lax := regexp.MustCompile(`^x_.+$`)
	for _, n := range []string{"x_mitre_version", "x_foo", "x__foo", "x__a_b", "x_a_", "x_a_b", "x_", "x", "xx_a_b", "x_ab", "foo", "x___", "x_é_b"} {
		if got, want := customName(n, '_', true), strict.MatchString(n); got != want {
			t.Errorf("strict %q: %v, want %v", n, got, want)
		}
		if got, want := customName(n, '_', false), lax.MatchString(n); got != want {
			t.Errorf("lax %q: %v, want %v", n, got, want)
		}
	}
}

// TestPositionWindow: line and column of any offset still in the window,
// whatever the sizes of the reads; none for offsets before it.
func TestPositionWindow(t *testing.T) {
	var in []byte
	for i := 0; len(in) < 3*windowBytes; i++ {
		in = append(in, strings.Repeat("é", i%7)+strings.Repeat("x", i%300)+"\n"...)
	}
	for _, chunk := range []int{1 << 10, 64 << 10, windowBytes - 1, windowBytes, windowBytes + 7, 3 * windowBytes} {
		c := &countingReader{r: bytes.NewReader(in)}
		buf := make([]byte, chunk)
		for {
			n, err := c.Read(buf)
			if n > 0 {
				end := c.count()
				for _, off := range []int64{0, end - windowBytes - 1, end - windowBytes, end - windowBytes + 100, end - 1, end} {
					if off < 0 {
						continue
					}
					line, col, ok := c.position(off)
					before := in[:off]
					wantLine := bytes.Count(before, []byte{'\n'}) + 1
					lineStart := bytes.LastIndexByte(before, '\n') + 1
					wantCol := utf8.RuneCount(before[lineStart:]) + 1
					start := max(0, end-windowBytes)
					// Known when the line's newline is in the window too.
					inWindow := off >= start && (start == 0 || int64(lineStart) > start)
					if ok != inWindow || ok && (line != wantLine || col != wantCol) {
						t.Fatalf("reads of %d, %d read, offset %d: %d:%d %v, want %d:%d %v", chunk, end, off, line, col, ok, wantLine, wantCol, inWindow)
					}
				}
			}
			if err != nil {
				break
			}
		}
		if c.count() != int64(len(in)) {
			t.Fatalf("counted %d of %d", c.count(), len(in))
		}
	}
}

// TestFindingSubject: the three forms of Subject, and Error built on it.
func TestFindingSubject(t *testing.T) {
	for _, tc := range []struct {
		f    Finding
		want string
	}{
		{Finding{ObjectID: "indicator--1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b", Index: 3, Pointer: "/name", Code: "schema/type", Message: "m"}, "indicator--1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b /name: m [schema/type]"},
		{Finding{Index: 3, Code: "parse", Message: "m"}, "objects[3] /: m [parse]"},
		{Finding{Index: -1, Pointer: "/objects", Code: "json", Message: "m"}, "(top level) /objects: m [json]"},
	} {
		if got := tc.f.Error(); got != tc.want {
			t.Errorf("%q, want %q", got, tc.want)
		}
	}
}
