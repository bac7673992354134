// Command dataset loads a demo data set of a given size into a SQLite folder
// or a PostgreSQL database once, for the benchmarks in bench/ to measure
// against (they load it themselves when missing; this only does it ahead).
//
//	go run ./bench/dataset -data /tmp/nipp-200k -establishments 200000 -projects 20000
//	go run ./bench/dataset -db postgres://root@127.0.0.1:5432/nipp_200k -establishments 200000 -projects 20000
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"

	"nipp/bench/benchkit"
)

func main() {
	var d benchkit.Dataset
	flag.StringVar(&d.DataDir, "data", "", "SQLite data folder")
	flag.StringVar(&d.DBURL, "db", "", "PostgreSQL URL (the database must exist)")
	flag.IntVar(&d.Establishments, "establishments", 200_000, "establishments")
	flag.IntVar(&d.Projects, "projects", 20_000, "projects")
	flag.BoolVar(&d.National, "national", false, "the national scale's options (years 2014-2030, fairs' participants, bulk load; as `nipp demo --scale national`) at these sizes")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the load to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if (d.DataDir == "") == (d.DBURL == "") {
		fmt.Fprintln(os.Stderr, "give -data DIR or -db URL")
		os.Exit(2)
	}
	db, err := d.Open(context.Background(), os.Stdout)
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	db.Close()
}
