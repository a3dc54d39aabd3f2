// Package pyjson is an ordered, generic JSON value with a parser and a writer
// that reproduce CPython 3's json module byte for byte: Parse behaves like
// json.loads and Dumps like json.dumps, so Dumps(Parse(x)) equals
// json.dumps(json.loads(x)) for every x Python accepts.
//
// It exists for the OpenCTI connector helper, whose wire format is "Python
// json.dumps of the parsed bundle in the caller's key order", and for the
// Python-compatible STIX writer.
//
// Parse follows json.loads:
//
//   - object member order is kept; a duplicate key keeps the position of its
//     first occurrence and the value of its last one (Python dict semantics);
//   - integers (no fraction, no exponent) are kept exactly, of any size up to
//     MaxIntDigits digits (Python 3.11+ refuses longer ones); "-0" becomes "0";
//   - other numbers are binary64 floats ("1E5" is the float 100000.0, "1E400"
//     is Infinity) and are stored in their Python repr form;
//   - NaN, Infinity and -Infinity literals are accepted as Python does,
//     unless ParseOptions.DisallowNaN is set;
//   - \u escapes of lone UTF-16 surrogates are accepted as Python does and
//     kept in the Go string in WTF-8 form (ED A0 80 for U+D800), which the
//     writer escapes back to \ud800; raw input bytes must be valid UTF-8;
//   - a leading UTF-8 byte order mark is skipped (as json.loads does for bytes).
//
// Dumps follows json.dumps with its defaults (separators ", " and ": ",
// ensure_ascii=True) and the options indent, ensure_ascii=False and
// sort_keys. A Number value's Str is written as is, so it must hold JSON
// number text in Python's form: the constructors IntValue and FloatValue and
// Parse guarantee that.
//
// Transcoder (and AppendTranscode) produce the same bytes as Dumps(Parse(x))
// in one pass without building a Value, and can report where each value of
// the first levels landed in the output.
//
// Values are plain data: copying a Value copies slice headers, not the
// elements, as Python shares dicts. Nothing here is safe for concurrent
// mutation; concurrent reads and Dumps of the same Value are safe.
package pyjson
