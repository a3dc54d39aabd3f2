// Package helper is an OpenCTI connector helper for Go: a drop-in
// replacement for pycti's OpenCTIConnectorHelper.send_stix2_bundle, for the
// current OpenCTI protocol (pycti 6.x, recorded against 6.8.10) and the
// OpenCTI 1.1 protocol (pycti 1.2.15).
//
// A connector loads its configuration (LoadConfig: config.yml or
// environment variables; the current protocol's settings are in
// Config.Platform), creates a Helper (New: with 6.x it registers with the
// platform), and sends STIX bundles with SendStix2Bundle or Send, usually
// from ScheduleWork or Run, which repeat a job on an interval and stop on
// SIGINT/SIGTERM. The protocol is Config.Protocol (ProtocolOpenCTI6 or
// ProtocolOpenCTI11), else chosen from the configuration
// (Config.SelectedProtocol).
//
// Message bodies are byte-identical with pycti's. Beyond pycti, without
// changing a byte of a body: every publish is confirmed by the broker and
// mandatory (an unroutable message is an error); a lost connection is
// retried with backoff and only unconfirmed messages are resent; errors
// retrying cannot fix (ErrPermanent: refused credentials or vhost, unknown
// host, TLS verification, missing exchange) are returned at once; every
// wait honours its context and Close cancels running sends.
//
// With Config.DryRun (or a 1.1 configuration without a broker) the same
// code path writes each would-be publish as one JSON line
// {"exchange", "routing_key", "properties", "body"} instead, and Send
// still returns the JSON text of every piece: that is how to see how a
// bundle is split.
//
// Layout: config.go (Config, loading) and config6.go (Config.Platform),
// publisher.go (Message, Publisher, Declarer), amqp.go (the confirming publisher), dryrun.go,
// helper.go (Helper, Send), protocol.go (Protocol, the protocol switch),
// protocol11.go and protocol6.go (names, topology, registration), api6.go
// (GraphQL client), schedule6.go (works, queue threshold), run.go (run
// loop, state). The wire formats live in internal/wire11 and
// internal/wire6; see DESIGN-NOTES.md.
package helper
