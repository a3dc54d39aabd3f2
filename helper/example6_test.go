package helper_test

import (
	"fmt"

	"github.com/stixkit/stixkit/helper"
)

// ExampleSplit6 splits a bundle as pycti 6.8.10 does: one object per
// piece, dependencies first, unsupported types dropped, nb_deps added.
func ExampleSplit6() {
	bundle := []byte(`{"type": "bundle", "id": "bundle--1", "objects": [
		{"type": "relationship", "id": "relationship--1", "relationship_type": "uses", "source_ref": "malware--1", "target_ref": "x-mitre-tactic--1"},
		{"type": "malware", "id": "malware--1", "name": "BadRAT", "created_by_ref": "identity--1"},
		{"type": "identity", "id": "identity--1", "name": "ACME"},
		{"type": "x-mitre-tactic", "id": "x-mitre-tactic--1"}]}`)
	res, err := helper.Split6(bundle, helper.Split6Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range res.Pieces {
		fmt.Println(string(p))
	}
	fmt.Println("not sent:", res.Incompatible)
	// Output:
	// {"type": "bundle", "id": "bundle--1", "spec_version": "2.1", "x_opencti_seq": 1, "objects": [{"type": "identity", "id": "identity--1", "name": "ACME", "nb_deps": 1}]}
	// {"type": "bundle", "id": "bundle--1", "spec_version": "2.1", "x_opencti_seq": 2, "objects": [{"type": "malware", "id": "malware--1", "name": "BadRAT", "created_by_ref": "identity--1", "nb_deps": 2}]}
	// not sent: [relationship--1 x-mitre-tactic--1]
}
