package schemas

// WithoutFastPath returns a copy of v that validates with gojsonschema
// only: the reference the fast path is compared with.
func (v *Validator) WithoutFastPath() *Validator {
	ref := *v
	ref.noFast = true
	return &ref
}

// FastSchemas returns the number of schemas that have a fast check.
func (v *Validator) FastSchemas() int {
	n := 0
	for _, l := range append([]*lazySchema{v.core, v.scoCore}, mapValues(v.types)...) {
		if l.fast != nil {
			n++
		}
	}
	return n
}

func mapValues(m map[string]*lazySchema) []*lazySchema {
	var out []*lazySchema
	for _, l := range m {
		out = append(out, l)
	}
	return out
}
