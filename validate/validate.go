package validate

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/internal/jsonscan"
	"github.com/stixkit/stixkit/schemas"
	"github.com/stixkit/stixkit/stix"
)

// Options configures a validation. The zero value runs every default check
// with the embedded schemas on all cores.
type Options struct {
	// Strict reports the findings of SHOULD checks as errors.
	Strict bool
	// EnforceRefs requires every reference to resolve to an object of the
	// same input (code "must-dangling-ref"). The TLP marking definitions
	// need not be present.
	EnforceRefs bool
	// DisallowCustom reports custom content as errors (code "custom"), as
	// the Python stix2 library does without allow_custom: objects of
	// unregistered types, custom properties, references to custom types,
	// unknown extensions, and 2.1 objects in a bundle with a spec_version.
	// Off by default: custom content is valid STIX (ATT&CK is full of it)
	// and only gets the {101}/{401} warnings.
	DisallowCustom bool
	// Enable, when not empty, restricts the SHOULD checks to those listed
	// (codes such as "202", names such as "relationship-types", or groups
	// "1", "2", "format-checks", "approved-values", "all-vocabs", "all";
	// an entry may hold several separated by commas).
	Enable []string
	// Disable turns off the checks listed (same forms as Enable; MUST checks
	// and "schema" may be turned off too).
	Disable []string
	// Workers is the number of goroutines validating objects (default
	// runtime.GOMAXPROCS(0)).
	Workers int
	// Schemas is the schema validator (default schemas.Default()); use
	// schemas.New to add schemas of custom objects and extensions.
	Schemas *schemas.Validator
	// MaxDepth bounds the nesting of the input (default 256).
	MaxDepth int
	// MaxObjectBytes bounds the size of one object (default 256 MiB).
	MaxObjectBytes int
	// MaxFindings stops recording findings after this many (errors and
	// warnings together; 0: no limit). Report.Truncated tells it happened.
	MaxFindings int
	// StrictTypes reports objects of custom types (neither defined by the
	// specification nor declared by a new-sdo/new-sco/new-sro extension),
	// and custom object types in patterns, as errors (code "custom"), like
	// the OASIS validator's --strict-types.
	StrictTypes bool
	// StrictProperties reports properties the specification does not
	// define (top-level, embedded, in extensions and in patterns; those a
	// toplevel-property-extension declares included) as errors (code
	// "custom"), like the OASIS validator's --strict-properties.
	StrictProperties bool
	// Version, "2.0" or "2.1", validates the input as that version of
	// STIX whatever its spec_version properties say ("": each object by
	// its own spec_version; objects other than SCOs without one are STIX
	// 2.0 objects, as the specification says).
	Version string
	// OnFinding, when set, is called with each finding as it is recorded,
	// in input order (isError: it counts as an error), so that findings
	// can be shown while a large input is still being read. It is called
	// from one goroutine at a time.
	OnFinding func(f *Finding, isError bool)
	// Progress, when set, is called from time to time (and once at the
	// end) with the objects validated and the bytes read so far. It is
	// called from one goroutine at a time.
	Progress func(objects int, bytesRead int64)
}

// Finding is one problem found in the input.
type Finding struct {
	// ObjectID is the id of the object ("" for the input as a whole or an
	// object without an id).
	ObjectID string
	// Index is the position of the object in the input's objects (-1 for
	// the envelope or the input as a whole).
	Index int
	// Pointer is the RFC 6901 JSON pointer of the offending value inside
	// the object ("" for the object itself). For envelope findings it is
	// relative to the whole input.
	Pointer string
	// Code says which check found it: "json", "parse", "schema/<keyword>",
	// "must-…" for MUST checks, the OASIS validator's number for SHOULD
	// checks (see Checks).
	Code string
	// Message is the human-readable description.
	Message string
}

// Subject names what the finding is about: the object's id, "objects[i]"
// for an object without one, "(top level)" for the input as a whole.
func (f *Finding) Subject() string {
	switch {
	case f.ObjectID != "":
		return f.ObjectID
	case f.Index >= 0:
		return fmt.Sprintf("objects[%d]", f.Index)
	}
	return "(top level)"
}

