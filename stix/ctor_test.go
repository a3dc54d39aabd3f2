package stix_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stixkit/stixkit/internal/testutil"
	"github.com/stixkit/stixkit/stix"
	"github.com/stixkit/stixkit/validate"
)

// TestEveryTypeHasConstructor: each SDO, SRO and SCO type has a package
// function New<Type> in the generated code, and each SDO and SRO a Factory
// method of the same name.
func TestEveryTypeHasConstructor(t *testing.T) {
	fset := token.NewFileSet()
	files, _ := filepath.Glob(filepath.Join(testutil.RootDir(), "stix", "*_gen.go"))
	funcs, methods := map[string]bool{}, map[string]bool{}
	types := map[string]string{} // Go name → STIX type
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && strings.HasPrefix(fd.Name.Name, "New") {
				if fd.Recv == nil {
					funcs[fd.Name.Name] = true
				} else {
					methods[fd.Name.Name] = true
				}
			}
		}
	}
	for _, typ := range []string{"attack-pattern", "campaign", "course-of-action", "grouping", "identity", "incident", "indicator", "infrastructure", "intrusion-set", "location", "malware", "malware-analysis", "note", "observed-data", "opinion", "report", "threat-actor", "tool", "vulnerability", "relationship", "sighting",
		"artifact", "autonomous-system", "directory", "domain-name", "email-addr", "email-message", "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic", "process", "software", "url", "user-account", "windows-registry-key", "x509-certificate"} {
		info, ok := stix.Info(typ)
		if !ok {
			t.Fatalf("%s not registered", typ)
		}
		types[info.GoName] = typ
		if !funcs["New"+info.GoName] {
			t.Errorf("no function New%s for %s", info.GoName, typ)
		}
		if info.Category != "sco" && !methods["New"+info.GoName] {
			t.Errorf("no method Factory.New%s for %s", info.GoName, typ)
		}
	}
	if len(types) != 39 {
		t.Errorf("%d types", len(types))
	}
}

// TestConstructorsMakeValidObjects: objects from the constructors, given
// their required properties, pass validation (MUST checks) once the
// properties the schema requires one of are set, carry the factory's
// clock, ids and creator, and SCOs get their deterministic id.
func TestConstructorsMakeValidObjects(t *testing.T) {
	clock := time.Date(2026, 1, 2, 3, 4, 5, 678_900_000, time.UTC)
	n := 0
	f := &stix.Factory{
		Clock: func() time.Time { return clock },
		NewID: func(typ string) stix.Identifier {
			n++
			return stix.Identifier(typ + "--6ba7b810-9dad-41d1-80b4-00c04fd430c" + string(rune('0'+n%10)))
		},
		CreatedBy: "identity--6ba7b810-9dad-41d1-80b4-00c04fd430c8",
	}
	ref := stix.Identifier("malware--6ba7b810-9dad-41d1-80b4-00c04fd430c8")
	loc := f.NewLocation()
	loc.Country = "FR"
	file := stix.NewFile()
	file.Name = "a.exe"
	proc := stix.NewProcess()
	proc.PID = 4
	ua := stix.NewUserAccount()
	ua.UserID = "1001"
	key := stix.NewWindowsRegistryKey()
	key.Key = "HKEY_LOCAL_MACHINE\\System"
	cert := stix.NewX509Certificate()
	cert.SerialNumber = "01"
	art := stix.NewArtifact()
	art.URL, art.Hashes = "https://example.com/a", stix.Hashes{{Algorithm: "SHA-256", Value: strings.Repeat("a", 64)}}
	ma := f.NewMalwareAnalysis("p")
	ma.Result = stix.MalwareResultMalicious
	od := f.NewObservedData(clock, clock, 1)
	od.ObjectRefs = []stix.Identifier{"ipv4-addr--6ba7b810-9dad-41d1-80b4-00c04fd430c8"}
	nt := stix.NewNetworkTraffic("tcp")
	nt.SrcRef = "ipv4-addr--6ba7b810-9dad-41d1-80b4-00c04fd430c8"
	objs := []stix.Object{
		f.NewAttackPattern("ap"), f.NewCampaign("c"), f.NewCourseOfAction("coa"), f.NewGrouping(stix.GroupingContextSuspiciousActivity, ref),
		f.NewIdentity("i", stix.IdentityClassOrganization), f.NewIncident("inc"), f.NewIndicator("[ipv4-addr:value = '1.2.3.4']", time.Time{}),
		f.NewInfrastructure("inf"), f.NewIntrusionSet("is"), loc, f.NewMalware("m", true), ma,
		f.NewNote("n", ref), od, f.NewOpinion(stix.OpinionValueAgree, ref), f.NewReport("r", time.Time{}, ref),
		f.NewThreatActor("ta"), f.NewTool("t"), f.NewVulnerability("v"),
		f.NewRelationship(ref, "uses", "tool--6ba7b810-9dad-41d1-80b4-00c04fd430c8"), f.NewSighting(ref),
		art, stix.NewAutonomousSystem(15139), stix.NewDirectory("/tmp"), stix.NewDomainName("example.com"), stix.NewEmailAddr("a@example.com"),
		stix.NewEmailMessage(false), file, stix.NewIPv4Addr("1.2.3.4"), stix.NewIPv6Addr("::1"), stix.NewMACAddr("00:00:5e:00:53:01"),
		stix.NewMutex("mx"), nt, proc, stix.NewSoftware("s"), stix.NewURL("https://example.com"), ua, key, cert,
	}
	for _, o := range objs {
		rep, err := validate.Object(o, validate.Options{})
		if err != nil {
			t.Fatal(err)
		}
		out, _ := stix.Marshal(o)
		for _, e := range rep.Errors {
			t.Errorf("%s: %s %s: %s\n%s", o.ObjectType(), e.Code, e.Pointer, e.Message, out)
		}
		if !strings.HasPrefix(string(o.ObjectID()), o.ObjectType()+"--") {
			t.Errorf("%s: id %s", o.ObjectType(), o.ObjectID())
		}
		if c, ok := o.(stix.Created); ok {
			if *c.CreatorRef() != f.CreatedBy || !strings.Contains(string(out), `"created":"2026-01-02T03:04:05.678Z"`) {
				t.Errorf("%s: %s", o.ObjectType(), out)
			}
		}
	}
	ip := stix.NewIPv4Addr("1.2.3.4")
	if want, _ := stix.DeterministicID(ip); ip.ID != want {
		t.Errorf("ipv4-addr id %s", ip.ID)
	}
	ind := f.NewIndicator("[x:y = 1]", time.Time{})
	if out, _ := stix.Marshal(ind); !strings.Contains(string(out), `"pattern_type":"stix","pattern_version":"2.1","valid_from":"2026-01-02T03:04:05.678Z"`) {
		t.Errorf("indicator: %s", out)
	}
	if m := f.NewMalware("m", false); !strings.Contains(mustMarshal(t, m), `"is_family":false`) {
		t.Errorf("malware: %s", mustMarshal(t, m))
	}
}

func mustMarshal(t *testing.T, o stix.Object) string {
	t.Helper()
	out, err := stix.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
