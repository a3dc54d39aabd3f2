package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/stix"
)

// exampleNamespace makes the ids of the connector's own SDOs deterministic,
// so that every run upserts the same objects in OpenCTI.
var exampleNamespace = uuid.MustParse("6f3d9d37-8a0e-4b8a-9c55-3b1c0c2f7a11")

// tlps are the TLP 1.0 marking definitions of the STIX 2.1 specification,
// by the name ioc.tlp gives.
var tlps = map[string]*stix.MarkingDefinition{
	"white": stix.TLPWhite, "green": stix.TLPGreen, "amber": stix.TLPAmber, "red": stix.TLPRed,
}

// ioc is one line of the list, classified.
type ioc struct {
	kind  string // ipv4-addr, ipv6-addr, domain-name, url, file
	value string // the value, or the hash for files
	hash  string // MD5, SHA-1 or SHA-256 for files
}

var domainRE = regexp.MustCompile(`(?i)^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$`)

// parseIOCs reads one indicator per line, skipping blanks and '#' comments;
// it returns the indicators and the lines it could not classify.
func parseIOCs(data []byte) (iocs []ioc, rejected []string) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if i, ok := classify(line); ok {
			iocs = append(iocs, i)
		} else {
			rejected = append(rejected, line)
		}
	}
	return iocs, rejected
}

func classify(s string) (ioc, bool) {
	if ip := net.ParseIP(s); ip != nil {
		if ip.To4() != nil && !strings.Contains(s, ":") {
			return ioc{kind: "ipv4-addr", value: s}, true
		}
		return ioc{kind: "ipv6-addr", value: s}, true
	}
	if _, err := hex.DecodeString(s); err == nil {
		switch len(s) {
		case 32:
			return ioc{kind: "file", value: strings.ToLower(s), hash: "MD5"}, true
		case 40:
			return ioc{kind: "file", value: strings.ToLower(s), hash: "SHA-1"}, true
		case 64:
			return ioc{kind: "file", value: strings.ToLower(s), hash: "SHA-256"}, true
		}
	}
	if u, err := url.Parse(s); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return ioc{kind: "url", value: s}, true
	}
	if domainRE.MatchString(s) {
		return ioc{kind: "domain-name", value: strings.ToLower(strings.TrimSuffix(s, "."))}, true
	}
	return ioc{}, false
}

// patternString quotes s as a STIX pattern string literal.
func patternString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func (i ioc) pattern() string {
	if i.kind == "file" {
		return fmt.Sprintf("[file:hashes.'%s' = %s]", i.hash, patternString(i.value))
	}
	return fmt.Sprintf("[%s:value = %s]", i.kind, patternString(i.value))
}

// observable returns the SCO, marked, with its deterministic id.
func (i ioc) observable(markings []stix.Identifier) (stix.Object, error) {
	var o stix.Object
	switch i.kind {
	case "ipv4-addr":
		o = &stix.IPv4Addr{SpecVersion: "2.1", Value: i.value, ObjectMarkingRefs: markings}
	case "ipv6-addr":
		o = &stix.IPv6Addr{SpecVersion: "2.1", Value: i.value, ObjectMarkingRefs: markings}
	case "domain-name":
		o = &stix.DomainName{SpecVersion: "2.1", Value: i.value, ObjectMarkingRefs: markings}
	case "url":
		o = &stix.URL{SpecVersion: "2.1", Value: i.value, ObjectMarkingRefs: markings}
	case "file":
		o = &stix.File{SpecVersion: "2.1", Hashes: stix.Hashes{{Algorithm: i.hash, Value: i.value}}, ObjectMarkingRefs: markings}
	default:
		return nil, fmt.Errorf("unknown observable type %q", i.kind)
	}
	// The id every STIX 2.1 tool computes: UUIDv5 over the canonical JSON
	// of the id-contributing properties.
	id, err := stix.DeterministicID(o)
	if err != nil {
		return nil, err
	}
	switch t := o.(type) {
	case *stix.IPv4Addr:
		t.ID = id
	case *stix.IPv6Addr:
		t.ID = id
	case *stix.DomainName:
		t.ID = id
	case *stix.URL:
		t.ID = id
	case *stix.File:
		t.ID = id
	}
	return o, nil
}

// stableID is a UUIDv5 id in the connector's namespace, so that every run
// upserts the same objects in OpenCTI.
func stableID(objectType, name string) stix.Identifier {
	return stix.Identifier(objectType + "--" + uuid.NewSHA1(exampleNamespace, []byte(name)).String())
}

// buildBundle returns a STIX 2.1 bundle: the author identity, the TLP
// marking, and for each indicator of the list an observable, an indicator
// and an indicator → observable "based-on" relationship.
func buildBundle(iocs []ioc, author, tlp string, now time.Time) (*stix.Bundle, error) {
	marking, ok := tlps[tlp]
	if !ok {
		return nil, fmt.Errorf("unknown TLP %q (want white, green, amber or red)", tlp)
	}
	markings := []stix.Identifier{marking.ID}
	// The author's object never changes: a fixed creation date.
	authorFactory := &stix.Factory{Clock: func() time.Time { return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) }}
	identity := authorFactory.NewIdentity(author, "organization")
	identity.ID = stableID("identity", "identity:"+author)
	f := &stix.Factory{Clock: func() time.Time { return now }}
	b := bundle.NewBuilder(bundle.BuilderOptions{Factory: f}).CreatedBy(identity).Add(marking)
	for _, i := range iocs {
		obs, err := i.observable(markings)
		if err != nil {
			return nil, err
		}
		ind := f.NewIndicator(i.pattern(), now)
		ind.ID = stableID("indicator", "indicator:"+ind.Pattern)
		ind.Name = i.value
		ind.IndicatorTypes = []stix.IndicatorType{"malicious-activity"}
		ind.ObjectMarkingRefs = markings
		// OpenCTI links an indicator to its observable with "based-on",
		// outside the STIX 2.1 relationship table but allowed by it. The
		// relationship is made here rather than with Builder.Relate so
		// that it gets a stable id, which makes OpenCTI update it on the
		// next run instead of creating another.
		rel := f.NewRelationship(ind.ID, "based-on", obs.ObjectID())
		rel.ID = stableID("relationship", "based-on:"+string(ind.ID)+":"+string(obs.ObjectID()))
		rel.ObjectMarkingRefs = markings
		b.Add(obs, ind, rel)
	}
	out, err := b.Build()
	if err != nil {
		return nil, err
	}
	return out, nil
}