// Error makes a Finding usable as an error: "<subject> <pointer>: <message> [<code>]".
func (f *Finding) Error() string {
	p := f.Pointer
	if p == "" {
		p = "/"
	}
	return fmt.Sprintf("%s %s: %s [%s]", f.Subject(), p, f.Message, f.Code)
}

// Report is the result of a validation.
type Report struct {
	// Valid is true when there are no errors (warnings allowed).
	Valid bool
	// Objects is the number of objects read (elements of objects, or 1 for a
	// single object).
	Objects int
	// Bytes is the size of the input read.
	Bytes int64
	// Errors are the findings of MUST checks (and of SHOULD checks under
	// Strict), in input order.
	Errors []*Finding
	// Warnings are the findings of SHOULD checks, in input order.
	Warnings []*Finding
	// Truncated is true when Options.MaxFindings stopped the recording.
	Truncated bool
}

// Err returns the errors joined, or nil when the report is valid.
func (r *Report) Err() error {
	if len(r.Errors) == 0 {
		return nil
	}
	errs := make([]error, len(r.Errors))
	for i, f := range r.Errors {
		errs[i] = f
	}
	return errors.Join(errs...)
}

// validator is the shared, read-only state of one validation.
type validator struct {
	opt    Options
	cfg    *config
	schema *schemas.Validator
	// decodeOpt decodes objects into the typed model; cr is the input.
	decodeOpt stix.DecodeOptions
	cr        *countingReader
	// typedFirst decodes every object into the typed model before the
	// checks. Without it, an object is decoded into the typed model only
	// when a check needs it (see object); tests compare the two.
	typedFirst bool
	// typedOptional: objects without errors need no typed decoding.
	typedOptional bool
}

// parse decodes j.raw into the typed model, once: j.obj and j.parseErr.
func (v *validator) parse(j *job) {
	if j.parsed {
		return
	}
	j.parsed = true
	j.obj, j.parseErr = v.decodeOpt.ParseObject(j.raw)
	if pe, ok := j.parseErr.(*stix.ParseError); ok {
		pe.Index = j.index
		if errors.Is(pe.Err, stix.ErrSyntax) && j.start >= 0 && v.cr != nil {
			// Where, for an editor: line and column.
			if line, col, ok := v.cr.position(j.start + int64(pe.Offset)); ok {
				pe.Msg = fmt.Sprintf("%s at line %d, column %d", pe.Msg, line, col)
			}
		}
	}
}

func newValidator(opt Options) (*validator, error) {
	switch opt.Version {
	case "", "2.0", "2.1":
	default:
		return nil, fmt.Errorf("validate: unknown STIX version %q (2.0 or 2.1)", opt.Version)
	}
	cfg, err := resolve(opt.Enable, opt.Disable)
	if err != nil {
		return nil, err
	}
	v := &validator{opt: opt, cfg: cfg, schema: opt.Schemas}
	if v.schema == nil && cfg.enabled(CodeSchema) {
		v.schema = schemas.Default()
	}
	// The typed decoding may be left out where the embedded schemas and
	// every MUST check would have found what it finds (see object).
	v.typedOptional = opt.Schemas == nil && v.schema != nil && cfg.allMust()
	return v, nil
}

// Bytes validates a bundle, a single object or a JSON array of objects held
// in memory. See Reader.
func Bytes(ctx context.Context, data []byte, opt Options) (*Report, error) {
	return Reader(ctx, bytes.NewReader(data), opt)
}

// Object validates one object built in Go (or decoded): its canonical JSON
// goes through the object checks (no bundle-level checks).
func Object(obj stix.Object, opt Options) (*Report, error) {
	raw, err := stix.Marshal(obj)
	if err != nil {
		return nil, err
	}
	opt.Workers = 1
	return Bytes(context.Background(), raw, opt)
}

// countingReader counts the bytes read, and keeps the last bytes read (and
// the number of lines before them) so that a syntax error's byte offset can
// be given as a line and a column.
type countingReader struct {
	r io.Reader
	// beforeRead, if set, runs before each read of r (in the reading
	// goroutine); its error ends the input.
	beforeRead func() error
	mu         sync.Mutex
	n          int64  // bytes read
	lines      int64  // newlines before the window
	ring       []byte // the window: the last bytes read (at most windowBytes), byte k of the input at k % windowBytes
}

const windowBytes = 256 << 10

