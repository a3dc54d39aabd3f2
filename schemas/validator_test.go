package schemas

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/stixkit/stixkit/internal/testutil"
)

const (
	tIdentity = `"created_by_ref":"identity--311b2d2d-f010-4473-83ec-1edf84858f4c",`
	tCommon   = `"spec_version":"2.1","created":"2017-01-01T12:34:56.000Z","modified":"2017-01-01T12:34:56.000Z"`
)

// sdo builds a minimal JSON object of the given type with the common
// properties and the given extra members.
func sdo(typ, extra string) string {
	s := `{"type":"` + typ + `","id":"` + typ + `--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d",` + tCommon
	if extra != "" {
		s += "," + extra
	}
	return s + "}"
}

func sco(typ, extra string) string {
	s := `{"type":"` + typ + `","spec_version":"2.1","id":"` + typ + `--6b7c3d5a-1f2e-5a9b-8c7d-0e1f2a3b4c5d"`
	if extra != "" {
		s += "," + extra
	}
	return s + "}"
}

func TestValidateObjectValid(t *testing.T) {
	valid := []string{
		sdo("attack-pattern", `"name":"Spear phishing","kill_chain_phases":[{"kill_chain_name":"lockheed-martin-cyber-kill-chain","phase_name":"delivery"}]`),
		sdo("indicator", `"pattern":"[ipv4-addr:value = '1.2.3.4']","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z","indicator_types":["malicious-activity"]`),
		sdo("indicator", `"pattern":"x","pattern_type":"my-own-language","valid_from":"2020-01-01T00:00:00Z","indicator_types":["not-in-the-open-vocab"]`),
		sdo("malware", `"name":"x","is_family":true,"x_mitre_platforms":["Android"],"x_custom_zero":0`),
		sdo("malware", `"is_family":false`),
		sdo("location", `"latitude":48.8,"longitude":2.3,"precision":100`),
		sdo("location", `"country":"fr"`),
		sdo("observed-data", `"first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"objects":{"0":{"type":"ipv4-addr","value":"10.0.0.1","id":"ipv4-addr--6b7c3d5a-1f2e-5a9b-8c7d-0e1f2a3b4c5d"}}`),
		sdo("report", `"name":"r","published":"2020-01-01T00:00:00Z","object_refs":["indicator--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d"],"external_references":[{"source_name":"capec","external_id":"CAPEC-163"},{"source_name":"cve","external_id":"CVE-2016-1234"},{"source_name":"x","description":"d"}]`),
		sdo("relationship", tIdentity+`"relationship_type":"uses","source_ref":"malware--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d","target_ref":"attack-pattern--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d"`),
		sdo("sighting", `"sighting_of_ref":"indicator--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d","count":0,"where_sighted_refs":["identity--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d"],"summary":false`),
		sdo("x-mitre-tactic", `"name":"Collection","x_mitre_shortname":"collection"`),
		sdo("grouping", `"context":"suspicious-activity","object_refs":["x-custom--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d"],"granular_markings":[{"selectors":["context"],"marking_ref":"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"},{"selectors":["name"],"lang":"fr"}]`),
		`{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","name":"TLP:WHITE","definition":{"tlp":"white"}}`,
		`{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003","created":"2022-10-01T00:00:00.000Z","name":"TLP:AMBER+STRICT","extensions":{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":{"extension_type":"property-extension","tlp_2_0":"amber+strict"}}}`,
		`{"type":"marking-definition","id":"marking-definition--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d","created":"2017-06-01T00:00:00Z","definition_type":"statement","definition":{"statement":"Copyright"}}`,
		sco("file", `"name":"foo.exe","hashes":{"MD5":"d41d8cd98f00b204e9800998ecf8427e","x-custom-hash":"zz"},"extensions":{"windows-pebinary-ext":{"pe_type":"exe","time_date_stamp":"2016-01-01T00:00:00Z"},"ntfs-ext":{"sid":"1"}}`),
		sco("network-traffic", `"dst_ref":"ipv4-addr--6b7c3d5a-1f2e-5a9b-8c7d-0e1f2a3b4c5d","protocols":["tcp"],"dst_port":443,"extensions":{"socket-ext":{"address_family":"AF_INET","options":{"SO_RCVBUF":1}}}`),
		sco("ipv6-addr", `"value":"2001:db8::/32"`),
		sco("mac-addr", `"value":"00:1a:2b:3c:4d:5e"`),
		sco("process", `"pid":1`),
		sco("email-message", `"is_multipart":false,"body":"hi","additional_header_fields":{"X-Mailer":["m"]}`),
		`{"type":"x-unknown-observable","id":"x-unknown-observable--6b7c3d5a-1f2e-5a9b-8c7d-0e1f2a3b4c5d","some_value":"v"}`,
		sdo("language-content", `"object_ref":"indicator--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d","object_modified":"2017-01-01T12:34:56.000Z","contents":{"de":{"name":"Name"}}`),
		sdo("extension-definition", tIdentity+`"name":"ext","schema":"https://example.com/schema.json","version":"1.0.0","extension_types":["property-extension"]`),
		`{"type":"bundle","id":"bundle--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d","objects":[{"type":"indicator"}]}`,
	}
	v := Default()
	for _, s := range valid {
		errs, err := v.ValidateObject([]byte(s))
		if err != nil {
			t.Errorf("%s: %v", s, err)
		}
		for _, e := range errs {
			t.Errorf("%s:\n\t%v", s, e)
		}
	}
}

