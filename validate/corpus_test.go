package validate

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
)

// trueFindings lists the errors found in the real files of the shared
// corpus that are real defects of those files, with the reason.
var trueFindings = map[string][]struct{ id, pointer, code, reason string }{
	"attack-stix-data/ics-attack-8.0.json": {
		{"relationship--f65a8ce8-90fa-4d92-a0dc-3ee544c541fe", "/external_references/0/url", "schema/format", "the url is a citation text (\"Dragos. (n.d.). Chrysene. …\"), not a URL"},
		{"malware--4dcff507-5af8-47ce-964a-8d9569e9ccfe", "/external_references/1/url", "schema/format", "the url is a citation text (\"Spenneberg, Ralf, …\"), not a URL"},
	},
	"attack-stix-data/mobile-attack-12.1.json": {
		{"relationship--f825f5ea-3815-431f-b005-4c01b8b2fed9", "/modified", CodeTimestampOrder, "modified 2018-04-30 is earlier than created 2018-10-17"},
	},
	"python-stix2/sco-examples-bundle.json": {
		{"artifact--ca17bcf8-9846-5ab4-8662-75c1bf6e63ee", "/payload_bin", "schema/pattern", "payload_bin is elided example text ('VBORw0…ADI== ...'), not base64"},
		{"artifact--6f437177-6e48-5cf8-9d9e-872a2bddd641", "/payload_bin", "schema/pattern", "payload_bin is elided example text, not base64"},
		{"artifact--4cce66f8-6eaa-53cb-85d5-3a85fca3a6c5", "/payload_bin", "schema/pattern", "payload_bin is elided example text, not base64"},
		{"email-message--cf9b4b7f-14c8-5955-8065-020e0316b559", "/additional_header_fields/Content-Disposition", "schema/type", "header values MUST be lists of strings (STIX 2.1 §6.6.1); this one is a string"},
		{"email-message--cf9b4b7f-14c8-5955-8065-020e0316b559", "/additional_header_fields/X-Mailer", "schema/type", "header value is a string, not a list"},
		{"email-message--cf9b4b7f-14c8-5955-8065-020e0316b559", "/additional_header_fields/X-Originating-IP", "schema/type", "header value is a string, not a list"},
	},
	"tcm1911-stix2/all.json": {
		{"malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b", "/is_family", "schema/required", "STIX 2.1 malware requires is_family (the object is a 2.0 example relabelled 2.1; it appears twice)"},
		{"relationship--7aebe2f0-28d6-48a2-9c3e-b0aaa60266ef", "", CodeDuplicateID, "two relationships with this id and modified point at different targets"},
		{"note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061", "/external_references/0", "schema/anyOf", "an external reference needs description, url or external_id; it has source_name and a non-standard id"},
		{"observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf", "", CodeDuplicateID, "two observed-data with this id and modified have different object_refs and last_observed"},
		{"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "/created", CodeTLP, "a statement marking that reuses the TLP:GREEN id with another created"},
		{"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "/definition_type", CodeTLP, "same object: the TLP:GREEN id with definition_type statement"},
	},
}

// TestCorpus validates every real STIX 2.1 file of the shared corpus: no
// errors but the true findings listed in trueFindings (each of which must
// still be found).
func TestCorpus(t *testing.T) {
	dir, files := testutil.CorpusFiles(t, "2.1")
	if testing.Short() {
		files = files[:min(len(files), 10)]
	}
	for _, name := range files {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rep, err := Reader(context.Background(), f, Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := trueFindings[name]
			seen := make([]bool, len(want))
		next:
			for _, e := range rep.Errors {
				for i, w := range want {
					if e.ObjectID == w.id && e.Pointer == w.pointer && e.Code == w.code {
						seen[i] = true
						continue next
					}
				}
				t.Errorf("unexpected error: %v", e)
			}
			for i, ok := range seen {
				if !ok {
					t.Errorf("true finding no longer reported: %+v", want[i])
				}
			}
			if rep.Objects == 0 {
				t.Errorf("no objects read")
			}
		})
	}
}
