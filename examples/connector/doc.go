// Command connector is an example OpenCTI connector written with
// stixkit/helper: it reads a plain list of indicators (one IP address,
// domain, URL or file hash per line) from a file or URL, turns it into STIX
// 2.1 indicators, observables and "based-on" relationships marked TLP and
// attributed to an author identity, and sends the bundle through the helper
// on an interval.
//
// Out of the box it runs in dry run against the sample list built in
// (testdata/iocs.txt), writing what it would publish as JSON lines:
//
//	go run ./examples/connector -once
//
// Set the rabbitmq keys (config.yml, or RABBITMQ_* environment variables)
// to publish to a real OpenCTI 1.1 broker. See config.sample.yml.
package main