func TestValidateObjectInvalid(t *testing.T) {
	tests := []struct {
		name, obj     string
		code, pointer string
	}{
		{"missing required", sdo("attack-pattern", ""), "schema/required", "/name"},
		{"wrong id prefix", strings.Replace(sdo("tool", `"name":"t"`), `"tool--`, `"malware--`, 1), "schema/pattern", "/id"},
		{"bad uuid variant", strings.Replace(sdo("tool", `"name":"t"`), "8c7d", "0c7d", 1), "schema/pattern", "/id"},
		{"created without milliseconds", strings.Replace(sdo("tool", `"name":"t"`), `"created":"2017-01-01T12:34:56.000Z"`, `"created":"2017-01-01T12:34:56Z"`, 1), "schema/pattern", "/created"},
		{"timestamp with offset", sdo("tool", `"name":"t","x_when":"1","x_other":1`)[:0] + strings.Replace(sdo("tool", `"name":"t"`), `"modified":"2017-01-01T12:34:56.000Z"`, `"modified":"2017-01-01T12:34:56+00:00"`, 1), "schema/pattern", "/modified"},
		{"month 13", sdo("campaign", `"name":"c","first_seen":"2020-13-01T00:00:00Z"`), "schema/pattern", "/first_seen"},
		{"confidence out of range", sdo("tool", `"name":"t","confidence":101`), "schema/maximum", "/confidence"},
		{"confidence wrong type", sdo("tool", `"name":"t","confidence":"high"`), "schema/type", "/confidence"},
		{"empty list", sdo("tool", `"name":"t","labels":[]`), "schema/minItems", "/labels"},
		{"custom property name", sdo("tool", `"name":"t","X-Bad":1`), "schema/propertyNames", "/X-Bad"},
		{"custom property too short", sdo("tool", `"name":"t","ab":1`), "schema/propertyNames", "/ab"},
		{"custom property null", sdo("tool", `"name":"t","x_null":null`), "schema/type", "/x_null"},
		{"reserved property", sdo("tool", `"name":"t","severity":"high"`), "schema/not", ""},
		{"reserved type", `{"type":"action","id":"action--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d",` + tCommon + `}`, "schema/pattern", "/type"},
		{"closed vocabulary", sdo("opinion", `"opinion":"maybe","object_refs":["indicator--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d"]`), "schema/enum", "/opinion"},
		{"created_by_ref type", sdo("tool", `"name":"t","created_by_ref":"tool--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d"`), "schema/pattern", "/created_by_ref"},
		{"kill chain phase", sdo("tool", `"name":"t","kill_chain_phases":[{"kill_chain_name":"k"}]`), "schema/required", "/kill_chain_phases/0/phase_name"},
		{"external reference alone", sdo("tool", `"name":"t","external_references":[{"source_name":"s"}]`), "schema/anyOf", "/external_references/0"},
		{"cve id", sdo("vulnerability", `"name":"v","external_references":[{"source_name":"cve","external_id":"CVE-16-1"}]`), "schema/pattern", "/external_references/0/external_id"},
		{"malware is_family", sdo("malware", `"name":"m"`), "schema/required", "/is_family"},
		{"malware family without name", sdo("malware", `"is_family":true`), "schema/required", "/name"},
		{"location without place", sdo("location", `"name":"l"`), "schema/anyOf", ""},
		{"latitude range", sdo("location", `"latitude":91,"longitude":0`), "schema/maximum", "/latitude"},
		{"latitude alone", sdo("location", `"latitude":1,"region":"europe"`), "schema/dependencies", "/longitude"},
		{"number_observed", sdo("observed-data", `"first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":0,"object_refs":["ipv4-addr--6b7c3d5a-1f2e-5a9b-8c7d-0e1f2a3b4c5d"]`), "schema/minimum", "/number_observed"},
		{"observed-data objects entry", sdo("observed-data", `"first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"objects":{"0":{"type":"ipv4-addr","id":"ipv4-addr--6b7c3d5a-1f2e-5a9b-8c7d-0e1f2a3b4c5d","value":"999.1.1.1"}}`), "schema/pattern", "/objects/0/value"},
		{"observed-data both", sdo("observed-data", `"first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"objects":{"0":{"type":"ipv4-addr","id":"ipv4-addr--6b7c3d5a-1f2e-5a9b-8c7d-0e1f2a3b4c5d","value":"1.1.1.1"}},"object_refs":["ipv4-addr--6b7c3d5a-1f2e-5a9b-8c7d-0e1f2a3b4c5d"]`), "schema/not", "/object_refs"},
		{"sighting count", sdo("sighting", `"sighting_of_ref":"indicator--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d","count":1000000000`), "schema/maximum", "/count"},
		{"where_sighted_refs type", sdo("sighting", `"sighting_of_ref":"indicator--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d","where_sighted_refs":["malware--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d"]`), "schema/pattern", "/where_sighted_refs/0"},
		{"granular marking with both", sdo("tool", `"name":"t","granular_markings":[{"selectors":["name"],"lang":"fr","marking_ref":"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"}]`), "schema/not", "/granular_markings/0/lang"},
		{"selector syntax", sdo("tool", `"name":"t","granular_markings":[{"selectors":["Name"],"lang":"fr"}]`), "schema/pattern", "/granular_markings/0/selectors/0"},
		{"tlp wrong id", `{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","definition":{"tlp":"white"}}`, "schema/const", "/id"},
		{"tlp wrong created", `{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9","created":"2017-01-21T00:00:00.000Z","definition_type":"tlp","definition":{"tlp":"white"}}`, "schema/const", "/created"},
		{"tlp 2.0 wrong level", `{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb","created":"2022-10-01T00:00:00.000Z","name":"TLP:GREEN","extensions":{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":{"extension_type":"property-extension","tlp_2_0":"white"}}}`, "schema/enum", "/extensions/extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d/tlp_2_0"},
		{"marking without definition", `{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d","created":"2017-01-20T00:00:00.000Z"}`, "schema/anyOf", ""},
		{"statement missing", `{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d","created":"2017-01-20T00:00:00.000Z","definition_type":"statement","definition":{"text":"x"}}`, "schema/required", "/definition/statement"},
		{"md5 length", sco("file", `"hashes":{"MD5":"abc"}`), "schema/pattern", "/hashes/MD5"},
		{"file without name or hashes", sco("file", `"size":1`), "schema/anyOf", ""},
		{"file size negative", sco("file", `"name":"f","size":-1`), "schema/minimum", "/size"},
		{"unknown extension name", sco("file", `"name":"f","extensions":{"bogus":{"a":1}}`), "schema/propertyNames", "/extensions/bogus"},
		{"pebinary required", sco("file", `"name":"f","extensions":{"windows-pebinary-ext":{"imphash":"x"}}`), "schema/required", "/extensions/windows-pebinary-ext/pe_type"},
		{"pebinary second precision", sco("file", `"name":"f","extensions":{"windows-pebinary-ext":{"pe_type":"exe","time_date_stamp":"2016-01-01T00:00:00.5Z"}}`), "schema/pattern", "/extensions/windows-pebinary-ext/time_date_stamp"},
		{"socket option name", sco("network-traffic", `"dst_ref":"ipv4-addr--6b7c3d5a-1f2e-5a9b-8c7d-0e1f2a3b4c5d","protocols":["tcp"],"extensions":{"socket-ext":{"address_family":"AF_INET","options":{"RCVBUF":1}}}`), "schema/propertyNames", "/extensions/socket-ext/options/RCVBUF"},
		{"port range", sco("network-traffic", `"dst_ref":"ipv4-addr--6b7c3d5a-1f2e-5a9b-8c7d-0e1f2a3b4c5d","protocols":["tcp"],"dst_port":70000`), "schema/maximum", "/dst_port"},
		{"no src or dst", sco("network-traffic", `"protocols":["tcp"]`), "schema/anyOf", ""},
		{"active with end", sco("network-traffic", `"dst_ref":"ipv4-addr--6b7c3d5a-1f2e-5a9b-8c7d-0e1f2a3b4c5d","protocols":["tcp"],"is_active":true,"end":"2020-01-01T00:00:00Z"`), "schema/not", "/end"},
		{"artifact payload and url", sco("artifact", `"payload_bin":"VGhp","url":"http://x","hashes":{"MD5":"f9664ea1803311b35f81d07d8c9e072d"}`), "schema/not", "/url"},
		{"artifact base64", sco("artifact", `"payload_bin":"not base64!"`), "schema/pattern", "/payload_bin"},
		{"multipart with body", sco("email-message", `"is_multipart":true,"body":"x"`), "schema/not", "/body"},
		{"mac upper case", sco("mac-addr", `"value":"00:1A:2B:3C:4D:5E"`), "schema/pattern", "/value"},
		{"process empty", sco("process", ""), "schema/anyOf", ""},
		{"sco without id", `{"type":"url","value":"http://example.com"}`, "schema/required", "/id"},
		{"url value", sco("url", `"value":"not a url"`), "schema/format", "/value"},
		{"language-content empty contents", sdo("language-content", `"object_ref":"indicator--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d","contents":{}`), "schema/minProperties", "/contents"},
		{"extension-definition creator", sdo("extension-definition", `"name":"ext","schema":"s","version":"1","extension_types":["new-sdo"]`), "schema/required", "/created_by_ref"},
		{"extension type", sdo("extension-definition", tIdentity+`"name":"ext","schema":"s","version":"1","extension_types":["new-thing"]`), "schema/enum", "/extension_types/0"},
		{"nested bundle", `{"type":"bundle","id":"bundle--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d","objects":[{"type":"bundle"}]}`, "schema/pattern", "/objects/0/type"},
		{"custom type name", `{"type":"X_Bad","id":"x-bad--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d",` + tCommon + `}`, "schema/pattern", "/type"},
		{"missing type", `{"id":"x-bad--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d",` + tCommon + `}`, "schema/required", "/type"},
	}
	v := Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs, err := v.ValidateObject([]byte(tt.obj))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range errs {
				if e.Code == tt.code && e.Pointer == tt.pointer {
					if e.Msg == "" || !strings.Contains(e.Error(), tt.code) {
						t.Errorf("poor error %#v", e)
					}
					return
				}
			}
			t.Errorf("want %s at %q, got %d errors:", tt.code, tt.pointer, len(errs))
			for _, e := range errs {
				t.Logf("\t%v", e)
			}
		})
	}
}

