package pattern_test

import (
	"errors"
	"fmt"

	"github.com/stixkit/stixkit/stix/pattern"
)

func ExampleParse() {
	p, err := pattern.Parse("[ipv4-addr:value='198.51.100.1' OR ipv4-addr:value = '198.51.100.2']  WITHIN 300 SECONDS")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p)
	// Output:
	// [ipv4-addr:value = '198.51.100.1' OR ipv4-addr:value = '198.51.100.2'] WITHIN 300 SECONDS
}

func ExampleParse_syntaxError() {
	_, err := pattern.Parse("[url:value = 'http://example.com/'")
	fmt.Println(err)
	var se *pattern.SyntaxError
	if errors.As(err, &se) {
		fmt.Println("offset", se.Offset, "line", se.Line, "column", se.Column)
	}
	// Output:
	// 1:35: expected ']' but found end of pattern
	// offset 34 line 1 column 35
}

func ExampleWalk() {
	p, _ := pattern.Parse("[file:hashes.'SHA-256' = 'aec0' AND file:size > 1024] FOLLOWEDBY [EXISTS process:pid]")
	pattern.Walk(p, func(c *pattern.Comparison) bool {
		fmt.Println(c.Path.ObjectType, c.Path.Property(), c.Op, c.Value)
		return true
	})
	// Output:
	// file hashes = 'aec0'
	// file size > 1024
	// process pid EXISTS
}

func ExampleCheck() {
	p, _ := pattern.Parse("[file:hashes.MD5 = 'not-a-hash' AND file:filename = 'a.exe' AND hostname:value = 'h']")
	for _, err := range pattern.Check(p, pattern.CheckOptions{SkipCustomPrefix: true}) {
		fmt.Println(err)
	}
	// Output:
	// 1:2: 'not-a-hash' is not a valid MD5 hash
	// 1:37: Cyber Observable Object custom property 'filename' should start with 'x_'
	// 1:65: Custom Observable Object type 'hostname' should start with 'x-'
}

func ExampleObservation() {
	text, err := pattern.Observation(
		pattern.Equals("file:hashes.'SHA-256'", pattern.Str("aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f")).
			Or(pattern.Equals("file:name", pattern.Str(`C:\it's.exe`))),
	).FollowedBy(
		pattern.Observation(pattern.In("network-traffic:dst_port", pattern.Int(80), pattern.Int(443))),
	).Within(600).Text()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(text)
	// Output:
	// ([file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' OR file:name = 'C:\\it\'s.exe'] FOLLOWEDBY [network-traffic:dst_port IN (80, 443)]) WITHIN 600 SECONDS
}

func ExampleObs_Build() {
	_, err := pattern.Observation(pattern.Equals("ipv4-addr", pattern.Str("1.2.3.4"))).Repeats(0).Build()
	fmt.Println(err)
	// Output:
	// pattern: invalid builder input: object path "ipv4-addr": 1:10: expected ':' after the object type but found end of pattern
	// pattern: invalid builder input: REPEATS needs a positive count, not 0
}
