// Package helper is an OpenCTI connector helper for Go: a drop-in
// replacement for pycti's OpenCTIConnectorHelper.send_stix2_bundle.
//
// A connector loads its configuration (LoadConfig: config.yml or environment
// variables), creates a Helper (New), and sends STIX bundles with
// SendStix2Bundle, usually from the Run loop, which repeats a job on an
// interval, stops on SIGINT/SIGTERM and keeps a small JSON state file.
//
// The OpenCTI 1.1 protocol (pycti 1.2.15) is implemented exactly: the same
// exchange, queue and binding declarations, the same three-pass splitter and
// message bodies byte-identical with Python's json.dumps. Beyond pycti, and
// without changing a byte on the wire, every publish is confirmed by the
// broker (pipelined confirms), a nack or a lost connection is retried after
// reconnecting with exponential backoff (nothing lost, at most duplicated,
// which OpenCTI's upsert tolerates), delivery can be made persistent,
// amqps/TLS is supported and every call honours its context.
//
// With no broker configured, or with Config.DryRun, the same code path
// writes each would-be publish as one JSON line
// {"exchange", "routing_key", "properties", "body"} instead (the dry-run
// sink), so connectors and `stixkit send` run without RabbitMQ.
//
// The package is organised so that other protocols plug in: see
// DESIGN-NOTES.md. Protocol-agnostic parts are config.go (loading),
// publisher.go (Message, Publisher, Declarer), amqp.go (the confirming,
// reconnecting publisher), dryrun.go (the sink), helper.go (Helper) and
// run.go (runtime and state); the 1.1 protocol lives in protocol11.go,
// split11.go, encode11.go and fastpath11.go.
package helper
