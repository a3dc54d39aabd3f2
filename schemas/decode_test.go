package schemas

import (
	"testing"
)

// FuzzValidateObject checks that the validator never panics and returns
// either findings or an input error.
func FuzzValidateObject(f *testing.F) {
	f.Add([]byte(sdo("indicator", `"pattern":"[x:y = 1]","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z"`)))
	f.Add([]byte(sco("file", `"name":"f","extensions":{"ntfs-ext":{"sid":"1"}}`)))
	f.Add([]byte(`{"type":"observed-data","objects":{"0":{"type":"file"}}}`))
	v := Default()
	f.Fuzz(func(t *testing.T, data []byte) {
		errs, err := v.ValidateObject(data)
		if err != nil && errs != nil {
			t.Fatal("both findings and an error")
		}
	})
}
