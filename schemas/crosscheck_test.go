package schemas

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
	"github.com/xeipuuv/gojsonschema"
)

// oasisSchemas compiles the OASIS reference schemas (registered under their
// own $id; draft 2020-12 declared, draft-07 keywords used, so gojsonschema's
// hybrid draft), one per object type.
type oasisSchemas struct {
	types         map[string]*gojsonschema.Schema
	core, scoCore *gojsonschema.Schema
}

func loadOASIS(t testing.TB) *oasisSchemas {
	t.Helper()
	root := testutil.SharedFile(t, "reference/oasis-stix2.1-schemas/schemas")
	loader := gojsonschema.NewSchemaLoader()
	loader.Validate = false
	loader.AutoDetect = false
	loader.Draft = gojsonschema.Hybrid
	ids := map[string]string{} // rel path → $id
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var head struct {
			ID string `json:"$id"`
		}
		if err := json.Unmarshal(b, &head); err != nil {
			return fmt.Errorf("%s: %v", p, err)
		}
		rel, _ := filepath.Rel(root, p)
		ids[filepath.ToSlash(rel)] = head.ID
		return loader.AddSchema(head.ID, gojsonschema.NewBytesLoader(b))
	})
	if err != nil {
		t.Fatal(err)
	}
	o := &oasisSchemas{types: map[string]*gojsonschema.Schema{}}
	for rel, id := range ids {
		dir, file := filepath.Split(rel)
		typ := strings.TrimSuffix(file, ".json")
		if dir == "common/" && typ != "core" && typ != "cyber-observable-core" && !isMetaType(typ) {
			continue
		}
		s, err := loader.Compile(gojsonschema.NewReferenceLoader(id))
		if err != nil {
			t.Fatalf("OASIS %s: %v", rel, err)
		}
		switch typ {
		case "core":
			o.core = s
		case "cyber-observable-core":
			o.scoCore = s
		default:
			o.types[typ] = s
		}
	}
	return o
}

// validate reports whether the OASIS schemas accept obj (the observed-data
// schema checks its objects entries itself), with the failure messages.
func (o *oasisSchemas) validate(obj map[string]any) (bool, []string) {
	typ, _ := obj["type"].(string)
	s := o.types[typ]
	if s == nil {
		_, c := obj["created"]
		_, m := obj["modified"]
		if c || m {
			s = o.core
		} else {
			s = o.scoCore
		}
	}
	res, err := s.Validate(gojsonschema.NewRawLoader(obj))
	if err != nil {
		return false, []string{err.Error()}
	}
	var msgs []string
	for _, e := range res.Errors() {
		msgs = append(msgs, e.String())
	}
	return res.Valid(), msgs
}

// knownDisagreement lists, per object type, the objects of the corpus on
// which our schemas and the OASIS schemas disagree for a known reason. The
// key is "<type> <id>" or "<type> *" for every object of the type; the value
// is the reason (which side is right, per the STIX 2.1 specification).
var knownDisagreement = map[string]string{
	// tcm1911-stix2/all.json: one-element header lists such as
	// "X-Mailer": ["Mutt/1.5.23"]. STIX 2.1 says each value of
	// additional_header_fields MUST be a list of strings; the OASIS schema
	// accepts a string or a list of at least two strings.
	"email-message email-message--cf9b4b7f-14c8-5955-8065-020e0316b559": "OASIS wrongly rejects one-element additional_header_fields lists (spec: list of strings)",
}

type corpusObject struct {
	file        string
	index       int
	specVersion string // the bundle's spec_version (STIX 2.0), "" otherwise
	raw         json.RawMessage
}

