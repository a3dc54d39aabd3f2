package stixid

import "testing"

func TestProblem(t *testing.T) {
	for s, ok := range map[string]bool{
		"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f":      true,
		"x-mitre-tactic--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F": true,
		"2f5b3c58-6c8b-4e5b-9f0a-2c8e3c1d9a77":                 false, // OpenCTI's bare UUID
		"Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f":      false,
		"in--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f":             false,
		"indicator--8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f":      false, // variant
		"indicator--8e2e2d2b_17d4-4cbf-938f-98ee46b3cd3f":      false,
		"": false,
	} {
		if p := Problem(s); (p == "") != ok {
			t.Errorf("%q: %q", s, p)
		}
	}
}
