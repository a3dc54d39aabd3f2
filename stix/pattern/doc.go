// Package pattern parses, checks, prints and builds STIX 2.1 patterns, the
// detection language of indicators whose pattern_type is "stix".
//
// [Parse] reads the whole grammar of STIX 2.1 Patterning: observation
// expressions in brackets joined by AND, OR and FOLLOWEDBY (in increasing
// order of looseness), parentheses, the qualifiers WITHIN, REPEATS and
// START/STOP, comparison expressions joined by AND and OR, NOT, every
// comparison operator, object paths with dictionary keys, list indexes and
// quoted components, and every literal kind. It is a hand-written recursive
// descent parser with no dependencies; it accepts exactly what the OASIS
// ANTLR grammar accepts, plus the duplicate-qualifier rule of the OASIS
// pattern validator, with the few deliberate differences listed below.
// A syntax error is a [*SyntaxError] carrying the byte offset, line and
// column of the offending token.
//
// The result is an abstract syntax tree ([Pattern], [ObservationExpr],
// [ComparisonExpr], [ObjectPath], [Literal]) that prints back in a normalized
// form with [Pattern.String] and can be visited with [Walk] and [Inspect].
//
// [Check] applies the name rules of the OASIS validator's "patterns" check:
// object types must be valid STIX type names, properties of the 18 STIX 2.1
// Cyber-observable Object types must be defined properties (custom ones need
// the x_ prefix), custom types need the x- prefix, and hash values compared
// with hashes.<algorithm> must have the right form. [Validate] is Parse then
// Check. Parse plus the hash rule alone ([CheckOptions].SkipNames) is what
// the Python stix2 library enforces when it creates an indicator.
//
// The builder ([Equals], [In], [Exists], [Observation], …) produces patterns
// from Go code with correct quoting and escaping:
//
//	p, err := pattern.Observation(
//		pattern.Equals("ipv4-addr:value", pattern.Str("198.51.100.1")).
//			Or(pattern.Equals("ipv4-addr:value", pattern.Str("198.51.100.2"))),
//	).Within(300).Build()
//
// # Differences from the ANTLR grammar
//
//   - Timestamps t'…' must also be real calendar dates (no 30 February); the
//     grammar only checks each field's range. Leap seconds (:60) are kept.
//   - List indexes must fit in an int64.
//   - Columns in errors count Unicode code points from 1, while the Python
//     validator counts from 0: its "line 1:13" is this package's "1:14".
//   - The input must be valid UTF-8 and at most [ParseOptions.MaxBytes]
//     bytes long, and parentheses nest at most [ParseOptions.MaxDepth] deep.
//
// # Concurrency
//
// Every function is safe for concurrent use. A [*Pattern] is not modified
// by this package after Parse or Build returns, so it may be read from many
// goroutines.
package pattern