func (c *countingReader) Read(p []byte) (int, error) {
	if c.beforeRead != nil {
		if err := c.beforeRead(); err != nil {
			return 0, err
		}
	}
	n, err := c.r.Read(p)
	c.mu.Lock()
	c.keep(p[:n])
	c.mu.Unlock()
	return n, err
}

// keep appends data to the window, counting the lines of what falls out
// of it.
func (c *countingReader) keep(data []byte) {
	if len(data) >= windowBytes {
		// All the window and the start of data fall out; the end of data
		// is the window.
		c.lines += int64(bytes.Count(c.ring, []byte{'\n'})) + int64(bytes.Count(data[:len(data)-windowBytes], []byte{'\n'}))
		c.n += int64(len(data) - windowBytes)
		data = data[len(data)-windowBytes:]
		if len(c.ring) < windowBytes {
			c.ring = make([]byte, windowBytes)
		}
		at := int(c.n % windowBytes)
		copy(c.ring[at:], data)
		copy(c.ring[:at], data[windowBytes-at:])
		c.n += windowBytes
		return
	}
	for len(data) > 0 {
		at := int(c.n % windowBytes)
		if len(c.ring) < windowBytes {
			// Still filling the ring for the first time: at == len(c.ring).
			m := min(len(data), windowBytes-len(c.ring))
			c.ring = append(c.ring, data[:m]...)
			c.n += int64(m)
			data = data[m:]
			continue
		}
		m := min(len(data), windowBytes-at)
		c.lines += int64(bytes.Count(c.ring[at:at+m], []byte{'\n'}))
		copy(c.ring[at:], data[:m])
		c.n += int64(m)
		data = data[m:]
	}
}

// position returns the line and column (from 1; the column counts
// characters) of a byte offset of the input, or ok false when the text
// there is no longer kept.
func (c *countingReader) position(off int64) (line, col int, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	start := c.n - int64(len(c.ring)) // offset of the window's first byte
	if off < start || off > c.n {
		return 0, 0, false
	}
	// The window in input order.
	window := c.ring
	if len(c.ring) == windowBytes {
		at := int(c.n % windowBytes)
		window = append(append(make([]byte, 0, windowBytes), c.ring[at:]...), c.ring[:at]...)
	}
	before := window[:off-start]
	line = int(c.lines+int64(bytes.Count(before, []byte{'\n'}))) + 1
	i := bytes.LastIndexByte(before, '\n')
	if i < 0 && start > 0 {
		return 0, 0, false // the line starts before the window
	}
	return line, utf8.RuneCount(before[i+1:]) + 1, true
}

// skipBOM drops a UTF-8 byte-order mark at the start of r.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	return br
}

func (c *countingReader) count() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// job is one object on its way through the worker pool.
type job struct {
	index int
	raw   []byte
	// obj and parseErr are the typed decoding of raw, made when parsed
	// is set (validator.parse).
	obj      stix.Object
	parseErr error
	parsed   bool
	// start is the object's byte offset in the input (-1: unknown).
	start int64
	// bundleSpec is the bundle's spec_version (STIX 2.0 bundles).
	bundleSpec string
	res        objResult
}

// objResult is what a worker found about one object, plus what the
// bundle-level checks need.
type objResult struct {
	findings    []*Finding
	id          string
	typ         string
	modified    string
	specVersion string
	sum         uint64
	refs        []ref // only with EnforceRefs
}

type ref struct {
	target  string
	pointer string
}

// Reader validates a STIX input read from r: a bundle, a single object or a
// JSON array of objects. The input is streamed: memory is bounded by the
// largest object and the number of workers (plus, for the bundle-level
// checks, a few bytes per object id). Objects are validated in parallel by
// Options.Workers goroutines; findings come out in input order.
//
// The error is non-nil only for bad options, a read error of r, or the
// cancellation of ctx; problems with the content (malformed JSON included)
// are findings in the report. When ctx is cancelled, the report of the
// objects validated so far comes with ctx's error.
func Reader(ctx context.Context, r io.Reader, opt Options) (*Report, error) {
	return read(ctx, r, opt, false)
}

