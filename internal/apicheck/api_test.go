package apicheck

import (
	"go/importer"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stixkit/stixkit/internal/testutil"
)

const module = "github.com/stixkit/stixkit"

// publicPackages lists the import paths of the module's library packages:
// not internal, not commands, not examples, not testdata.
func publicPackages(t *testing.T) []string {
	root := testutil.RootDir()
	var pkgs []string
	err := filepath.WalkDir(root, func(p string, de os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !de.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		base := de.Name()
		if rel != "." && (strings.HasPrefix(base, ".") || base == "internal" || base == "testdata" || base == "cmd" || base == "examples") {
			return filepath.SkipDir
		}
		files, _ := filepath.Glob(filepath.Join(p, "*.go"))
		lib := false
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err == nil && !strings.Contains(string(src), "\npackage main\n") && !strings.HasPrefix(string(src), "package main\n") {
				lib = true
			}
		}
		if lib {
			if rel == "." {
				pkgs = append(pkgs, module)
			} else {
				pkgs = append(pkgs, module+"/"+rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(pkgs)
	return pkgs
}

// checker finds internal types reachable from exported declarations.
type checker struct {
	pkg  *types.Package
	seen map[types.Type]bool
	out  []string
}

func internalPath(p string) bool {
	return strings.Contains(p, "/internal/") || strings.HasSuffix(p, "/internal")
}

// typ reports every internal named type in t, which where names.
func (c *checker) typ(where string, t types.Type) {
	if t == nil || c.seen[t] {
		return
	}
	c.seen[t] = true
	defer delete(c.seen, t)
	if a, ok := t.(*types.Alias); ok {
		c.typ(where, types.Unalias(a))
		return
	}
	switch t := t.(type) {
	case *types.Named:
		if obj := t.Obj(); obj.Pkg() != nil && internalPath(obj.Pkg().Path()) {
			c.out = append(c.out, where+": "+obj.Pkg().Path()+"."+obj.Name())
		}
		for i := 0; i < t.TypeArgs().Len(); i++ {
			c.typ(where, t.TypeArgs().At(i))
		}
	case *types.Pointer:
		c.typ(where, t.Elem())
	case *types.Slice:
		c.typ(where, t.Elem())
	case *types.Array:
		c.typ(where, t.Elem())
	case *types.Map:
		c.typ(where, t.Key())
		c.typ(where, t.Elem())
	case *types.Chan:
		c.typ(where, t.Elem())
	case *types.Signature:
		c.tparams(where, t.TypeParams())
		for i := 0; i < t.Params().Len(); i++ {
			c.typ(where, t.Params().At(i).Type())
		}
		for i := 0; i < t.Results().Len(); i++ {
			c.typ(where, t.Results().At(i).Type())
		}
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if f := t.Field(i); f.Exported() {
				c.typ(where+"."+f.Name(), f.Type())
			}
		}
	case *types.Interface:
		for i := 0; i < t.NumExplicitMethods(); i++ {
			if m := t.ExplicitMethod(i); m.Exported() {
				c.typ(where+"."+m.Name(), m.Type())
			}
		}
		for i := 0; i < t.NumEmbeddeds(); i++ {
			c.typ(where, t.EmbeddedType(i))
		}
	case *types.Union:
		for i := 0; i < t.Len(); i++ {
			c.typ(where, t.Term(i).Type())
		}
	case *types.TypeParam:
		c.typ(where, t.Constraint())
	}
}

func (c *checker) tparams(where string, l *types.TypeParamList) {
	for i := 0; i < l.Len(); i++ {
		c.typ(where, l.At(i).Constraint())
	}
}

// object checks one exported package-level declaration.
func (c *checker) object(obj types.Object) {
	name := obj.Name()
	switch o := obj.(type) {
	case *types.TypeName:
		if o.IsAlias() {
			c.typ(name, o.Type())
			return
		}
		named, ok := o.Type().(*types.Named)
		if !ok {
			return
		}
		c.tparams(name, named.TypeParams())
		c.typ(name, named.Underlying())
		for i := 0; i < named.NumMethods(); i++ {
			if m := named.Method(i); m.Exported() {
				c.typ(name+"."+m.Name(), m.Type())
			}
		}
	default:
		c.typ(name, obj.Type())
	}
}

// TestNoInternalTypesInAPI type-checks every public package from source
// and fails on any exported function, method, field, variable, constant,
// type or alias whose signature mentions a type of an internal package:
// another module could not call or implement it. One subtest per package.
func TestNoInternalTypesInAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the module from source")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is needed to locate packages")
	}
	pkgs := publicPackages(t)
	for _, want := range []string{module + "/stix", module + "/stix/stiximpl", module + "/bundle"} {
		if i := sort.SearchStrings(pkgs, want); i == len(pkgs) || pkgs[i] != want {
			t.Fatalf("package %s not found among %v", want, pkgs)
		}
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "source", nil).(types.ImporterFrom)
	for _, path := range pkgs {
		t.Run(strings.TrimPrefix(strings.TrimPrefix(path, module), "/"), func(t *testing.T) {
			pkg, err := imp.ImportFrom(path, testutil.RootDir(), 0)
			if err != nil {
				t.Fatalf("type-check %s: %v", path, err)
			}
			c := &checker{pkg: pkg, seen: map[types.Type]bool{}}
			scope := pkg.Scope()
			for _, name := range scope.Names() {
				if obj := scope.Lookup(name); obj.Exported() {
					c.object(obj)
				}
			}
			for _, v := range c.out {
				t.Errorf("%s: exported API mentions an internal type: %s", path, v)
			}
		})
	}
}

// TestCheckerFindsInternalTypes proves the checker sees the shapes it
// claims to cover, on a package declared in memory.
func TestCheckerFindsInternalTypes(t *testing.T) {
	internal := types.NewPackage(module+"/internal/x", "x")
	secret := types.NewNamed(types.NewTypeName(token.NoPos, internal, "Secret", nil), types.Typ[types.Int], nil)
	pub := types.NewPackage(module+"/pub", "pub")
	ptr := types.NewPointer(secret)
	sig := types.NewSignatureType(nil, nil, nil, types.NewTuple(types.NewVar(token.NoPos, pub, "s", ptr)), nil, false)
	decls := []types.Object{
		types.NewFunc(token.NoPos, pub, "F", sig),
		types.NewVar(token.NoPos, pub, "V", types.NewSlice(secret)),
		types.NewTypeName(token.NoPos, pub, "A", types.NewMap(types.Typ[types.String], secret)),
	}
	st := types.NewNamed(types.NewTypeName(token.NoPos, pub, "S", nil), types.NewStruct([]*types.Var{
		types.NewField(token.NoPos, pub, "Exported", secret, false),
		types.NewField(token.NoPos, pub, "hidden", secret, false),
	}, nil), nil)
	decls = append(decls, st.Obj())
	c := &checker{pkg: pub, seen: map[types.Type]bool{}}
	for _, d := range decls {
		c.object(d)
	}
	want := []string{"F: " + module + "/internal/x.Secret", "V: " + module + "/internal/x.Secret", "S.Exported: " + module + "/internal/x.Secret"}
	got := strings.Join(c.out, "\n")
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missed %q in:\n%s", w, got)
		}
	}
	if strings.Contains(got, "hidden") {
		t.Errorf("unexported field reported:\n%s", got)
	}
}
