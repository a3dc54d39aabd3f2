// Package selector resolves STIX granular-marking selectors ("description",
// "external_references.[0].url") inside an object. It is the one
// implementation of the rule: package stix (AddGranularMarking,
// ResolveSelector, SelectorResolves) and package validate walk their own
// JSON representations with it.
package selector