// read is Reader; typedFirst decodes every object into the typed model
// first (see validator.typedFirst).
func read(ctx context.Context, r io.Reader, opt Options, typedFirst bool) (*Report, error) {
	v, err := newValidator(opt)
	if err != nil {
		return nil, err
	}
	v.typedFirst = typedFirst
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	cr := &countingReader{r: skipBOM(r)}
	dec := bundle.NewDecoder(cr, bundle.DecodeOptions{
		MaxDepth:       opt.MaxDepth,
		MaxObjectBytes: opt.MaxObjectBytes,
		Object:         stix.DecodeOptions{MaxDepth: opt.MaxDepth},
	})
	v.decodeOpt = stix.DecodeOptions{MaxDepth: opt.MaxDepth}
	v.cr = cr
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	mem := newBudget(ctx, inFlightBytes)
	jobs := make(chan *batch, workers*2)
	order := make(chan *batch, workers*4)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var keys jsonscan.Keys
			for bt := range jobs {
				for _, j := range bt.jobs {
					if v.typedFirst {
						v.parse(j)
					}
					j.res = v.object(j, &keys)
					mem.release(int64(len(j.raw)))
					j.raw, j.obj = nil, nil
				}
				bt.buf = nil
				close(bt.done)
			}
		}()
	}

	// The reader: decode objects in order and hand them out in batches
	// (fewer hand-offs between goroutines). A batch goes when it is full,
	// and before the reader waits for more input, so that a slow stream is
	// validated as it comes.
	var readErr error
	var fatal *Finding
	var cur *batch
	send := func() bool {
		if cur == nil {
			return true
		}
		bt := cur
		cur = nil
		select {
		case order <- bt:
		case <-ctx.Done():
			return false
		}
		select {
		case jobs <- bt:
		case <-ctx.Done():
			return false
		}
		return true
	}
	cr.beforeRead = func() error {
		if !send() {
			return ctx.Err()
		}
		return nil
	}
	go func() {
		defer close(order)
		defer close(jobs)
		defer send()
		for {
			if ctx.Err() != nil {
				return
			}
			raw, err := dec.NextRaw()
			if err == io.EOF {
				return
			}
			if err != nil {
				switch {
				case ctx.Err() != nil:
				case errors.Is(err, bundle.ErrSyntax):
					fatal = syntaxFinding(err, cr)
				case errors.Is(err, bundle.ErrEnvelope):
					fatal = &Finding{Index: -1, Pointer: "/" + envMember(err), Code: CodeBundle, Message: strings.TrimPrefix(err.Error(), "bundle: ")}
				case errors.Is(err, bundle.ErrTooLarge):
					fatal = &Finding{Index: dec.Index() + 1, Code: CodeParse, Message: err.Error()}
				default:
					readErr = err
				}
				return
			}
			// Bound the bytes of the objects in flight, so that memory
			// follows the largest object rather than the read-ahead.
			n := int64(len(raw))
			if !mem.tryAcquire(n) {
				if !send() || !mem.acquire(ctx, n) {
					return
				}
			}
			if cur != nil && (len(cur.jobs) == batchObjects || len(cur.buf)+len(raw) > cap(cur.buf)) {
				if !send() {
					return
				}
			}
			if cur == nil {
				cur = &batch{done: make(chan struct{})}
			}
			if h := dec.Header(); h.IsBundle || h.IsArray {
				// The decoder reuses its buffer: copy, into the batch's.
				if cur.buf == nil && len(raw) <= batchBytes {
					cur.buf = make([]byte, 0, batchBytes)
				}
				if len(cur.buf)+len(raw) <= cap(cur.buf) {
					at := len(cur.buf)
					cur.buf = append(cur.buf, raw...)
					raw = cur.buf[at:len(cur.buf):len(cur.buf)]
				} else {
					raw = append([]byte(nil), raw...)
				}
			} // a single object's bytes stay valid: no copy
			cur.jobs = append(cur.jobs, &job{index: dec.Index(), raw: raw, start: dec.RawOffset(), bundleSpec: dec.Header().SpecVersion})
		}
	}()

	rep := &Report{}
	b := newBundleState(v)
	for bt := range order {
		select {
		case <-bt.done:
		default:
			select {
			case <-bt.done:
			case <-ctx.Done():
				wg.Wait()
				return partial(rep, cr), ctx.Err()
			}
		}
		for _, j := range bt.jobs {
			rep.Objects++
			b.add(rep, j)
			if opt.Progress != nil && rep.Objects%1000 == 0 {
				opt.Progress(rep.Objects, cr.count())
			}
		}
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return partial(rep, cr), err
	}
	if readErr != nil {
		return nil, readErr
	}
	hdr := dec.Header()
	if fatal != nil {
		v.record(rep, fatal)
	}
	if fatal == nil || fatal.Code == CodeBundle {
		b.envelope(rep, hdr)
	}
	b.finish(rep)
	rep.Bytes = cr.count()
	rep.Valid = len(rep.Errors) == 0
	if opt.Progress != nil {
		opt.Progress(rep.Objects, rep.Bytes)
	}
	return rep, nil
}

