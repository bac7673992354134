// Command nipp is the management information system of Vietnam's National
// Industry Promotion Program. main only calls run, so tests can too.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		setServeMemoryLimit(os.Getenv)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(os.Stderr, "nipp:", err)
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "nipp:", err)
		os.Exit(1)
	}
}
