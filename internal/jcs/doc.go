// Package jcs implements the JSON Canonicalization Scheme of RFC 8785.
//
// Canonicalize turns any I-JSON text into its canonical form: object members
// sorted by the UTF-16 code units of their names, no insignificant
// whitespace, strings escaped minimally and numbers formatted as ECMAScript
// (ES6) Number.prototype.toString formats an IEEE-754 binary64 value. The
// result is the exact input of the Python stix2 library's deterministic SCO
// identifiers (uuid5 over the canonical JSON).
//
// Input that I-JSON forbids is rejected with a *SyntaxError: duplicate member
// names, invalid UTF-8, lone surrogates, numbers outside binary64 range, NaN
// and Infinity literals, nesting deeper than MaxDepth.
//
// All functions are safe for concurrent use.
package jcs
