package helper

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/stixkit/stixkit/internal/pyjson"
)

// SendOptions are the per-send arguments of send_stix2_bundle. Fields a
// protocol does not know are ignored by it (1.1 uses only EntitiesTypes).
type SendOptions struct {
	// EntitiesTypes restricts the import to these STIX types; nil or empty
	// means all ("entities_types": []).
	EntitiesTypes []string
	// EntitiesTypesRaw, when set, is sent as the "entities_types" value
	// instead of EntitiesTypes, exactly as pycti sends whatever the
	// connector passed (in Python's json.dumps form): a connector ported
	// from Python that passes the string "Report,Indicator" sends
	// json.RawMessage(`"Report,Indicator"`); JSON null is sent as [], as
	// pycti replaces None. It must be JSON.
	EntitiesTypesRaw json.RawMessage
	// The following are the arguments of the current protocol (pycti 6.x).
	WorkID                    string  // work_id
	Update                    bool    // update
	DraftID                   string  // draft_id; "" sends null
	ApplicantID               string  // applicant_id (dry run; normally from registration)
	EventVersion              *string // event_version: nil (None) leaves it out; "" is written as ""
	CleanupInconsistentBundle bool    // cleanup_inconsistent_bundle
}

// appendEntitiesTypes appends the "entities_types" value of opt in
// json.dumps form.
func appendEntitiesTypes(dst []byte, opt *SendOptions) ([]byte, error) {
	if opt.EntitiesTypesRaw != nil {
		v, err := pyjson.Parse(opt.EntitiesTypesRaw, pyjson.ParseOptions{MaxBytes: 1 << 20})
		if err != nil {
			return dst, fmt.Errorf("helper: SendOptions.EntitiesTypesRaw is not JSON: %w", err)
		}
		if v.Kind != pyjson.Null {
			return pyjson.AppendDumps(dst, v, pyjson.DumpOptions{}), nil
		}
	}
	dst = append(dst, '[')
	for i, t := range opt.EntitiesTypes {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = pyjson.AppendString(dst, t, true)
	}
	return append(dst, ']'), nil
}

// protocol is one version of the OpenCTI connector wire protocol. It is
// pure apart from its factory (6.x registers with the platform): it turns
// a bundle into messages and says what to declare; the Helper does the I/O
// through a Publisher.
type wireProtocol interface {
	// Name is the protocol's Config.Protocol value.
	Name() Protocol
	// Broker returns where to connect and whether a broker is configured;
	// without one the Helper uses the dry-run sink.
	Broker() (RabbitMQConfig, bool)
	// topology declares the exchanges, queues and bindings the protocol
	// needs; nil when it needs none.
	topology() topologyFunc
	// messages splits and encodes one bundle given as JSON text: the
	// messages to publish, in order, and the JSON text of each piece. It
	// stops with ctx's error when ctx ends.
	messages(ctx context.Context, raw []byte, opt SendOptions) (msgs []Message, pieces [][]byte, err error)
	// beforeSend runs after a successful split, before publishing n
	// messages (6.x: the work's expectations).
	beforeSend(ctx context.Context, n int, opt SendOptions) error
	// platform returns the 6.x platform side, nil without one (1.1).
	platform() *protocol6
	// close stops background work (the 6.x ping loop).
	close()
}

// Protocol names an OpenCTI connector wire protocol (Config.Protocol).
type Protocol string

// The protocols the helper speaks.
const (
	// ProtocolOpenCTI6 is the current OpenCTI protocol (pycti 6.x,
	// recorded against 6.8.10): registration with the platform over
	// GraphQL, one object per message, works.
	ProtocolOpenCTI6 Protocol = "6"
	// ProtocolOpenCTI11 is the OpenCTI 1.1 protocol (pycti 1.2.15): the
	// connector declares its exchange, queue and binding itself.
	ProtocolOpenCTI11 Protocol = "1.1"
)

// SelectedProtocol returns the protocol New uses: Config.Protocol when
// set, else ProtocolOpenCTI6 when opencti.url and opencti.token are set,
// else ProtocolOpenCTI11.
func (c *Config) SelectedProtocol() Protocol {
	switch {
	case c.Protocol != "":
		return c.Protocol
	case c.hasPlatform():
		return ProtocolOpenCTI6
	}
	return ProtocolOpenCTI11
}

// unknownProtocol is the error for a Config.Protocol the helper lacks.
func unknownProtocol(name Protocol) error {
	return fmt.Errorf("%w: protocol %q is not available (have %s, %s)", ErrConfig, string(name), ProtocolOpenCTI11, ProtocolOpenCTI6)
}

func newProtocol(ctx context.Context, cfg *Config) (wireProtocol, error) {
	switch name := cfg.SelectedProtocol(); name {
	case ProtocolOpenCTI11:
		return newProtocol11(ctx, cfg)
	case ProtocolOpenCTI6:
		return newProtocol6(ctx, cfg)
	default:
		return nil, unknownProtocol(name)
	}
}