// inFlightBytes bounds the size of the objects read but not yet validated
// (one object larger than that is let through alone).
const inFlightBytes = 32 << 20

// A batch holds at most batchObjects objects, copied into one buffer of
// batchBytes (a larger object has its own).
const (
	batchObjects = 64
	batchBytes   = 128 << 10
)

// batch is a run of objects validated by one worker, in order.
type batch struct {
	jobs []*job
	buf  []byte
	done chan struct{}
}

// budget counts bytes in flight.
type budget struct {
	mu        sync.Mutex
	cond      *sync.Cond
	used, max int64
	done      bool
}

func newBudget(ctx context.Context, max int64) *budget {
	b := &budget{max: max}
	b.cond = sync.NewCond(&b.mu)
	context.AfterFunc(ctx, func() {
		b.mu.Lock()
		b.done = true
		b.mu.Unlock()
		b.cond.Broadcast()
	})
	return b
}

// tryAcquire takes n bytes if they fit without waiting.
func (b *budget) tryAcquire(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done || b.used > 0 && b.used+n > b.max {
		return false
	}
	b.used += n
	return true
}

// acquire waits until n more bytes fit (or nothing is in flight); false
// when ctx is done.
func (b *budget) acquire(ctx context.Context, n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for !b.done && b.used > 0 && b.used+n > b.max {
		b.cond.Wait()
	}
	if b.done {
		return false
	}
	b.used += n
	return true
}

func (b *budget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
	b.cond.Broadcast()
}

// partial completes the report of an interrupted validation.
func partial(rep *Report, cr *countingReader) *Report {
	rep.Bytes = cr.count()
	rep.Valid = len(rep.Errors) == 0
	return rep
}

func envMember(err error) string {
	var ee *bundle.EnvelopeError
	if errors.As(err, &ee) {
		return ee.Member
	}
	return ""
}

func syntaxFinding(err error, cr *countingReader) *Finding {
	var se *bundle.SyntaxError
	msg := err.Error()
	if errors.As(err, &se) {
		if line, col, ok := cr.position(se.Offset); ok {
			msg = fmt.Sprintf("%s at line %d, column %d (byte offset %d)", se.Msg, line, col, se.Offset)
		} else {
			msg = fmt.Sprintf("%s at byte offset %d", se.Msg, se.Offset)
		}
	}
	return &Finding{Index: -1, Code: CodeJSON, Message: msg}
}

// record files a finding as an error or a warning, honouring Strict and
// MaxFindings.
func (v *validator) record(rep *Report, f *Finding) {
	if v.opt.MaxFindings > 0 && len(rep.Errors)+len(rep.Warnings) >= v.opt.MaxFindings {
		rep.Truncated = true
		if severityOf(f.Code) == Must || v.opt.Strict {
			// Keep validity right even when the details are dropped.
			if len(rep.Errors) == 0 {
				rep.Errors = append(rep.Errors, f)
			}
		}
		return
	}
	isErr := severityOf(f.Code) == Must || v.opt.Strict
	if isErr {
		rep.Errors = append(rep.Errors, f)
	} else {
		rep.Warnings = append(rep.Warnings, f)
	}
	if v.opt.OnFinding != nil {
		v.opt.OnFinding(f, isErr)
	}
}

// bundleState holds what the bundle-level checks remember across objects.
type bundleState struct {
	v         *validator
	versions  map[versionKey]uint64 // hash of id + NUL + modified → content sum
	ids       map[string]bool       // every id seen (EnforceRefs)
	refs      []pendingRef          // EnforceRefs
	specSeen  map[string]int        // spec_version → first index
	specOrder []string
}