func TestValidateObjectBadInput(t *testing.T) {
	v := Default()
	for _, tt := range []struct {
		in   string
		want error
	}{
		{``, ErrInvalidJSON},
		{`{"type":`, ErrInvalidJSON},
		{`{} {}`, ErrInvalidJSON},
		{`[1]`, ErrNotObject},
		{`"x"`, ErrNotObject},
		{`null`, ErrNotObject},
	} {
		_, err := v.ValidateObject([]byte(tt.in))
		if !errors.Is(err, tt.want) {
			t.Errorf("%q: err %v, want %v", tt.in, err, tt.want)
		}
	}
	// Deep nesting is a finding or an error, never a crash.
	deep := `{"type":"tool","x_deep":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`
	if _, err := v.ValidateObject([]byte(deep)); err != nil && !errors.Is(err, ErrInvalidJSON) {
		t.Errorf("deep nesting: %v", err)
	}
}

func TestValidateObjectVersion20(t *testing.T) {
	v := Default()
	obj := []byte(`{"type":"attack-pattern","id":"attack-pattern--6b7c3d5a-1f2e-4a9b-8c7d-0e1f2a3b4c5d","created":"2017-01-01T12:34:56.000Z","modified":"2017-01-01T12:34:56.000Z","name":"x"}`)
	errs, _ := v.ValidateObject(obj)
	if len(errs) != 1 || errs[0].Pointer != "/spec_version" {
		t.Errorf("2.1 without spec_version: %v", errs)
	}
	errs, _ = v.ValidateObjectVersion(obj, "2.0")
	if len(errs) != 0 {
		t.Errorf("2.0 bundle: %v", errs)
	}
}

