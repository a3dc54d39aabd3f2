package validate_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/validate"
)

// TestArticles: messages naming a type read "an indicator", "an
// email-addr", "a malware", never "a indicator".
func TestArticles(t *testing.T) {
	const ts = `"created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z"`
	const ind = `{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-1cbf-938f-98ee46b3cd3f",` + ts +
		`,"pattern":"[ipv4-addr:value = '1.2.3.4']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}`
	for _, tc := range []struct{ json, want string }{
		{ind, "the UUID of an indicator id should be version 4 (it is version 1)"},
		{`{"type":"malware","spec_version":"2.1","id":"malware--8e2e2d2b-17d4-1cbf-938f-98ee46b3cd3f",` + ts + `,"is_family":false}`,
			"the UUID of a malware id should be version 4"},
		{`{"type":"email-addr","spec_version":"2.1","id":"email-addr--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","value":"a@example.com"}`,
			"the id of an email-addr with id-contributing properties (value) should be a version 5 UUID"},
		{`{"type":"sighting","spec_version":"2.1","id":"sighting--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",` + ts +
			`,"sighting_of_ref":"email-addr--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}`,
			"sighting_of_ref may not refer to an email-addr object"},
	} {
		rep, err := validate.Bytes(context.Background(), []byte(tc.json), validate.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var all []string
		for _, f := range append(rep.Errors, rep.Warnings...) {
			all = append(all, f.Message)
		}
		text := strings.Join(all, "\n")
		if !strings.Contains(text, tc.want) {
			t.Errorf("want %q in:\n%s", tc.want, text)
		}
		for _, bad := range []string{" a indicator", " a email", " a observed"} {
			if strings.Contains(text, bad) {
				t.Errorf("%q in:\n%s", bad, text)
			}
		}
	}
}
