// Package gen is the stixkit code generator: it reads STIX JSON schemas
// (the project's own, the OASIS ones, or a user's extension schemas), builds
// an intermediate representation in which every naming and typing decision
// is made, and prints Go source through templates, formatted with go/format.
//
// Stages: Load (schema files → ordered JSON nodes, $ref resolution) → Build
// (nodes → IR: types, fields, vocabularies) → Emit (IR → Go files).
package gen
