package schemas

// WithoutFastPath returns a copy of v that validates with gojsonschema
// only: the reference the fast path is compared with.
func (v *Validator) WithoutFastPath() *Validator {
	ref := *v
	ref.fast = nil
	return &ref
}

// FastSchemas returns the number of schemas that have a fast check.
func (v *Validator) FastSchemas() int { return len(v.fast) }
