package gen

import "testing"

func TestGoName(t *testing.T) {
	for in, want := range map[string]string{
		"created_by_ref":        "CreatedByRef",
		"id":                    "ID",
		"indicator_types":       "IndicatorTypes",
		"ipv4-addr":             "IPv4Addr",
		"x509-certificate":      "X509Certificate",
		"windows-pebinary-ext":  "WindowsPEBinaryExt",
		"http-request-ext":      "HTTPRequestExt",
		"src_ref":               "SrcRef",
		"x509_v3_extensions":    "X509V3Extensions",
		"is_family":             "IsFamily",
		"dst_byte_count":        "DstByteCount",
		"mime_type":             "MIMEType",
		"object_marking_refs":   "ObjectMarkingRefs",
		"course-of-action":      "CourseOfAction",
		"a.b c":                 "ABC",
		"3des":                  "V3des",
		"unix-account-ext":      "UnixAccountExt",
		"environment_variables": "EnvironmentVariables",
	} {
		if got := goName(in); got != want {
			t.Errorf("goName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := vocabName("indicator-type-ov"); got != "IndicatorType" {
		t.Errorf("vocabName = %q", got)
	}
}