func TestExtraSchemas(t *testing.T) {
	extra := fstest.MapFS{
		"x-acme-widget.json": {Data: []byte(`{
			"$schema": "http://json-schema.org/draft-07/schema#",
			"title": "x-acme-widget",
			"description": "A custom SDO.",
			"type": "object",
			"allOf": [{"$ref": "../common/core.json"}, {"properties": {"size": {"type": "integer", "minimum": 1}}, "required": ["size"]}]
		}`)},
		"ext/extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e.json": {Data: []byte(`{
			"$id": "https://example.com/acme-ext.json",
			"type": "object",
			"properties": {"extension_type": {"const": "property-extension"}, "rank": {"type": "integer"}},
			"required": ["rank"]
		}`)},
	}
	v, err := New(Options{Extra: extra})
	if err != nil {
		t.Fatal(err)
	}
	if !v.HasSchema("x-acme-widget") || Default().HasSchema("x-acme-widget") {
		t.Fatal("custom type schema not registered (or leaked into Default)")
	}
	errs, _ := v.ValidateObject([]byte(sdo("x-acme-widget", `"size":0`)))
	if len(errs) != 1 || errs[0].Pointer != "/size" || errs[0].Code != "schema/minimum" {
		t.Errorf("custom type: %v", errs)
	}
	ext := `"extensions":{"extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e":{"extension_type":"property-extension","rank":"high"}}`
	errs, _ = v.ValidateObject([]byte(sdo("tool", `"name":"t",`+ext)))
	if len(errs) != 1 || errs[0].Pointer != "/extensions/extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e/rank" {
		t.Errorf("extension schema: %v", errs)
	}
	if errs, _ := Default().ValidateObject([]byte(sdo("tool", `"name":"t",`+ext))); len(errs) != 0 {
		t.Errorf("default validator knows no extension schema: %v", errs)
	}

	if _, err := New(Options{Extra: fstest.MapFS{"bad.json": {Data: []byte(`{`)}}}); !errors.Is(err, ErrSchema) {
		t.Errorf("broken extra schema: %v", err)
	}
	if _, err := New(Options{Extra: fstest.MapFS{"dangling.json": {Data: []byte(`{"title":"x-dangling","type":"object","allOf":[{"$ref":"nowhere.json"}]}`)}}}); !errors.Is(err, ErrSchema) {
		t.Errorf("dangling $ref: %v", err)
	}
}

