package validate_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stixkit/stixkit/internal/testutil"
	"github.com/stixkit/stixkit/validate"
)

const (
	ntBase   = `"type":"network-traffic","spec_version":"2.1","id":"network-traffic--630d7bb1-0bbc-53a6-a6d4-f3c2d35c2734","dst_ref":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","src_port":1,"dst_port":2`
	sdoTimes = `"created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z"`
)

// TestChecks runs each check on a small object of its own: the finding
// (code and pointer) expected, or none.
func TestChecks(t *testing.T) {
	for _, tc := range []struct {
		name, json string
		opt        validate.Options
		code, ptr  string // "" code: valid, no finding with these options
	}{
		{"protocol upper case", `{` + ntBase + `,"protocols":["TCP"]}`, validate.Options{}, "272", "/protocols/0"},
		{"protocol bad chars", `{` + ntBase + `,"protocols":["foo_bar"]}`, validate.Options{}, "272", "/protocols/0"},
		{"protocol ok", `{` + ntBase + `,"protocols":["tcp","https"]}`, validate.Options{Disable: []string{"sco-id-mismatch"}}, "", ""},
		{"ipfix key", `{` + ntBase + `,"protocols":["tcp"],"ipfix":{"Foo":"bar"}}`, validate.Options{}, "273", "/ipfix/Foo"},
		{"http header", `{` + ntBase + `,"protocols":["tcp"],"extensions":{"http-request-ext":{"request_method":"get","request_value":"/","request_header":{"x-foobar":["1"]}}}}`, validate.Options{}, "274", "/extensions/http-request-ext/request_header/x-foobar"},
		{"pdf info key", `{"type":"file","spec_version":"2.1","id":"file--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4","name":"a.pdf","extensions":{"pdf-ext":{"document_info_dict":{"Foo":"x"}}}}`, validate.Options{}, "276", "/extensions/pdf-ext/document_info_dict/Foo"},
		{"registry hive abbreviation", `{"type":"windows-registry-key","spec_version":"2.1","id":"windows-registry-key--2ba37ae7-2745-5082-9dfd-9486dad41016","key":"HKLM\\system"}`, validate.Options{}, "must-constraint", "/key"},
		{"cve id", `{"type":"vulnerability","spec_version":"2.1","id":"vulnerability--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",` + sdoTimes + `,"name":"v","external_references":[{"source_name":"cve","external_id":"CAPEC-1"}]}`, validate.Options{}, "must-constraint", "/external_references/0/external_id"},
		{"language-content subkey", `{"type":"language-content","spec_version":"2.1","id":"language-content--b86bd89f-98bb-4fa9-8cb2-9ad421da981d",` + sdoTimes + `,"object_ref":"campaign--12a111f0-b824-4baf-a224-83b80237a094","object_modified":"2017-02-08T21:31:22.007Z","contents":{"de":{"Name!":"x"}}}`, validate.Options{}, "must-constraint", "/contents/de/Name!"},
		{"toplevel extension without properties", `{"type":"extension-definition","spec_version":"2.1","id":"extension-definition--9c59fd79-4215-4ba2-920d-3e4f320e1e62",` + sdoTimes + `,"created_by_ref":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1","name":"e","description":"d","schema":"s","version":"1","extension_types":["toplevel-property-extension"]}`, validate.Options{}, "306", "/extension_properties"},
		{"relationship stop before start", `{"type":"relationship","spec_version":"2.1","id":"relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad",` + sdoTimes + `,"relationship_type":"uses","source_ref":"malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b","target_ref":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1","start_time":"2016-04-06T20:06:37.000123Z","stop_time":"2016-04-06T20:06:37.000Z"}`, validate.Options{}, "must-timestamp-order", "/stop_time"},
		{"x_ hash name", `{"type":"file","spec_version":"2.1","id":"file--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4","name":"a","hashes":{"x_foo":"1"}}`, validate.Options{Disable: []string{"103"}}, "", ""},
		{"custom hash name", `{"type":"file","spec_version":"2.1","id":"file--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4","name":"a","hashes":{"foo":"1"}}`, validate.Options{}, "241", "/hashes/foo"},
		{"new-sdo type not custom", `{"type":"my-favorite-sdo","spec_version":"2.1","id":"my-favorite-sdo--a932fcc6-e032-476c-a26f-cb970a5a1ade",` + sdoTimes + `,"name":"x","extensions":{"extension-definition--9c59fd79-4215-4ba2-920d-3e4f320e1e62":{"extension_type":"new-sdo"}}}`, validate.Options{Strict: true, StrictTypes: true}, "", ""},
		{"custom type strict-types", `{"type":"x-acme-widget","spec_version":"2.1","id":"x-acme-widget--a932fcc6-e032-476c-a26f-cb970a5a1ade",` + sdoTimes + `}`, validate.Options{StrictTypes: true}, "custom", "/type"},
		{"toplevel property not custom", `{"type":"attack-pattern","spec_version":"2.1","id":"attack-pattern--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",` + sdoTimes + `,"name":"a","rank":5,"extensions":{"extension-definition--9c59fd79-4215-4ba2-920d-3e4f320e1e62":{"extension_type":"toplevel-property-extension"}}}`, validate.Options{Strict: true}, "", ""},
		{"embedded custom property", `{"type":"x509-certificate","spec_version":"2.1","id":"x509-certificate--5fcb3990-706e-4fb4-aef2-352c54b034a5","x509_v3_extensions":{"foo":"bar"}}`, validate.Options{}, "101", "/x509_v3_extensions/foo"},
		{"extension custom property strict", `{"type":"file","spec_version":"2.1","id":"file--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4","name":"a","extensions":{"ntfs-ext":{"x_org_foo":"bar"}}}`, validate.Options{StrictProperties: true}, "custom", "/extensions/ntfs-ext/x_org_foo"},
		{"custom extension key", `{"type":"file","spec_version":"2.1","id":"file--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4","name":"a","extensions":{"foobar-ext":{"foo":"bar"}}}`, validate.Options{}, "101", "/extensions/foobar-ext"},
		{"custom dictionary key", `{"type":"file","spec_version":"2.1","id":"file--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4","name":"a","x_s_dicts":{"FOOBAR":{"foo":"bar"}}}`, validate.Options{}, "142", "/x_s_dicts/FOOBAR"},
		{"pattern custom type warns", `{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",` + sdoTimes + `,"name":"i","description":"d","pattern_type":"stix","pattern":"[foo:name = 'x']","valid_from":"2016-04-06T20:03:48Z"}`, validate.Options{Disable: []string{"401"}}, "101", "/pattern"},
		{"pattern custom type strict", `{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",` + sdoTimes + `,"name":"i","description":"d","pattern_type":"stix","pattern":"[x-x-foo:x_x_name = 'x']","valid_from":"2016-04-06T20:03:48Z"}`, validate.Options{StrictTypes: true}, "custom", "/pattern"},
		{"pattern custom property strict", `{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",` + sdoTimes + `,"name":"i","description":"d","pattern_type":"stix","pattern":"[file:x_x_name = 'x']","valid_from":"2016-04-06T20:03:48Z"}`, validate.Options{StrictProperties: true}, "custom", "/pattern"},
		{"2.0 object needs no spec_version", `{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":[{"type":"malware","id":"malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b",` + sdoTimes + `,"name":"m","labels":["x"]}],"spec_version":"2.0"}`, validate.Options{Disable: []string{"216"}}, "", ""},
		{"bundle without objects", `{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982"}`, validate.Options{Strict: true}, "", ""},
		{"bundle objects not an array", `{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":"x"}`, validate.Options{}, "must-bundle", "/objects"},
		{"bundle duplicate objects", `{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":[],"objects":[{"type":"ipv4-addr","id":"garbage","value":12}]}`, validate.Options{}, "json", ""},
		{"bundle created", `{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","created":"2016-08-22T14:09:00.123Z"}`, validate.Options{}, "101", "/created"},
		{"bundle uuidv5", `{"type":"bundle","id":"bundle--44af6c39-c09b-59c5-9de2-394224b04982"}`, validate.Options{}, "103", "/id"},
		{"artifact media type", `{"type":"artifact","spec_version":"2.1","id":"artifact--6b0e3856-95b3-4c04-a6e1-8a2b4ea6a1a2","payload_bin":"AAAA","mime_type":"bla/blabla"}`, validate.Options{}, "must-registry", "/mime_type"},
		{"artifact media type ok", `{"type":"artifact","spec_version":"2.1","id":"artifact--6b0e3856-95b3-4c04-a6e1-8a2b4ea6a1a2","payload_bin":"AAAA","mime_type":"text/plain"}`, validate.Options{Disable: []string{"103"}}, "", ""},
		{"artifact without content", `{"type":"artifact","spec_version":"2.1","id":"artifact--6b0e3856-95b3-4c04-a6e1-8a2b4ea6a1a2","mime_type":"text/plain"}`, validate.Options{}, "must-constraint", ""},
		{"file media type", `{"type":"file","spec_version":"2.1","id":"file--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4","name":"a","mime_type":"bla/bla"}`, validate.Options{}, "271", "/mime_type"},
		{"file charset", `{"type":"file","spec_version":"2.1","id":"file--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4","name":"a","name_enc":"bla.bla.bla"}`, validate.Options{}, "must-registry", "/name_enc"},
		{"file charset ok", `{"type":"file","spec_version":"2.1","id":"file--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4","name":"a","name_enc":"windows-1252"}`, validate.Options{Disable: []string{"103"}}, "", ""},
		{"directory charset", `{"type":"directory","spec_version":"2.1","id":"directory--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4","path":"/","path_enc":"bla"}`, validate.Options{}, "must-registry", "/path_enc"},
		{"software language", `{"type":"software","spec_version":"2.1","id":"software--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4","name":"w","languages":["bbb"]}`, validate.Options{}, "must-registry", "/languages/0"},
		{"software language ok", `{"type":"software","spec_version":"2.1","id":"software--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4","name":"w","languages":["eng","en","fr-CA"]}`, validate.Options{Disable: []string{"103"}}, "", ""},
		{"software cpe", `{"type":"software","spec_version":"2.1","id":"software--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4","name":"w","cpe":"invalid"}`, validate.Options{}, "must-registry", "/cpe"},
		{"software cpe ok", `{"type":"software","spec_version":"2.1","id":"software--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4","name":"w","cpe":"cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*:*"}`, validate.Options{Disable: []string{"103"}}, "", ""},
		{"country", `{"type":"location","spec_version":"2.1","id":"location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64",` + sdoTimes + `,"country":"xx"}`, validate.Options{}, "277", "/country"},
		{"unregistered lang", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"foo"}`, validate.Options{}, "must-lang", "/lang"},
		{"registered lang", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"zh-Hant-TW"}`, validate.Options{}, "", ""},
		{"lang en-GB-oxendict", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"en-GB-oxendict"}`, validate.Options{}, "", ""},
		{"lang de-CH-1901", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"de-CH-1901"}`, validate.Options{}, "", ""},
		{"lang sl-rozaj-biske", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"sl-rozaj-biske"}`, validate.Options{}, "", ""},
		{"lang zh-yue-HK", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"zh-yue-HK"}`, validate.Options{}, "", ""},
		{"lang zh-min-nan", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"zh-min-nan"}`, validate.Options{}, "", ""},
		{"lang i-klingon", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"i-klingon"}`, validate.Options{}, "", ""},
		{"lang qaa", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"qaa"}`, validate.Options{}, "", ""},
		{"lang en-QM", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"en-QM"}`, validate.Options{}, "", ""},
		{"lang es-419", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"es-419"}`, validate.Options{}, "", ""},
		{"lang en-US-x-twain", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"en-US-x-twain"}`, validate.Options{}, "", ""},
		{"lang en-a-bbb-x-a", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"en-a-bbb-x-a"}`, validate.Options{}, "", ""},
		{"lang art-lojban", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"art-lojban"}`, validate.Options{}, "", ""},
		{"lang en-US-foobar1", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"en-US-foobar1"}`, validate.Options{}, "must-lang", "/lang"},
		{"lang es-999", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"es-999"}`, validate.Options{}, "must-lang", "/lang"},
		{"lang zz", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"zz"}`, validate.Options{}, "must-lang", "/lang"},
		{"lang en-Qzzz", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"en-Qzzz"}`, validate.Options{}, "must-lang", "/lang"},
		{"lang xx-GB", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"xx-GB"}`, validate.Options{}, "must-lang", "/lang"},
		{"lang en-zzz", `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1",` + sdoTimes + `,"name":"x","lang":"en-zzz"}`, validate.Options{}, "must-lang", "/lang"},
		{"socket option name", `{` + ntBase + `,"protocols":["tcp"],"extensions":{"socket-ext":{"address_family":"AF_INET","options":{"SO_TEST":1}}}}`, validate.Options{}, "275", "/extensions/socket-ext/options/SO_TEST"},
		{"socket option ok", `{` + ntBase + `,"protocols":["tcp"],"extensions":{"socket-ext":{"address_family":"AF_INET","options":{"SO_REUSEADDR":1,"TCP_NODELAY":1}}}}`, validate.Options{Disable: []string{"sco-id-mismatch"}}, "", ""},
		{"email display name", `{"type":"email-addr","spec_version":"2.1","id":"email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3","value":"John Doe <jdoe@example.com>"}`, validate.Options{}, "must-constraint", "/value"},
		{"cve source name case", `{"type":"vulnerability","spec_version":"2.1","id":"vulnerability--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",` + sdoTimes + `,"name":"v","external_references":[{"source_name":"CVE","external_id":"CVE-2016-1234"}]}`, validate.Options{}, "vulnerability-cve", "/external_references/0/source_name"},
		{"toplevel property under strict-properties", `{"type":"attack-pattern","spec_version":"2.1","id":"attack-pattern--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",` + sdoTimes + `,"name":"a","rank":5,"extensions":{"extension-definition--9c59fd79-4215-4ba2-920d-3e4f320e1e62":{"extension_type":"toplevel-property-extension"}}}`, validate.Options{StrictProperties: true}, "custom", "/rank"},
		{"version 2.0 needs a 2.0 bundle", `{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982"}`, validate.Options{Version: "2.0"}, "must-bundle", "/spec_version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := validate.Bytes(context.Background(), []byte(tc.json), tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			all := append(append([]*validate.Finding(nil), rep.Errors...), rep.Warnings...)
			if tc.code == "" {
				if len(all) != 0 {
					t.Fatalf("want no finding, got %v", all)
				}
				return
			}
			for _, f := range all {
				if f.Code == tc.code && f.Pointer == tc.ptr {
					if strings.Contains(f.Message, "validate.") {
						t.Errorf("message points at a Go identifier: %s", f.Message)
					}
					return
				}
			}
			t.Fatalf("no %s at %q; got %v", tc.code, tc.ptr, all)
		})
	}
}

