package schemas

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// OASISBaseURL is the prefix of the $id of the OASIS STIX 2.1 schemas. A
// $ref to OASISBaseURL + "common/core.json" (as in schemas written for the
// OASIS validator) resolves to the embedded file of that path.
const OASISBaseURL = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/"

// checkRefs makes sure every $ref of the extra schemas resolves to a
// registered file, so that compiling never reaches for the network.
func checkRefs(builtin, extra []schemaFile) error {
	known := map[string]bool{}
	for _, f := range builtin {
		known[f.id] = true
		known[OASISBaseURL+f.path] = true
	}
	for _, f := range extra {
		known[f.id] = true
	}
	for _, f := range extra {
		var doc any
		if err := json.Unmarshal(f.data, &doc); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrSchema, f.path, err)
		}
		base, err := url.Parse(f.id)
		if err != nil {
			return fmt.Errorf("%w: %s: $id: %v", ErrSchema, f.path, err)
		}
		var bad string
		walkRefs(doc, func(ref string) {
			if bad != "" || strings.HasPrefix(ref, "#") {
				return
			}
			u, err := url.Parse(ref)
			if err != nil {
				bad = ref
				return
			}
			r := base.ResolveReference(u)
			r.Fragment = ""
			if !known[r.String()] {
				bad = ref
			}
		})
		if bad != "" {
			return fmt.Errorf("%w: %s: $ref %q names no embedded or given schema (schemas are never fetched from the network)", ErrSchema, f.path, bad)
		}
	}
	return nil
}

func walkRefs(v any, fn func(string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && k == "$ref" {
				fn(s)
				continue
			}
			walkRefs(e, fn)
		}
	case []any:
		for _, e := range x {
			walkRefs(e, fn)
		}
	}
}
