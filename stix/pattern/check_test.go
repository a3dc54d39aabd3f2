package pattern

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		pattern string
		opt     CheckOptions
		want    []string // "rule:line:col" of each finding, in order
	}{
		{"[ipv4-addr:value = '1.2.3.4']", CheckOptions{}, nil},
		{"[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f' AND file:size > 10 AND file:extensions.'ntfs-ext'.sid = '1']", CheckOptions{}, nil},
		{"[network-traffic:src_ref.value = '1.2.3.4' AND process:x_acme_tag = 'a']", CheckOptions{}, nil},
		{"[file:id = 'file--x' AND file:defanged = true AND file:spec_version = '2.1']", CheckOptions{}, nil},
		// type names
		{"[Ipv4-addr:value = '1']", CheckOptions{}, []string{"type-name:1:2"}},
		{"[ab:value = '1']", CheckOptions{}, []string{"type-name:1:2"}},
		{"[x-:value = '1']", CheckOptions{}, []string{"type-name:1:2"}},
		{"[x_foo:value = '1']", CheckOptions{}, []string{"type-name:1:2"}},
		// custom types
		{"[x-acme-thing:value = '1']", CheckOptions{}, nil},
		{"[x-acme-thing:Value = '1']", CheckOptions{}, []string{"property-name:1:2"}},
		{"[x-acme-thing:anything_goes = '1']", CheckOptions{}, nil},
		{"[x-thing:value = '1']", CheckOptions{}, []string{"custom-prefix:1:2"}},
		{"[x-thing:value = '1']", CheckOptions{SkipCustomPrefix: true}, nil},
		{"[hostname:value = '1']", CheckOptions{}, []string{"custom-prefix:1:2"}},
		{"[hostname:value = '1']", CheckOptions{SkipCustomPrefix: true}, []string{"custom-prefix-lax:1:2"}},
		{"[hostname:value = '1']", CheckOptions{SkipCustomPrefix: true, SkipCustomPrefixLax: true}, nil},
		{"[x-acme-thing:value = '1']", CheckOptions{DisallowCustomTypes: true}, []string{"custom-type:1:2"}},
		{"[file:name = '1']", CheckOptions{DisallowCustomTypes: true}, nil},
		// properties of standard types
		{"[file:filename = 'a']", CheckOptions{}, []string{"custom-prefix:1:2"}},
		{"[file:x_filename = 'a']", CheckOptions{}, []string{"custom-prefix:1:2"}},
		{"[file:x_filename = 'a']", CheckOptions{SkipCustomPrefix: true}, nil},
		{"[file:filename = 'a']", CheckOptions{SkipCustomPrefix: true}, []string{"custom-prefix-lax:1:2"}},
		{"[file:x_acme_name = 'a']", CheckOptions{}, nil},
		{"[file:'File Name' = 'a']", CheckOptions{}, []string{"property-name:1:2"}},
		{"[file:ab = 'a']", CheckOptions{}, []string{"property-name:1:2"}},
		{"[file:value = 'a']", CheckOptions{}, []string{"custom-prefix:1:2"}},
		{"[url:value = 'a' AND url:hashes = 'b']", CheckOptions{}, []string{"custom-prefix:1:22"}},
		// same finding reported once
		{"[file:filename = 'a' OR file:filename = 'b']", CheckOptions{}, []string{"custom-prefix:1:2"}},
		// hashes
		{"[file:hashes.'SHA-256' = 'f00']", CheckOptions{}, []string{"hash:1:2"}},
		{"[file:hashes.'SHA-256' = 'f00']", CheckOptions{SkipHashes: true}, nil},
		{"[file:hashes.sha256 = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']", CheckOptions{}, nil},
		{"[file:hashes.'SHA-1' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']", CheckOptions{}, []string{"hash:1:2"}},
		{"[file:hashes.MD5 IN ('cead3f77f6cda6ec00f57d76c9a6879f', 'zz')]", CheckOptions{}, []string{"hash:1:2"}},
		{"[file:hashes.MD5 LIKE 'cead%']", CheckOptions{}, nil},
		{"[file:hashes.MD5 MATCHES '^cead']", CheckOptions{}, nil},
		{"[file:hashes.'TLSH' = 'anything']", CheckOptions{}, nil},
		{"[file:hashes.SSDEEP = '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C']", CheckOptions{}, nil},
		{"[file:hashes.SSDEEP = 'bad hash!']", CheckOptions{}, []string{"hash:1:2"}},
		{"[file:extensions.'windows-pebinary-ext'.sections[*].hashes.MD5 = 'x']", CheckOptions{}, []string{"hash:1:2"}},
		{"[file:hashes.MD5 = 'x' AND file:hashes.MD5 = 'y']", CheckOptions{}, []string{"hash:1:2", "hash:1:28"}},
		{"[x509-certificate:hashes.'SHA-256' = 'abc']", CheckOptions{}, []string{"hash:1:2"}},
		// SkipNames leaves the hash rule only
		{"[Bad:x = 'a' AND file:hashes.MD5 = 'zz' AND file:foo = 1]", CheckOptions{SkipNames: true}, []string{"hash:1:18"}},
		{"[Bad:x = 'a' AND file:hashes.MD5 = 'zz']", CheckOptions{SkipNames: true, SkipHashes: true}, nil},
		// several findings, in order, over several lines
		{"[hostname:value = 'a']\nAND [file:foo = 'b']", CheckOptions{}, []string{"custom-prefix:1:2", "custom-prefix:2:6"}},
	}
	for _, tc := range tests {
		p, err := Parse(tc.pattern)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.pattern, err)
			continue
		}
		errs := Check(p, tc.opt)
		var got []string
		for _, e := range errs {
			var ce *CheckError
			if !errors.As(e, &ce) || !errors.Is(e, ErrCheck) {
				t.Errorf("Check(%q): %T %v is not a *CheckError wrapping ErrCheck", tc.pattern, e, e)
				continue
			}
			got = append(got, ce.Rule+":"+strconv.Itoa(ce.Line)+":"+strconv.Itoa(ce.Column))
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("Check(%q, %+v) = %v\nwant %v\nerrors: %v", tc.pattern, tc.opt, got, tc.want, errs)
		}
	}
}

