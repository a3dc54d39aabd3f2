package helper_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/stixkit/stixkit/helper"
)

// ExampleHelper_Send_dryRun shows what the current OpenCTI protocol would
// publish, without a platform or a broker: the bundle is split as pycti
// 6.8.10 does (one object per piece, dependencies first, unsupported types
// and relationships missing an end dropped, nb_deps added) and Send
// returns the JSON text of every piece.
func ExampleHelper_Send_dryRun() {
	ctx := context.Background()
	cfg := &helper.Config{
		Protocol:     helper.ProtocolOpenCTI6,
		Platform:     helper.PlatformConfig{ConnectorID: "c0ffee00-0000-4000-8000-000000000001"},
		DryRun:       true,
		DryRunOutput: io.Discard, // the would-be publishes, as JSON lines
		Logger:       slog.New(slog.DiscardHandler),
	}
	h, err := helper.New(ctx, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	bundle := []byte(`{"type": "bundle", "id": "bundle--1", "objects": [
		{"type": "relationship", "id": "relationship--1", "relationship_type": "uses", "source_ref": "malware--1", "target_ref": "x-mitre-tactic--1"},
		{"type": "malware", "id": "malware--1", "name": "BadRAT", "created_by_ref": "identity--1"},
		{"type": "identity", "id": "identity--1", "name": "ACME"},
		{"type": "x-mitre-tactic", "id": "x-mitre-tactic--1"}]}`)
	pieces, err := h.Send(ctx, bundle, helper.SendOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range pieces {
		fmt.Println(string(p))
	}
	// Output:
	// {"type": "bundle", "id": "bundle--1", "spec_version": "2.1", "x_opencti_seq": 1, "objects": [{"type": "identity", "id": "identity--1", "name": "ACME", "nb_deps": 1}]}
	// {"type": "bundle", "id": "bundle--1", "spec_version": "2.1", "x_opencti_seq": 2, "objects": [{"type": "malware", "id": "malware--1", "name": "BadRAT", "created_by_ref": "identity--1", "nb_deps": 2}]}
}
