package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/stixkit/stixkit/bundle"
	"github.com/stixkit/stixkit/stix"
	"github.com/stixkit/stixkit/stix/pattern"
)

func main() {
	styleName := flag.String("style", "canonical", "output style: canonical, python or python-pretty")
	flag.Parse()
	style, err := bundle.ParseStyle(*styleName)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	author := stix.NewIdentity("Example CERT", stix.IdentityClassOrganization)
	rat := stix.NewMalware("Example RAT", true)
	rat.MalwareTypes = []stix.MalwareType{stix.MalwareTypeRemoteAccessTrojan}

	b := bundle.New().CreatedBy(author).Marking(stix.TLPGreen)
	for _, ip := range []string{"198.51.100.7", "203.0.113.42"} {
		// Patterns built in Go are escaped correctly.
		p, err := pattern.Observation(pattern.Equals("ipv4-addr:value", pattern.Str(ip))).Text()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		ind := stix.NewIndicator(p, time.Now())
		ind.Name = "C2 address " + ip
		ind.IndicatorTypes = []stix.IndicatorType{stix.IndicatorTypeMaliciousActivity}
		b.Relate(ind, "indicates", rat)
	}
	report, err := b.Build()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, err := bundle.Marshal(report, style)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(string(out))
}