// corpusObjects returns every object of every JSON file of the shared
// corpus: the objects of bundles, the elements of top-level arrays, and
// single objects.
func corpusObjects(t testing.TB) []corpusObject {
	t.Helper()
	root := testutil.SharedFile(t, "corpus")
	var out []corpusObject
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		b = bytes.TrimSpace(b)
		if len(b) > 0 && b[0] == '[' {
			var arr []json.RawMessage
			if err := json.Unmarshal(b, &arr); err != nil {
				return fmt.Errorf("%s: %v", rel, err)
			}
			for i, r := range arr {
				out = append(out, corpusObject{file: rel, index: i, raw: r})
			}
			return nil
		}
		var env struct {
			Type        string            `json:"type"`
			SpecVersion string            `json:"spec_version"`
			Objects     []json.RawMessage `json:"objects"`
		}
		if err := json.Unmarshal(b, &env); err != nil {
			return fmt.Errorf("%s: %v", rel, err)
		}
		if env.Type != "bundle" {
			out = append(out, corpusObject{file: rel, index: -1, raw: b})
			return nil
		}
		for i, r := range env.Objects {
			out = append(out, corpusObject{file: rel, index: i, specVersion: env.SpecVersion, raw: r})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func decodeObject(raw []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

// fullCrossCheck reports whether STIXKIT_FULL_CROSSCHECK=1 asks for the
// OASIS schemas on every corpus object (CI sets it).
func fullCrossCheck() bool { return os.Getenv("STIXKIT_FULL_CROSSCHECK") == "1" }

// samplePerType is how many objects of each type the OASIS schemas check
// in the default (sampled) cross-check.
const samplePerType = 24

// crossCheckSet chooses the objects the OASIS schemas check: all of them
// with full, else a deterministic sample, spread evenly over the corpus,
// of up to samplePerType objects per type, plus every object our schemas
// reject (where a disagreement that matters most would show: we refuse
// what the reference accepts) and every object knownDisagreement names
// (so that a stale entry is still found). The objects our schemas accept
// outside the sample are only compared in the full run.
func crossCheckSet(objs []corpusObject, ours []verdict, full bool) []int {
	if full {
		idx := make([]int, len(objs))
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	byType := map[string][]int{}
	var idx []int
	for i, r := range ours {
		typ := strings.SplitN(r.key, " ", 2)[0]
		_, known := knownDisagreement[r.key]
		_, knownType := knownDisagreement[typ+" *"]
		if !r.oursOK || known || knownType {
			idx = append(idx, i)
			continue
		}
		byType[typ] = append(byType[typ], i)
	}
	for _, list := range byType {
		if len(list) <= samplePerType {
			idx = append(idx, list...)
			continue
		}
		for k := 0; k < samplePerType; k++ {
			idx = append(idx, list[k*len(list)/samplePerType])
		}
	}
	sort.Ints(idx)
	return idx
}

// verdict is both sides' answer for one corpus object.
type verdict struct {
	key, where string
	ours       []*Error
	theirs     []string
	oursOK     bool
	theirsOK   bool
	checked    bool // the OASIS schemas checked it
}

// parallel runs f(i) for i in [0, n) on GOMAXPROCS goroutines and returns
// the first error (workers never call t.Fatal: only the test goroutine may).
func parallel(n int, f func(i int) error) error {
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	work := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if err := f(i); err != nil {
					once.Do(func() { first = err })
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	return first
}

// TestCrossCheckOASIS validates the objects of the corpus against our
// schemas and against the OASIS reference schemas and fails on any
// disagreement not listed in knownDisagreement. Our schemas check every
// object; the OASIS schemas, slow (gojsonschema recompiles their
// patternProperties regexps on every call), check the sample of
// crossCheckSet, or every object with STIXKIT_FULL_CROSSCHECK=1 (CI).
// Each side's schemas are compiled once and shared by the workers.
//
// STIX 2.0 bundles (spec_version on the bundle, none on the objects) are
// checked the same way on both sides: the bundle's spec_version is copied
// into every object that has created/modified but no spec_version (what
// ValidateObjectVersion does), then the object is checked against the STIX
// 2.1 schema of its type. Requirements new in 2.1 are therefore reported by
// both.
func TestCrossCheckOASIS(t *testing.T) {
	if testing.Short() {
		t.Skip("the OASIS schemas validate slowly (patternProperties); skipped with -short")
	}
	objs := corpusObjects(t)
	oasis := loadOASIS(t)
	v := Default()

	values := make([]map[string]any, len(objs))
	results := make([]verdict, len(objs))
	err := parallel(len(objs), func(i int) error {
		o := objs[i]
		m, err := decodeObject(o.raw)
		if err != nil {
			return fmt.Errorf("%s[%d]: %v", o.file, o.index, err)
		}
		if o.specVersion != "" {
			if _, ok := m["spec_version"]; !ok {
				_, c := m["created"]
				_, md := m["modified"]
				if c || md {
					m["spec_version"] = o.specVersion
				}
			}
		}
		ours := v.ValidateValue(m)
		typ, _ := m["type"].(string)
		id, _ := m["id"].(string)
		values[i] = m
		results[i] = verdict{key: typ + " " + id, where: fmt.Sprintf("%s[%d]", o.file, o.index), ours: ours, oursOK: len(ours) == 0}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	set := crossCheckSet(objs, results, fullCrossCheck())
	err = parallel(len(set), func(k int) error {
		i := set[k]
		results[i].theirsOK, results[i].theirs = oasis.validate(values[i])
		results[i].checked = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	counts := map[string]int{}
	var report []string
	used := map[string]bool{}
	for _, r := range results {
		if !r.checked {
			continue
		}
		if r.oursOK == r.theirsOK {
			counts["agree"]++
			if !r.oursOK {
				counts["agree-invalid"]++
			}
			continue
		}
		typ := strings.SplitN(r.key, " ", 2)[0]
		if reason, ok := knownDisagreement[r.key]; ok && reason != "" {
			counts["known"]++
			used[r.key] = true
			continue
		}
		if reason, ok := knownDisagreement[typ+" *"]; ok && reason != "" {
			counts["known"]++
			used[typ+" *"] = true
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s (%s): ours valid=%v, OASIS valid=%v", r.key, r.where, r.oursOK, r.theirsOK)
		for _, e := range r.ours {
			fmt.Fprintf(&b, "\n\tours: %s", e)
		}
		for i, m := range r.theirs {
			if i == 6 {
				fmt.Fprintf(&b, "\n\tOASIS: … %d more", len(r.theirs)-i)
				break
			}
			fmt.Fprintf(&b, "\n\tOASIS: %s", m)
		}
		report = append(report, b.String())
	}
	sort.Strings(report)
	mode := "sampled (STIXKIT_FULL_CROSSCHECK=1 checks all)"
	if fullCrossCheck() {
		mode = "full"
	}
	t.Logf("%s: %d objects, %d checked by both: %d agree (%d invalid in both), %d known disagreements, %d unexpected",
		mode, len(objs), len(set), counts["agree"], counts["agree-invalid"], counts["known"], len(report))
	if len(set) < 500 {
		t.Errorf("the OASIS schemas checked only %d objects", len(set))
	}
	for _, r := range report {
		t.Error(r)
	}
	for k := range knownDisagreement {
		if !used[k] {
			t.Errorf("knownDisagreement[%q] no longer disagrees: remove the entry", k)
		}
	}
}

// TestCrossCheckSet: the sample holds every object our schemas reject and
// every object knownDisagreement names, and at most samplePerType accepted
// objects of a type.
func TestCrossCheckSet(t *testing.T) {
	var objs []corpusObject
	var ours []verdict
	add := func(key string, ok bool) {
		objs = append(objs, corpusObject{})
		ours = append(ours, verdict{key: key, oursOK: ok})
	}
	for i := 0; i < 100; i++ {
		add(fmt.Sprintf("relationship relationship--%d", i), i != 57)
	}
	add("email-message email-message--cf9b4b7f-14c8-5955-8065-020e0316b559", true)
	add("tool tool--1", true)
	set := crossCheckSet(objs, ours, false)
	has := map[int]bool{}
	for _, i := range set {
		has[i] = true
	}
	if !has[57] || !has[100] || !has[101] || len(set) != samplePerType+3 {
		t.Errorf("sample %v", set)
	}
	if n := len(crossCheckSet(objs, ours, true)); n != len(objs) {
		t.Errorf("full: %d of %d", n, len(objs))
	}
}