func TestValidatorConcurrent(t *testing.T) {
	v := Default()
	objs := []string{
		sdo("tool", `"name":"t"`),
		sdo("tool", `"confidence":500`),
		sco("file", `"hashes":{"MD5":"abc"}`),
	}
	want := make([]int, len(objs))
	for i, o := range objs {
		errs, _ := v.ValidateObject([]byte(o))
		want[i] = len(errs)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 200; n++ {
				i := n % len(objs)
				errs, _ := v.ValidateObject([]byte(objs[i]))
				if len(errs) != want[i] {
					t.Errorf("object %d: %d errors, want %d", i, len(errs), want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
}

type vector struct {
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	Input struct {
		JSON json.RawMessage `json:"json"`
	} `json:"input"`
	Expected string          `json:"-"`
	RawExp   json.RawMessage `json:"expected"`
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	b, err := os.ReadFile(testutil.SharedFile(t, "conformance/stix2-python/vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Vectors []vector `json:"vectors"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for i := range doc.Vectors {
		var s string
		if json.Unmarshal(doc.Vectors[i].RawExp, &s) == nil {
			doc.Vectors[i].Expected = s
		}
	}
	return doc.Vectors
}

// notSchemaErrors lists the stix2 error vectors that the schema layer does
// not reject, with the reason; the other layers (spec rules, bundle checks,
// versioning) own them.
var notSchemaErrors = map[string]string{
	"err/parse-bundle-without-objects-key":     "the spec makes objects optional in a bundle; the Python library requires it",
	"err/type-wrong-spec_version":              "spec_version 2.0 is tolerated for STIX 2.0 input (as in the OASIS schemas); mixed versions are a bundle check",
	"err/extra-property-no-allow-custom":       "custom properties are allowed by the specification",
	"err/valid_until-not-after-valid_from":     "time ordering is a spec-rule (MUST) check",
	"err/campaign-last_seen-before-first_seen": "time ordering is a spec-rule (MUST) check",
	"err/relationship-source-is-marking":       "generic reference target types (sdo/sco) are a spec-rule check",
	"err/ref-to-custom-type":                   "references to custom types are allowed by the specification",
	"err/timestamp-7-digits":                   "RFC 3339 allows any number of fraction digits; only the Python library stops at 6",
	"err/unknown-type":                         "custom object types are allowed by the specification",
	"err/bundle-with-spec_version":             "STIX 2.0 bundles carry spec_version; a 2.1 bundle with it is a bundle-level check",
	"err/version-change-created":               "versioning is not a property of one object",
	"err/version-revoked":                      "versioning is not a property of one object",
	"err/version-sco-id-contrib":               "versioning is not a property of one object",
}

// TestStix2ErrorVectors runs the error vectors of the Python stix2 library
// through the schema layer: each is rejected unless listed in
// notSchemaErrors; the serialize vectors' inputs are all accepted.
func TestStix2ErrorVectors(t *testing.T) {
	v := Default()
	seen := map[string]bool{}
	for _, vec := range loadVectors(t) {
		if len(vec.Input.JSON) == 0 || vec.Input.JSON[0] != '{' {
			continue
		}
		errs, err := v.ValidateObject(vec.Input.JSON)
		if err != nil {
			t.Errorf("%s: %v", vec.Name, err)
			continue
		}
		switch vec.Kind {
		case "error":
			_, skip := notSchemaErrors[vec.Name]
			seen[vec.Name] = skip
			if len(errs) == 0 && !skip {
				t.Errorf("%s: accepted by the schemas", vec.Name)
			}
			if len(errs) > 0 && skip {
				t.Errorf("%s: now rejected (%v): remove it from notSchemaErrors", vec.Name, errs[0])
			}
		}
	}
	for name := range notSchemaErrors {
		if _, ok := seen[name]; !ok {
			t.Errorf("notSchemaErrors[%q]: no such vector", name)
		}
	}
}

// TestNumbersBeyondFloat64: gojsonschema panics when a number no float64
// holds meets const, enum or uniqueItems; the schema layer must report the
// value (with its own text) instead. Every top-level property of a valid
// object of each type gets such a number in turn.
func TestNumbersBeyondFloat64(t *testing.T) {
	v := Default().WithoutFastPath()
	base := map[string]any{
		"type": "malware", "spec_version": "2.1", "id": "malware--00e7d565-9883-4ee5-b642-8fd17fd6a3f5",
		"created": "2023-02-01T00:00:00.000Z", "modified": "2023-02-28T00:00:00.000Z", "name": "x", "is_family": true,
		"labels": []any{"a"}, "malware_types": []any{"ransomware"},
	}
	for _, n := range []string{"1e400", "-1e400", "1E999"} {
		for k := range base {
			if k == "type" {
				continue
			}
			obj := map[string]any{}
			for k2, v2 := range base {
				obj[k2] = v2
			}
			obj[k] = json.Number(n)
			errs := v.ValidateValue(obj)
			if len(errs) == 0 {
				t.Errorf("%s = %s: no finding", k, n)
				continue
			}
			if !strings.Contains(errs[0].Msg, n) || strings.Contains(errs[0].Msg, "e300") {
				t.Errorf("%s = %s: %s", k, n, errs[0].Msg)
			}
			obj[k] = []any{json.Number(n), json.Number(n)}
			for _, e := range v.ValidateValue(obj) {
				if strings.Contains(e.Msg, "e300") {
					t.Errorf("%s = [%s, %s]: %s", k, n, n, e.Msg)
				}
			}
		}
	}
}