type pendingRef struct {
	index   int
	id      string
	ptr     string
	target  string
	fromTyp string
}

// versionKey is a 128-bit digest of an object's id and modified: the
// duplicate-id index holds one per object, so it stays 16 bytes whatever the
// id's length (a collision needs about 2^64 objects).
type versionKey [16]byte

func newVersionKey(id, modified string) versionKey {
	h := sha256.New()
	h.Write([]byte(id))
	h.Write([]byte{0})
	h.Write([]byte(modified))
	var sum [sha256.Size]byte
	var k versionKey
	copy(k[:], h.Sum(sum[:0]))
	return k
}

func newBundleState(v *validator) *bundleState {
	return &bundleState{v: v, versions: map[versionKey]uint64{}, ids: map[string]bool{}, specSeen: map[string]int{}}
}

func (b *bundleState) add(rep *Report, j *job) {
	for _, f := range j.res.findings {
		b.v.record(rep, f)
	}
	r := j.res
	if r.id == "" {
		return
	}
	if b.v.opt.EnforceRefs {
		b.ids[r.id] = true
		for _, rf := range r.refs {
			b.refs = append(b.refs, pendingRef{index: j.index, id: r.id, ptr: rf.pointer, target: rf.target})
		}
	}
	if r.specVersion != "" {
		if _, ok := b.specSeen[r.specVersion]; !ok {
			b.specSeen[r.specVersion] = j.index
			b.specOrder = append(b.specOrder, r.specVersion)
			if len(b.specOrder) > 1 && b.v.cfg.enabled("spec-version-mixed") {
				b.v.record(rep, &Finding{ObjectID: r.id, Index: j.index, Pointer: "/spec_version", Code: "spec-version-mixed",
					Message: fmt.Sprintf("spec_version %q differs from %q of an earlier object (objects[%d])", r.specVersion, b.specOrder[0], b.specSeen[b.specOrder[0]])})
			}
		}
	}
	key := newVersionKey(r.id, r.modified)
	if prev, dup := b.versions[key]; dup {
		what := "modified " + r.modified
		if r.modified == "" {
			what = "no modified"
		}
		switch {
		case prev != r.sum && r.modified == "":
			// Objects without modified (SCOs) are not versioned: two
			// different copies are a conflict to look at, not a MUST.
			if b.v.cfg.enabled("203") {
				b.v.record(rep, &Finding{ObjectID: r.id, Index: j.index, Code: "203",
					Message: "another object with this id (and no modified) has different content"})
			}
		case prev != r.sum:
			if b.v.cfg.enabled(CodeDuplicateID) {
				b.v.record(rep, &Finding{ObjectID: r.id, Index: j.index, Code: CodeDuplicateID,
					Message: fmt.Sprintf("another object with this id and %s has different content", what)})
			}
		case b.v.cfg.enabled("203"):
			b.v.record(rep, &Finding{ObjectID: r.id, Index: j.index, Code: "203",
				Message: fmt.Sprintf("duplicate object: the same id and %s appear more than once", what)})
		}
	} else {
		b.versions[key] = r.sum
	}
}

// envelope checks the container.
func (b *bundleState) envelope(rep *Report, h bundle.Header) {
	if !h.IsBundle || !b.v.cfg.enabled(CodeBundle) {
		return
	}
	id := stix.Identifier(h.ID)
	switch {
	case h.ID == "":
		b.v.record(rep, &Finding{Index: -1, Pointer: "/id", Code: CodeBundle, Message: "the bundle has no id"})
	case id.Type() != "bundle":
		b.v.record(rep, &Finding{ObjectID: h.ID, Index: -1, Pointer: "/id", Code: CodeBundle, Message: fmt.Sprintf("bundle id %q does not start with \"bundle--\"", h.ID)})
	default:
		if err := id.Validate(); err != nil {
			break // reported by the decoder
		}
		if v := uuidVersion(h.ID); v != 4 && b.v.cfg.enabled("103") {
			b.v.record(rep, &Finding{ObjectID: h.ID, Index: -1, Pointer: "/id", Code: "103", Message: fmt.Sprintf("the UUID of a bundle id should be version 4 (it is version %d)", v)})
		}
	}
	if rep.Objects == 0 && h.HasObjects {
		// objects is optional, but when present it holds one or more.
		b.v.record(rep, &Finding{ObjectID: h.ID, Index: -1, Pointer: "/objects", Code: CodeBundle, Message: "objects is empty: when present, a bundle's objects holds one or more objects"})
	}
	b.bundleMembers(rep, h)
}

