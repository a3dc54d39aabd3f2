// Package bundle builds, encodes and streams STIX bundles.
//
//   - Builder: a fluent builder for the job "build a report in Go code"
//     (identity, markings, indicators, relationships, sightings), which
//     collects every problem and returns them joined from Build.
//   - Decoder: reads objects one at a time from a bundle of any size (or a
//     single object, or an array of objects) in bounded memory.
//   - Encoder: writes a bundle object by object.
//   - Writers for the canonical form and for the exact bytes of the Python
//     stix2 library's serialize() (compact and pretty).
//   - Versioning and marking helpers: NewVersion, Revoke, object and
//     granular markings.
package bundle
