package main

import (
	"context"
	"fmt"
	"os"

	"github.com/stixkit/stixkit/validate"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: validate FILE")
		os.Exit(1)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()

	// The recipe: stream the file through every check on all cores.
	rep, err := validate.Reader(context.Background(), f, validate.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, e := range rep.Errors {
		fmt.Println("error:", e)
	}
	for _, w := range rep.Warnings {
		fmt.Println("warning:", w)
	}
	fmt.Printf("%d objects, valid: %v\n", rep.Objects, rep.Valid)
	if !rep.Valid {
		os.Exit(2)
	}
}
