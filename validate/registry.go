package validate

//go:generate go run ./internal/mkregistry -subtags=$STIXKIT_SUBTAGS -o registry_data.go

import (
	"regexp"
	"strings"
	"sync"
)

// registry is a set of registry entries built on first use from the
// generated data (registry_data.go).
type registry struct {
	once sync.Once
	data string
	set  map[string]bool
}

func (r *registry) has(s string) bool {
	r.once.Do(func() {
		f := strings.Fields(r.data)
		r.set = make(map[string]bool, len(f))
		for _, e := range f {
			r.set[e] = true
		}
	})
	return r.set[s]
}

var (
	regMediaTypes    = &registry{data: mediaTypesData}
	regCharsets      = &registry{data: charsetsData}
	regISO6392       = &registry{data: iso6392Data}
	regCountries     = &registry{data: countriesData}
	regSocketOptions = &registry{data: socketOptionsData}
	regLSRLanguages  = &registry{data: lsrLanguagesData}
	regLSRExtlangs   = &registry{data: lsrExtlangsData}
	regLSRScripts    = &registry{data: lsrScriptsData}
	regLSRRegions    = &registry{data: lsrRegionsData}
	regLSRVariants   = &registry{data: lsrVariantsData}
	regLSRTags       = &registry{data: lsrTagsData}
)

// knownMediaType reports whether s (parameters ignored) is a registered
// media type.
func knownMediaType(s string) bool {
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = s[:i]
	}
	return regMediaTypes.has(strings.ToLower(strings.TrimSpace(s)))
}

func knownCharset(s string) bool { return regCharsets.has(strings.ToUpper(s)) }

// registeredLangTag reports whether every subtag of a well-formed RFC 5646
// tag is in the IANA Language Subtag Registry: language (or extlang),
// script, region and variants (extensions and private use are not
// registered there). Grandfathered and redundant tags, and private-use
// tags, are accepted whole.
func registeredLangTag(s string) bool {
	l := strings.ToLower(s)
	if regLSRTags.has(l) || grandfathered[l] || privateUse.MatchString(l) {
		return true
	}
	parts := strings.Split(l, "-")
	if !regLSRLanguages.has(parts[0]) {
		return false
	}
	// The subtags after the language come in the order of the syntax
	// (extlang, script, region, variants): each is recognised by its form.
	for i, p := range parts[1:] {
		switch {
		case len(p) == 1:
			return true // an extension or private use: not registered
		case len(p) == 3 && p[0] >= 'a' && p[0] <= 'z' && i < 3 && len(parts[0]) <= 3:
			if !regLSRExtlangs.has(p) {
				return false
			}
		case len(p) == 4 && p[0] >= 'a' && p[0] <= 'z':
			if !regLSRScripts.has(p) {
				return false
			}
		case len(p) == 2 || (len(p) == 3 && p[0] >= '0' && p[0] <= '9'):
			if !regLSRRegions.has(p) {
				return false
			}
		default:
			if !regLSRVariants.has(p) {
				return false
			}
		}
	}
	return true
}

// cpe23 is the formatted string binding of CPE 2.3 (NISTIR 7695, 6.2).
var cpe23 = regexp.MustCompile(`^cpe:2\.3:[aho*\-](:(((\?*|\*?)([a-zA-Z0-9\-._]|(\\[\\*?!"#$%&'()+,/:;<=>@\[\]^` + "`" + `{|}~]))+(\?*|\*?))|[*\-])){5}(:(([a-zA-Z]{2,3}(-([a-zA-Z]{2}|[0-9]{3}))?)|[*\-]))(:(((\?*|\*?)([a-zA-Z0-9\-._]|(\\[\\*?!"#$%&'()+,/:;<=>@\[\]^` + "`" + `{|}~]))+(\?*|\*?))|[*\-])){4}$`)

// registries checks values against registries: MUSTs of the specification
// as errors (CodeRegistry), SHOULDs as warnings with the OASIS codes.
func (c *objCheck) registries() {
	m := c.m
	switch c.typ {
	case "artifact":
		if s, ok := m["mime_type"].(string); ok && !knownMediaType(s) {
			c.add(CodeRegistry, "/mime_type", "mime_type %q is not in the IANA Media Types registry (the value MUST be a valid MIME type from it)", trunc(s))
		}
	case "file":
		if s, ok := m["mime_type"].(string); ok && !knownMediaType(s) {
			c.add("271", "/mime_type", "mime_type %q is not in the IANA Media Types registry", trunc(s))
		}
		if s, ok := m["name_enc"].(string); ok && !knownCharset(s) {
			c.add(CodeRegistry, "/name_enc", "name_enc %q is not an IANA character set name (the value MUST come from the IANA Character Sets registry)", trunc(s))
		}
	case "directory":
		if s, ok := m["path_enc"].(string); ok && !knownCharset(s) {
			c.add(CodeRegistry, "/path_enc", "path_enc %q is not an IANA character set name (the value MUST come from the IANA Character Sets registry)", trunc(s))
		}
	case "email-message":
		if s, ok := m["content_type"].(string); ok && !knownMediaType(s) {
			c.add("271", "/content_type", "content_type %q is not in the IANA Media Types registry", trunc(s))
		}
		if parts, ok := m["body_multipart"].([]any); ok {
			for i, p := range parts {
				pm, _ := p.(map[string]any)
				if s, ok := pm["content_type"].(string); ok && !knownMediaType(s) {
					c.add("271", "/body_multipart/"+itoa(i)+"/content_type", "content_type %q is not in the IANA Media Types registry", trunc(s))
				}
			}
		}
	case "software":
		if l, ok := m["languages"].([]any); ok {
			for i, e := range l {
				s, ok := e.(string)
				if !ok {
					continue
				}
				// ISO 639-2 codes, as the specification says; RFC 5646
				// tags with an ISO 639-1 language are accepted too, as the
				// OASIS validator does.
				if !regISO6392.has(strings.ToLower(s)) && !(validLangTag(s) && len(strings.SplitN(s, "-", 2)[0]) == 2 && registeredLangTag(s)) {
					c.add(CodeRegistry, "/languages/"+itoa(i), "%q is not an ISO 639-2 language code (each value MUST be one)", trunc(s))
				}
			}
		}
		if s, ok := m["cpe"].(string); ok && !cpe23.MatchString(s) {
			c.add(CodeRegistry, "/cpe", "cpe %q is not a CPE 2.3 formatted string (cpe:2.3:part:vendor:product:version:update:edition:language:sw_edition:target_sw:target_hw:other); the value MUST be a CPE v2.3 entry", trunc(s))
		}
	case "location":
		if s, ok := m["country"].(string); ok && !regCountries.has(strings.ToUpper(s)) {
			c.add("277", "/country", "country %q is not an ISO 3166-1 alpha-2 code", trunc(s))
		}
	}
}
