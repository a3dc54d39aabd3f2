package stix

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/stixkit/stixkit/internal/pyjson"
	"github.com/stixkit/stixkit/internal/selector"
)

// Versioning errors.
var (
	// ErrRevoked: a revoked object cannot get a new version.
	ErrRevoked = errors.New("stix: cannot version a revoked object")
	// ErrUnmodifiable: id, type, created and created_by_ref cannot change.
	ErrUnmodifiable = errors.New("stix: property cannot change between versions")
	// ErrNotVersionable: the object has no created/modified (SCOs,
	// marking definitions).
	ErrNotVersionable = errors.New("stix: object is not versionable")
	// ErrModifiedNotLater: an explicit modified must be later than the
	// current one.
	ErrModifiedNotLater = errors.New("stix: new modified must be later than the current one")
	// ErrSelector: a granular marking selector does not resolve.
	ErrSelector = errors.New("stix: selector does not resolve inside the object")
)

// unmodifiable properties of a new version.
var unmodifiable = []string{"type", "id", "created", "created_by_ref"}

// VersionOptions configure NewVersion. The zero value stamps modified with
// the current time.
type VersionOptions struct {
	// Modified is the new version's modified; zero means now (or the old
	// value plus one millisecond when the clock is not later).
	Modified Timestamp
	// Clock returns the current time (default time.Now).
	Clock func() time.Time
}

// NewVersion returns a new version of obj: a copy changed by edit (which
// may be nil) with a later modified. It refuses revoked objects, objects
// without modified, and changes of id, type, created or created_by_ref.
// obj itself is not changed.
func NewVersion[T Object](obj T, opt VersionOptions, edit func(T)) (T, error) {
	var zero T
	old, oldTS, err := versionable(obj)
	if err != nil {
		return zero, err
	}
	cp, err := cloneAs[T](obj)
	if err != nil {
		return zero, err
	}
	if edit != nil {
		edit(cp)
	}
	nv, err := toValue(cp)
	if err != nil {
		return zero, err
	}
	return finishVersion[T](obj.ObjectID(), old, nv, oldTS, opt)
}

// NewVersionProps is NewVersion with the changes given as property values,
// as the Python library's new_version(**changes) takes them: each value is
// marshalled with encoding/json; a nil value removes the property.
func NewVersionProps[T Object](obj T, opt VersionOptions, changes map[string]any) (T, error) {
	var zero T
	old, oldTS, err := versionable(obj)
	if err != nil {
		return zero, err
	}
	nv, _ := toValue(obj)
	for _, k := range sortedKeys(changes) {
		if changes[k] == nil {
			nv.Delete(k)
			continue
		}
		raw, err := json.Marshal(changes[k])
		if err != nil {
			return zero, fmt.Errorf("stix: new version of %s: %s: %w", obj.ObjectID(), k, err)
		}
		v, err := pyjson.Parse(raw, pyjson.ParseOptions{})
		if err != nil {
			return zero, err
		}
		if k == "modified" {
			ts, err := ParseTimestamp(v.Str)
			if err != nil {
				return zero, err
			}
			opt.Modified = ts
			continue
		}
		nv.Set(k, v)
	}
	return finishVersion[T](obj.ObjectID(), old, nv, oldTS, opt)
}