func TestCheckMessages(t *testing.T) {
	p, err := Parse("[file:hashes.'SHA-256' = 'f00' AND x_bad:value = 1]")
	if err != nil {
		t.Fatal(err)
	}
	errs := Check(p, CheckOptions{})
	want := []string{
		"1:2: 'f00' is not a valid SHA-256 hash",
		"1:36: 'x_bad' is not a valid observable type name",
	}
	if len(errs) != len(want) {
		t.Fatalf("Check = %v, want %v", errs, want)
	}
	for i := range want {
		if errs[i].Error() != want[i] {
			t.Errorf("error %d = %q, want %q", i, errs[i].Error(), want[i])
		}
	}
	// Built patterns have no positions.
	b, err := Observation(Equals("file:hashes.MD5", Str("x"))).Build()
	if err != nil {
		t.Fatal(err)
	}
	errs = Check(b, CheckOptions{})
	if len(errs) != 1 || errs[0].Error() != "'x' is not a valid MD5 hash" {
		t.Errorf("Check(built) = %v", errs)
	}
}

func TestValidate(t *testing.T) {
	if errs := Validate("[ipv4-addr:value = '1.2.3.4']", CheckOptions{}); errs != nil {
		t.Errorf("Validate(valid) = %v", errs)
	}
	errs := Validate("[ipv4-addr:value = ", CheckOptions{})
	if len(errs) != 1 || !errors.Is(errs[0], ErrSyntax) {
		t.Errorf("Validate(syntax error) = %v", errs)
	}
	errs = Validate("[ipv4-addr:val = '1']", CheckOptions{})
	if len(errs) != 1 || !errors.Is(errs[0], ErrCheck) {
		t.Errorf("Validate(bad name) = %v", errs)
	}
	if Check(nil, CheckOptions{}) != nil {
		t.Error("Check(nil) != nil")
	}
}

func TestSCOTable(t *testing.T) {
	types := []string{"artifact", "autonomous-system", "directory", "domain-name", "email-addr",
		"email-message", "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic",
		"process", "software", "url", "user-account", "windows-registry-key", "x509-certificate"}
	// A few properties of each type (the rest come from the same generated
	// type information as the validator's).
	some := map[string][]string{"artifact": {"mime_type", "payload_bin"}, "file": {"hashes", "name", "parent_directory_ref"},
		"network-traffic": {"src_ref", "protocols", "ipfix"}, "x509-certificate": {"x509_v3_extensions", "serial_number"},
		"windows-registry-key": {"key", "values"}, "process": {"pid", "command_line"}}
	for _, typ := range types {
		if !IsSCOType(typ) || !ValidTypeName(typ) {
			t.Errorf("%s: IsSCOType=%v ValidTypeName=%v", typ, IsSCOType(typ), ValidTypeName(typ))
		}
		for _, p := range append([]string{"extensions", "type", "id", "spec_version", "defanged"}, some[typ]...) {
			if !IsSCOProperty(typ, p) {
				t.Errorf("IsSCOProperty(%s, %s) = false", typ, p)
			}
		}
	}
	if IsSCOProperty("x-foo", "value") || IsSCOProperty("file", "value") {
		t.Error("IsSCOProperty accepts an undefined property")
	}
	for _, bad := range []string{"", "ab", "Abc", "-ab", "ab-", "a_b", "1ab", strings.Repeat("a", 251)} {
		if ValidTypeName(bad) {
			t.Errorf("ValidTypeName(%q) = true", bad)
		}
	}
	for _, good := range []string{"abc", "a-1", "x-acme-thing", strings.Repeat("a", 250)} {
		if !ValidTypeName(good) {
			t.Errorf("ValidTypeName(%q) = false", good)
		}
	}
}