func TestBOMAndSyntaxPosition(t *testing.T) {
	rep, err := validate.Bytes(context.Background(), []byte("\xef\xbb\xbf"+`{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982"}`), validate.Options{})
	if err != nil || !rep.Valid {
		t.Fatalf("BOM: %v %v", err, rep.Err())
	}
	rep, err = validate.Bytes(context.Background(), []byte("{\"type\":\"bundle\",\n  \"id\": \"bundle--44af6c39-c09b-49c5-9de2-394224b04982\",\n  \"objects\": [] ]"), validate.Options{})
	if err != nil || rep.Valid || len(rep.Errors) != 1 {
		t.Fatalf("%v %+v", err, rep)
	}
	if msg := rep.Errors[0].Message; !strings.Contains(msg, "at line 3, column 17 (byte offset") {
		t.Errorf("no line and column in %q", msg)
	}
	// A syntax error inside an object of the bundle.
	rep, err = validate.Bytes(context.Background(), []byte("{\"type\":\"bundle\",\n  \"id\": \"bundle--44af6c39-c09b-49c5-9de2-394224b04982\",\n  \"objects\": [ {\"a\": 1,}\n]}"), validate.Options{})
	if err != nil || rep.Valid || len(rep.Errors) != 1 {
		t.Fatalf("%v %+v", err, rep)
	}
	if msg := rep.Errors[0].Message; !strings.HasSuffix(msg, "at line 3, column 24") {
		t.Errorf("no line and column in %q", msg)
	}
}

