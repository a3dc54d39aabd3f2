package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/stixkit/stixkit/internal/jcs"
)

// scoNamespace is the STIX 2.1 namespace of deterministic SCO ids.
var scoNamespace = uuid.MustParse("00abedb4-aa42-466c-9c01-fed23315a9b7")

// exampleNamespace makes the ids of the connector's own SDOs deterministic,
// so that every run upserts the same objects in OpenCTI.
var exampleNamespace = uuid.MustParse("6f3d9d37-8a0e-4b8a-9c55-3b1c0c2f7a11")

// TLP 1.0 marking definitions (fixed ids from the STIX 2.1 specification).
var tlpIDs = map[string]string{
	"white": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
	"green": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
	"amber": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
	"red":   "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
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

// observable returns the SCO with its deterministic id: uuid5 over the
// RFC 8785 JSON of the id-contributing properties, as every STIX 2.1 tool.
func (i ioc) observableID() (string, error) {
	var contrib any
	if i.kind == "file" {
		contrib = map[string]any{"hashes": map[string]string{i.hash: i.value}}
	} else {
		contrib = map[string]any{"value": i.value}
	}
	raw, err := json.Marshal(contrib)
	if err != nil {
		return "", err
	}
	canon, err := jcs.Canonicalize(raw)
	if err != nil {
		return "", err
	}
	return i.kind + "--" + uuid.NewSHA1(scoNamespace, canon).String(), nil
}

// object is one STIX object with its properties in a fixed order.
type object []prop

type prop struct {
	key   string
	value any
}

// MarshalJSON writes the properties in order.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.key)
		v, err := json.Marshal(p.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// buildBundle returns a STIX 2.1 bundle: the author identity, the TLP
// marking, and for each indicator of the list an observable, an indicator
// and an indicator → observable "based-on" relationship.
func buildBundle(iocs []ioc, author, tlp string, now time.Time) ([]byte, error) {
	markingID, ok := tlpIDs[tlp]
	if !ok {
		return nil, fmt.Errorf("unknown TLP %q (want white, green, amber or red)", tlp)
	}
	ts := now.UTC().Format("2006-01-02T15:04:05.000Z")
	authorID := "identity--" + uuid.NewSHA1(exampleNamespace, []byte("identity:"+author)).String()
	objects := []object{
		{{"type", "identity"}, {"spec_version", "2.1"}, {"id", authorID}, {"created", "2024-01-01T00:00:00.000Z"},
			{"modified", "2024-01-01T00:00:00.000Z"}, {"name", author}, {"identity_class", "organization"}},
		{{"type", "marking-definition"}, {"spec_version", "2.1"}, {"id", markingID}, {"created", "2017-01-20T00:00:00.000Z"},
			{"definition_type", "tlp"}, {"name", "TLP:" + strings.ToUpper(tlp)}, {"definition", map[string]string{"tlp": tlp}}},
	}
	markings := []string{markingID}
	for _, i := range iocs {
		obsID, err := i.observableID()
		if err != nil {
			return nil, err
		}
		obs := object{{"type", i.kind}, {"spec_version", "2.1"}, {"id", obsID}}
		if i.kind == "file" {
			obs = append(obs, prop{"hashes", map[string]string{i.hash: i.value}})
		} else {
			obs = append(obs, prop{"value", i.value})
		}
		obs = append(obs, prop{"object_marking_refs", markings})
		pattern := i.pattern()
		indID := "indicator--" + uuid.NewSHA1(exampleNamespace, []byte("indicator:"+pattern)).String()
		ind := object{{"type", "indicator"}, {"spec_version", "2.1"}, {"id", indID}, {"created_by_ref", authorID},
			{"created", ts}, {"modified", ts}, {"name", i.value}, {"indicator_types", []string{"malicious-activity"}},
			{"pattern", pattern}, {"pattern_type", "stix"}, {"pattern_version", "2.1"}, {"valid_from", ts},
			{"object_marking_refs", markings}}
		relID := "relationship--" + uuid.NewSHA1(exampleNamespace, []byte("based-on:"+indID+":"+obsID)).String()
		rel := object{{"type", "relationship"}, {"spec_version", "2.1"}, {"id", relID}, {"created_by_ref", authorID},
			{"created", ts}, {"modified", ts}, {"relationship_type", "based-on"}, {"source_ref", indID}, {"target_ref", obsID},
			{"object_marking_refs", markings}}
		objects = append(objects, obs, ind, rel)
	}
	bundleID := "bundle--" + uuid.NewString()
	return json.Marshal(object{{"type", "bundle"}, {"id", bundleID}, {"objects", objects}})
}
