package validate

import (
	"regexp"
	"strings"
)

// langTag is the syntax of RFC 5646 language tags (langtag, privateuse),
// without the registry lookup.
var langTag = regexp.MustCompile(`(?i)^(?:` +
	`[a-z]{2,3}(-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})` + // language
	`(-[a-z]{4})?` + // script
	`(-([a-z]{2}|[0-9]{3}))?` + // region
	`(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*` + // variants
	`(-[0-9a-wyz](-[a-z0-9]{2,8})+)*` + // extensions
	`(-x(-[a-z0-9]{1,8})+)?$`)

var privateUse = regexp.MustCompile(`^(?i:x(-[a-z0-9]{1,8})+)$`)

// grandfathered are the irregular and regular grandfathered tags of RFC 5646.
var grandfathered = map[string]bool{
	"en-gb-oed": true, "i-ami": true, "i-bnn": true, "i-default": true, "i-enochian": true,
	"i-hak": true, "i-klingon": true, "i-lux": true, "i-mingo": true, "i-navajo": true,
	"i-pwn": true, "i-tao": true, "i-tay": true, "i-tsu": true, "sgn-be-fr": true,
	"sgn-be-nl": true, "sgn-ch-de": true, "art-lojban": true, "cel-gaulish": true,
	"no-bok": true, "no-nyn": true, "zh-guoyu": true, "zh-hakka": true, "zh-min": true,
	"zh-min-nan": true, "zh-xiang": true,
}

// validLangTag reports whether s is a well-formed RFC 5646 language tag.
func validLangTag(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	return langTag.MatchString(s) || privateUse.MatchString(s) || grandfathered[strings.ToLower(s)]
}
