package wire

import (
	"encoding/base64"
	"encoding/binary"
	"slices"
)

// b64Pairs maps 12 bits to the two standard-alphabet base64 characters
// encoding them, stored little-endian so one 16-bit store writes both.
var b64Pairs = func() (t [4096]uint16) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range t {
		t[i] = uint16(alphabet[i>>6]) | uint16(alphabet[i&63])<<8
	}
	return
}()

// AppendBase64 appends the standard base64 encoding (with padding) of src
// to dst; the bytes are those of base64.StdEncoding, produced about twice
// as fast by encoding 6 input bytes per step through a 12-bit table.
func AppendBase64(dst, src []byte) []byte {
	n := base64.StdEncoding.EncodedLen(len(src))
	start := len(dst)
	dst = slices.Grow(dst, n)[:start+n]
	out := dst[start:]
	i, o := 0, 0
	for ; i+8 <= len(src); i, o = i+6, o+8 {
		v := binary.BigEndian.Uint64(src[i:])
		binary.LittleEndian.PutUint16(out[o:], b64Pairs[v>>52])
		binary.LittleEndian.PutUint16(out[o+2:], b64Pairs[v>>40&0xfff])
		binary.LittleEndian.PutUint16(out[o+4:], b64Pairs[v>>28&0xfff])
		binary.LittleEndian.PutUint16(out[o+6:], b64Pairs[v>>16&0xfff])
	}
	base64.StdEncoding.Encode(out[o:], src[i:])
	return dst
}
