package helper

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/stixkit/stixkit/internal/pyjson"
)

// SendOptions are the per-send arguments of send_stix2_bundle. Fields a
// protocol does not know are ignored by it (1.1 uses only EntitiesTypes).
type SendOptions struct {
	// EntitiesTypes restricts the import to these STIX types; nil or empty
	// means all ("entities_types": []).
	EntitiesTypes []string
	// The following are the arguments of the current protocol (pycti 6.x).
	WorkID                    string // work_id
	Update                    bool   // update
	DraftID                   string // draft_id
	ApplicantID               string // applicant_id (dry run; normally from registration)
	EventVersion              string // event_version
	CleanupInconsistentBundle bool   // cleanup_inconsistent_bundle
}

// Protocol is one version of the OpenCTI connector wire protocol. It is
// pure: it turns a bundle into messages and says what to declare; the
// Helper does the I/O through a Publisher.
type Protocol interface {
	// Name is the protocol's name as given to Config.Protocol ("1.1").
	Name() string
	// Broker returns where to connect and whether a broker is configured;
	// without one the Helper uses the dry-run sink.
	Broker() (RabbitMQConfig, bool)
	// Topology declares the exchanges, queues and bindings the protocol
	// needs; nil when it needs none.
	Topology() Topology
	// Messages splits and encodes one bundle: the messages to publish, in
	// order, and the JSON text of each split bundle.
	Messages(bundle pyjson.Value, opt SendOptions) (msgs []Message, pieces [][]byte, err error)
}

// ProtocolFactory builds a Protocol from a loaded configuration. It may do
// I/O (a registration call) and must honour ctx.
type ProtocolFactory func(ctx context.Context, cfg *Config) (Protocol, error)

// protocols holds the known protocols by name; protocol files add
// themselves from init functions with registerProtocol.
var protocols = map[string]ProtocolFactory{}

// protocolChoosers decide the protocol when Config.Protocol is empty; the
// first that returns a non-empty name wins, else "1.1".
var protocolChoosers []func(cfg *Config) string

func registerProtocol(name string, f ProtocolFactory) { protocols[name] = f }

// Protocols returns the names of the protocols compiled in, sorted.
func Protocols() []string {
	names := make([]string, 0, len(protocols))
	for n := range protocols {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// chooseProtocol returns the protocol name for cfg.
func chooseProtocol(cfg *Config) string {
	if cfg.Protocol != "" {
		return cfg.Protocol
	}
	for _, f := range protocolChoosers {
		if n := f(cfg); n != "" {
			return n
		}
	}
	return Protocol11Name
}

func newProtocol(ctx context.Context, cfg *Config) (Protocol, error) {
	name := chooseProtocol(cfg)
	f, ok := protocols[name]
	if !ok {
		return nil, fmt.Errorf("%w: protocol %q is not available (have %s)", ErrConfig, name, strings.Join(Protocols(), ", "))
	}
	return f(ctx, cfg)
}