// bundleMembers reports the envelope members a STIX 2.1 bundle does not
// have (it has only type, id and objects): as custom properties (101/102),
// like the OASIS validator. spec_version "2.0" makes a STIX 2.0 bundle.
func (b *bundleState) bundleMembers(rep *Report, h bundle.Header) {
	v := b.v
	if h.SpecVersion != "" && h.SpecVersion != "2.0" && v.cfg.enabled("101") {
		v.record(rep, &Finding{ObjectID: h.ID, Index: -1, Pointer: "/spec_version", Code: "101",
			Message: fmt.Sprintf("spec_version %q: a STIX 2.1 bundle has no spec_version (only type, id and objects); \"2.0\" marks a STIX 2.0 bundle", h.SpecVersion)})
	}
	if v.opt.Version == "2.0" && h.SpecVersion != "2.0" {
		v.record(rep, &Finding{ObjectID: h.ID, Index: -1, Pointer: "/spec_version", Code: CodeBundle,
			Message: "validating as STIX 2.0: a STIX 2.0 bundle MUST have spec_version \"2.0\""})
	}
	for _, m := range h.Custom {
		switch {
		case v.cfg.enabled("101") && !customName(m.Name, '_', true):
			v.record(rep, &Finding{ObjectID: h.ID, Index: -1, Pointer: "/" + escape(m.Name), Code: "101",
				Message: fmt.Sprintf("%s is not a bundle property (a STIX 2.1 bundle has only type, id and objects); a custom one should have the form x_<source>_<name>", m.Name)})
		case !v.cfg.enabled("101") && v.cfg.enabled("102") && !customName(m.Name, '_', false):
			v.record(rep, &Finding{ObjectID: h.ID, Index: -1, Pointer: "/" + escape(m.Name), Code: "102",
				Message: fmt.Sprintf("%s is not a bundle property (a STIX 2.1 bundle has only type, id and objects); a custom one should start with x_", m.Name)})
		}
	}
}

// finish runs the checks that need the whole input.
func (b *bundleState) finish(rep *Report) {
	if !b.v.opt.EnforceRefs || !b.v.cfg.enabled(CodeDanglingRef) {
		return
	}
	var late []*Finding
	for _, r := range b.refs {
		if b.ids[r.target] {
			continue
		}
		if _, tlp := stix.TLPMarkings[stix.Identifier(r.target)]; tlp {
			continue
		}
		late = append(late, &Finding{ObjectID: r.id, Index: r.index, Pointer: r.ptr, Code: CodeDanglingRef,
			Message: fmt.Sprintf("%s is not in the bundle", r.target)})
	}
	sort.SliceStable(late, func(i, j int) bool { return late[i].Index < late[j].Index })
	for _, f := range late {
		b.v.record(rep, f)
	}
}

// contentSum hashes a decoded object so that key order and white space do
// not make two copies of an object differ: members are hashed one by one
// and combined by addition, which does not depend on their order.
func contentSum(v any) uint64 {
	return hashValue(v)
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// mix is the splitmix64 finalizer.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// hashSeed seeds the string hashes of contentSum: sums are compared only
// within one process.
var hashSeed = maphash.MakeSeed()

func hashValue(v any) uint64 {
	switch x := v.(type) {
	case map[string]any:
		var sum uint64 = 0x7b
		for k, e := range x {
			sum += mix(maphash.String(hashSeed, k) ^ mix(hashValue(e)+1))
		}
		return mix(sum)
	case []any:
		h := uint64(fnvOffset ^ 0x5b)
		for _, e := range x {
			h = (h ^ hashValue(e)) * fnvPrime
		}
		return mix(h)
	case string:
		return mix(maphash.String(hashSeed, x) ^ '"')
	case json.Number:
		return mix(maphash.String(hashSeed, string(x)) ^ '#')
	case bool:
		if x {
			return 0x74
		}
		return 0x66
	}
	return 0x6e
}
