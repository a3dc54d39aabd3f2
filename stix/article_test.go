package stix_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/stix"
)

// TestParseBundleArticle: the error for an object where a bundle was
// expected names its type with the right article.
func TestParseBundleArticle(t *testing.T) {
	for in, want := range map[string]string{
		`{"type":"indicator","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}`: "an indicator where a bundle was expected",
		`{"type":"malware","id":"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}`:     "a malware where a bundle was expected",
	} {
		_, err := stix.ParseBundle([]byte(in))
		if !errors.Is(err, stix.ErrNotObject) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", in, err, want)
		}
	}
}