// cancelAfter cancels a context once n bytes have been read.
type cancelAfter struct {
	r      *strings.Reader
	n      int
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	if len(p) > 512 {
		p = p[:512]
	}
	k, err := c.r.Read(p)
	if c.n -= k; c.n <= 0 {
		c.cancel()
	}
	return k, err
}

// TestOnFindingAndInterrupt: findings are handed over as they are found,
// in input order, and a cancelled validation returns what it found so far.
func TestOnFindingAndInterrupt(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":[`)
	for i := 0; i < 2000; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1","created":"2016-08-22T14:09:00.123Z","modified":"2016-08-22T14:09:00.123Z","name":"x","xyz":1}`)
	}
	b.WriteString(`]}`)
	var seen []int
	opt := validate.Options{Disable: []string{"401", "203"}, OnFinding: func(f *validate.Finding, isErr bool) {
		if isErr {
			t.Errorf("101 is a warning: %v", f)
		}
		seen = append(seen, f.Index)
	}}
	rep, err := validate.Bytes(context.Background(), []byte(b.String()), opt)
	if err != nil || len(seen) != 2000 || len(rep.Warnings) != 2000 {
		t.Fatalf("%v: %d findings handed over, %d warnings", err, len(seen), len(rep.Warnings))
	}
	for i, idx := range seen {
		if idx != i {
			t.Fatalf("finding %d is of object %d: not in input order", i, idx)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	seen = nil
	rep, err = validate.Reader(ctx, &cancelAfter{r: strings.NewReader(b.String()), n: 200000, cancel: cancel}, opt)
	if err != context.Canceled || rep == nil || rep.Objects == 0 || rep.Objects >= 2000 || len(rep.Warnings) != rep.Objects {
		t.Fatalf("interrupted: %v, %+v", err, rep)
	}
}

// TestSTIX20MemberOrder: a STIX 2.0 bundle gets the same verdict whatever
// the order of its members (spec_version after objects, or first).
func TestSTIX20MemberOrder(t *testing.T) {
	data, err := os.ReadFile(testutil.SharedFile(t, "corpus/mitre-cti/ics-attack-stix20.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	first := []byte(`{"spec_version":` + string(m["spec_version"]) + `,"type":"bundle","id":` + string(m["id"]) + `,"objects":` + string(m["objects"]) + `}`)
	last := []byte(`{"type":"bundle","id":` + string(m["id"]) + `,"objects":` + string(m["objects"]) + `,"spec_version":` + string(m["spec_version"]) + `}`)
	a, err1 := validate.Bytes(context.Background(), first, validate.Options{})
	b, err2 := validate.Bytes(context.Background(), last, validate.Options{})
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if !a.Valid || !b.Valid || len(a.Warnings) != len(b.Warnings) {
		t.Fatalf("spec_version first: valid=%v %d errors %d warnings; last: valid=%v %d errors %d warnings",
			a.Valid, len(a.Errors), len(a.Warnings), b.Valid, len(b.Errors), len(b.Warnings))
	}
}

// TestSlowStream: on an input that arrives object by object, each
// object's findings come out before more input arrives: the decoder hands
// out what has arrived, and objects go to the workers in batches, but a
// batch is not held while the reader waits for input.
func TestSlowStream(t *testing.T) {
	pr, pw := io.Pipe()
	found := make(chan int, 16)
	opt := validate.Options{Disable: []string{"401", "203"}, OnFinding: func(f *validate.Finding, isErr bool) {
		found <- f.Index
	}}
	done := make(chan error, 1)
	go func() {
		_, err := validate.Reader(context.Background(), pr, opt)
		done <- err
	}()
	io.WriteString(pw, `{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":[`)
	for i := 0; i < 5; i++ {
		fmt.Fprintf(pw, `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d%d","created":"2016-08-22T14:09:00.123Z","modified":"2016-08-22T14:09:00.123Z","name":"x","xyz":1},`, i)
		select {
		case idx := <-found:
			if idx != i {
				t.Fatalf("finding of object %d, want %d", idx, i)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("object %d sent, no finding after 10 s: held back", i)
		}
	}
	io.WriteString(pw, `{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d9","created":"2016-08-22T14:09:00.123Z","modified":"2016-08-22T14:09:00.123Z","name":"x"}]}`)
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
