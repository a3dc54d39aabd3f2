package gen

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// schemaFile is one loaded schema document.
type schemaFile struct {
	path string // slash path relative to its set's root, e.g. "sdos/indicator.json"
	id   string // its $id, if any
	root *node
	base bool // part of the base set (types already generated in package stix)
}

// schemaSet holds the schemas being generated and, optionally, a base set
// they may reference (the project's own schemas, when generating a user's
// extension schemas into another package).
type schemaSet struct {
	files map[string]*schemaFile // by path; generated files shadow base ones
	base  map[string]*schemaFile
	byID  map[string]*schemaFile
	order []*schemaFile // generated files, sorted by path
}

// loadFS reads every *.json file under fsys (recursively).
func loadFS(fsys fs.FS, base bool) (map[string]*schemaFile, error) {
	files := map[string]*schemaFile{}
	err := fs.WalkDir(fsys, ".", func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if de.IsDir() || !strings.HasSuffix(p, ".json") {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		root, err := parseNode(data)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		files[p] = &schemaFile{path: p, id: root.getStr("$id"), root: root, base: base}
		return nil
	})
	return files, err
}

func newSchemaSet(gen, base fs.FS) (*schemaSet, error) {
	s := &schemaSet{files: map[string]*schemaFile{}, base: map[string]*schemaFile{}, byID: map[string]*schemaFile{}}
	if base != nil {
		files, err := loadFS(base, true)
		if err != nil {
			return nil, fmt.Errorf("base schemas: %w", err)
		}
		for p, f := range files {
			s.base[p] = f
			if f.id != "" {
				s.byID[f.id] = f
			}
		}
	}
	files, err := loadFS(gen, false)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no *.json schema files found")
	}
	for p, f := range files {
		s.files[p] = f
		if f.id != "" {
			s.byID[f.id] = f
		}
		s.order = append(s.order, f)
	}
	sort.Slice(s.order, func(i, j int) bool { return s.order[i].path < s.order[j].path })
	return s, nil
}

// resolve follows a $ref from file from; it returns the target file and node.
func (s *schemaSet) resolve(from *schemaFile, ref string) (*schemaFile, *node, error) {
	filePart, frag, _ := strings.Cut(ref, "#")
	target := from
	if filePart != "" {
		if strings.Contains(filePart, "://") {
			target = s.byID[filePart]
		} else {
			p := path.Clean(path.Join(path.Dir(from.path), filePart))
			target = s.files[p]
			if target == nil || (from.base && !target.base) {
				target = s.base[p]
			}
			if target == nil && !from.base {
				// A user's folder sits beside the stixkit schema folders:
				// ../common/core.json from it names common/core.json.
				for q := p; target == nil && strings.HasPrefix(q, "../"); {
					q = strings.TrimPrefix(q, "../")
					target = s.base[q]
				}
			}
			if target == nil && from.id != "" {
				// resolve against the $id (for files registered under URLs)
				if i := strings.LastIndex(from.id, "/"); i >= 0 {
					u := from.id[:i+1] + filePart
					target = s.byID[cleanURL(u)]
				}
			}
		}
		if target == nil {
			return nil, nil, fmt.Errorf("%s: $ref %q: no such schema", from.path, ref)
		}
	}
	n := target.root
	if frag != "" {
		for _, seg := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
			seg = strings.ReplaceAll(strings.ReplaceAll(seg, "~1", "/"), "~0", "~")
			switch n.kind {
			case 'o':
				n = n.get(seg)
			case 'a':
				i, err := strconv.Atoi(seg)
				if err != nil || i < 0 || i >= len(n.items) {
					n = nil
				} else {
					n = n.items[i]
				}
			default:
				n = nil
			}
			if n == nil {
				return nil, nil, fmt.Errorf("%s: $ref %q: fragment not found", from.path, ref)
			}
		}
	}
	return target, n, nil
}

// cleanURL removes "dir/../" segments from a URL path.
func cleanURL(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	host, p, _ := strings.Cut(rest, "/")
	return scheme + "://" + host + path.Clean("/"+p)
}
