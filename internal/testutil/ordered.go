package testutil

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// member is one member of a JSON object, in document order.
type member struct {
	key   string
	value any
}

// orderedObject is a JSON object that keeps its member order.
type orderedObject []member

// JSONDiffOrdered returns the first difference between two JSON documents,
// or "" when they are equal. Unlike JSONDiff it is order-aware: object
// members must come in the same order (and an object must not repeat a
// key differently); numbers compare by value, everything else exactly.
// Use it where member order is part of the contract (canonical output,
// Python-compatible bytes, lossless round trips).
func JSONDiffOrdered(a, b []byte) string {
	va, err := decodeOrdered(a)
	if err != nil {
		return "left: " + err.Error()
	}
	vb, err := decodeOrdered(b)
	if err != nil {
		return "right: " + err.Error()
	}
	return orderedDiff(va, vb, "")
}

func decodeOrdered(data []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	v, err := readOrdered(d)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the JSON value")
	}
	return v, nil
}

func readOrdered(d *json.Decoder) (any, error) {
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		obj := orderedObject{}
		for d.More() {
			k, err := d.Token()
			if err != nil {
				return nil, err
			}
			v, err := readOrdered(d)
			if err != nil {
				return nil, err
			}
			obj = append(obj, member{k.(string), v})
		}
		_, err := d.Token() // '}'
		return obj, err
	case json.Delim('['):
		arr := []any{}
		for d.More() {
			v, err := readOrdered(d)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err := d.Token() // ']'
		return arr, err
	}
	return tok, nil
}

func orderedDiff(a, b any, path string) string {
	switch x := a.(type) {
	case orderedObject:
		y, ok := b.(orderedObject)
		if !ok {
			return fmt.Sprintf("%s: object != %s", path, kindOf(b))
		}
		for i := 0; i < len(x) || i < len(y); i++ {
			switch {
			case i >= len(x):
				return fmt.Sprintf("%s/%s: added (member %d)", path, y[i].key, i)
			case i >= len(y):
				return fmt.Sprintf("%s/%s: lost (member %d)", path, x[i].key, i)
			case x[i].key != y[i].key:
				return fmt.Sprintf("%s: member %d is %q, want %q (order or names differ)", path, i, y[i].key, x[i].key)
			}
			if d := orderedDiff(x[i].value, y[i].value, path+"/"+x[i].key); d != "" {
				return d
			}
		}
	case []any:
		y, ok := b.([]any)
		if !ok {
			return fmt.Sprintf("%s: array != %s", path, kindOf(b))
		}
		if len(x) != len(y) {
			return fmt.Sprintf("%s: array of %d != array of %d", path, len(x), len(y))
		}
		for i := range x {
			if d := orderedDiff(x[i], y[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
				return d
			}
		}
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return fmt.Sprintf("%s: %s != %s", path, x, kindOf(b))
		}
		if !sameNumber(x, y) {
			return fmt.Sprintf("%s: %s != %s", path, x, y)
		}
	default:
		if a != b {
			return fmt.Sprintf("%s: %#v != %#v", path, a, b)
		}
	}
	return ""
}

func kindOf(v any) string {
	switch v := v.(type) {
	case orderedObject:
		return "object"
	case []any:
		return "array"
	case json.Number:
		return "number " + string(v)
	default:
		return fmt.Sprintf("%#v", v)
	}
}
