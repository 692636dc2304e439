// Command fetch-echarts downloads the ECharts release the lesson charts use
// (npm echarts@5.6.0, Apache-2.0), verifies it against the npm integrity
// checksum and installs echarts.min.js, LICENSE and NOTICE atomically into
// the per-user cache (or -dir). It prints the path of echarts.min.js.
//
//	go run github.com/backprop-lab/backprop/lesson/cmd/fetch-echarts [-dir DIR]
//
// With -dir, set BACKPROP_ECHARTS=DIR/echarts.min.js so the lessons find it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/backprop-lab/backprop/lesson/assets"
)

func main() {
	dir := flag.String("dir", "", "install into `DIR` instead of the per-user cache")
	url := flag.String("url", assets.ECharts.URL, "download the tarball from `URL` (a mirror; the checksum still applies)")
	timeout := flag.Duration("timeout", 5*time.Minute, "give up after this long")
	flag.Parse()
	pkg := assets.ECharts
	pkg.URL = *url
	if *dir == "" {
		d, err := pkg.DefaultDir()
		if err != nil {
			fail(err)
		}
		*dir = d
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	path, err := pkg.Fetch(ctx, nil, *dir)
	if err != nil {
		fail(err)
	}
	fmt.Println(path)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "fetch-echarts:", err)
	os.Exit(1)
}