// versionable returns obj as a value with its modified, refusing revoked
// objects and objects without modified.
func versionable(obj Object) (pyjson.Value, Timestamp, error) {
	old, err := toValue(obj)
	if err != nil {
		return old, Timestamp{}, err
	}
	if rv, ok := old.Get("revoked"); ok && rv.Kind == pyjson.Bool && rv.Bool {
		return old, Timestamp{}, fmt.Errorf("%w: %s", ErrRevoked, obj.ObjectID())
	}
	oldMod, ok := old.Get("modified")
	if !ok {
		return old, Timestamp{}, fmt.Errorf("%w: %s has no modified", ErrNotVersionable, obj.ObjectID())
	}
	oldTS, err := ParseTimestamp(oldMod.Str)
	return old, oldTS, err
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// finishVersion checks the unmodifiable properties and stamps modified.
func finishVersion[T Object](id Identifier, old, nv pyjson.Value, oldTS Timestamp, opt VersionOptions) (T, error) {
	var zero T
	for _, p := range unmodifiable {
		a, _ := old.Get(p)
		b, _ := nv.Get(p)
		if string(pyjson.Dumps(a, pyjson.DumpOptions{})) != string(pyjson.Dumps(b, pyjson.DumpOptions{})) {
			return zero, fmt.Errorf("%w: %s of %s", ErrUnmodifiable, p, id)
		}
	}
	mod := opt.Modified
	if mod.IsZero() {
		clock := opt.Clock
		if clock == nil {
			clock = time.Now
		}
		mod = NewTimestamp(clock(), Milliseconds)
		if !mod.After(oldTS) {
			mod = NewTimestamp(oldTS.Time().Add(time.Millisecond), Milliseconds)
		}
	} else if !mod.After(oldTS) {
		return zero, fmt.Errorf("%w: %s is not after %s (%s)", ErrModifiedNotLater, mod, oldTS, id)
	}
	nv.Set("modified", pyjson.StringValue(mod.String()))
	return fromValue[T](nv)
}

// Revoke returns a revoked new version of obj.
func Revoke[T Object](obj T, opt VersionOptions) (T, error) {
	var zero T
	v, err := NewVersion(obj, opt, nil)
	if err != nil {
		return zero, err
	}
	val, err := toValue(v)
	if err != nil {
		return zero, err
	}
	val.Set("revoked", pyjson.BoolValue(true))
	return fromValue[T](val)
}

// AddObjectMarkings returns a copy of obj with the marking definitions
// added to object_marking_refs (once each).
func AddObjectMarkings[T Object](obj T, markings ...Identifier) (T, error) {
	return editValue(obj, func(v *pyjson.Value) error {
		refs, _ := v.Get("object_marking_refs")
		have := map[string]bool{}
		for _, r := range refs.Arr {
			have[r.Str] = true
		}
		for _, m := range markings {
			if err := m.Validate(); err != nil {
				return err
			}
			if !have[string(m)] {
				refs.Arr = append(refs.Arr, pyjson.StringValue(string(m)))
				have[string(m)] = true
			}
		}
		refs.Kind = pyjson.Array
		v.Set("object_marking_refs", refs)
		return nil
	})
}

// RemoveObjectMarkings returns a copy of obj without the given marking
// definitions in object_marking_refs.
func RemoveObjectMarkings[T Object](obj T, markings ...Identifier) (T, error) {
	return editValue(obj, func(v *pyjson.Value) error {
		refs, ok := v.Get("object_marking_refs")
		if !ok {
			return nil
		}
		drop := map[string]bool{}
		for _, m := range markings {
			drop[string(m)] = true
		}
		kept := refs.Arr[:0:0]
		for _, r := range refs.Arr {
			if !drop[r.Str] {
				kept = append(kept, r)
			}
		}
		if len(kept) == 0 {
			v.Delete("object_marking_refs")
		} else {
			v.Set("object_marking_refs", pyjson.ArrayValue(kept...))
		}
		return nil
	})
}

// AddGranularMarking returns a copy of obj with a granular marking of
// markingRef over the selectors, each of which must resolve inside obj
// ("description", "external_references.[0].url", …).
func AddGranularMarking[T Object](obj T, markingRef Identifier, selectors ...string) (T, error) {
	return editValue(obj, func(v *pyjson.Value) error {
		if len(selectors) == 0 {
			return fmt.Errorf("%w: no selectors", ErrSelector)
		}
		sels := pyjson.ArrayValue()
		for _, s := range selectors {
			if err := resolveSelector(*v, s); err != nil {
				return err
			}
			sels.Arr = append(sels.Arr, pyjson.StringValue(s))
		}
		gm, _ := v.Get("granular_markings")
		gm.Kind = pyjson.Array
		gm.Arr = append(gm.Arr, pyjson.ObjectValue(
			pyjson.Member{Key: "marking_ref", Value: pyjson.StringValue(string(markingRef))},
			pyjson.Member{Key: "selectors", Value: sels}))
		v.Set("granular_markings", gm)
		return nil
	})
}

// RemoveGranularMarkings returns a copy of obj without the granular
// markings of markingRef.
func RemoveGranularMarkings[T Object](obj T, markingRef Identifier) (T, error) {
	return editValue(obj, func(v *pyjson.Value) error {
		gm, ok := v.Get("granular_markings")
		if !ok {
			return nil
		}
		kept := gm.Arr[:0:0]
		for _, g := range gm.Arr {
			if r, _ := g.Get("marking_ref"); r.Str != string(markingRef) {
				kept = append(kept, g)
			}
		}
		if len(kept) == 0 {
			v.Delete("granular_markings")
		} else {
			v.Set("granular_markings", pyjson.ArrayValue(kept...))
		}
		return nil
	})
}

// ResolveSelector checks that a granular-marking selector (dot-separated
// property names and [index] steps) designates a value inside obj, the
// JSON of an object. The error wraps ErrSelector (or ErrSyntax when obj is
// not JSON).
func ResolveSelector(obj json.RawMessage, selector string) error {
	v, err := pyjson.Parse(obj, pyjson.ParseOptions{})
	if err != nil {
		return &ParseError{Index: -1, Msg: err.Error(), Err: ErrSyntax}
	}
	return resolveSelector(v, selector)
}

// valueWalker steps through a pyjson.Value for the shared selector rule.
var valueWalker = selector.Walker[pyjson.Value]{
	Member: pyjson.Value.Get,
	Index: func(v pyjson.Value, i int) (pyjson.Value, bool) {
		if v.Kind != pyjson.Array || i < 0 || i >= len(v.Arr) {
			return pyjson.Value{}, false
		}
		return v.Arr[i], true
	},
}

func resolveSelector(obj pyjson.Value, sel string) error {
	step, ok := selector.Resolve(valueWalker, obj, sel)
	switch {
	case ok:
		return nil
	case step == "" || step == sel:
		return fmt.Errorf("%w: %q", ErrSelector, sel)
	default:
		return fmt.Errorf("%w: %q (step %q)", ErrSelector, sel, step)
	}
}

// SelectorResolves reports whether selector resolves inside obj.
func SelectorResolves(obj Object, selector string) bool {
	v, err := toValue(obj)
	return err == nil && resolveSelector(v, selector) == nil
}

func editValue[T Object](obj T, edit func(v *pyjson.Value) error) (T, error) {
	var zero T
	v, err := toValue(obj)
	if err != nil {
		return zero, err
	}
	if err := edit(&v); err != nil {
		return zero, fmt.Errorf("%s: %w", obj.ObjectID(), err)
	}
	return fromValue[T](v)
}

func toValue(obj Object) (pyjson.Value, error) {
	raw, err := Marshal(obj)
	if err != nil {
		return pyjson.Value{}, err
	}
	return pyjson.Parse(raw, pyjson.ParseOptions{})
}

func fromValue[T Object](v pyjson.Value) (T, error) {
	var zero T
	obj, err := ParseObject(pyjson.Dumps(v, pyjson.DumpOptions{NoEnsureASCII: true}))
	if err != nil {
		return zero, err
	}
	t, ok := obj.(T)
	if !ok {
		return zero, fmt.Errorf("stix: decoded %T, want %T", obj, zero)
	}
	return t, nil
}

func cloneAs[T Object](obj T) (T, error) {
	v, err := toValue(obj)
	if err != nil {
		var zero T
		return zero, err
	}
	return fromValue[T](v)
}
