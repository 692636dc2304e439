package assets_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/backprop-lab/backprop/lesson/assets"
)

// Fetch downloads, verifies and installs the pinned ECharts; here a local
// server stands in for the npm registry and serves a tarball that does not
// match the pinned checksum, so nothing is installed.
func ExamplePackage_Fetch() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("not the real tarball"))
	}))
	defer srv.Close()

	pkg := assets.ECharts
	pkg.URL = srv.URL + "/echarts-5.6.0.tgz"
	tmp, _ := os.MkdirTemp("", "assets-example")
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "echarts-5.6.0")

	_, err := pkg.Fetch(context.Background(), srv.Client(), dir)
	fmt.Println(err != nil)
	_, statErr := os.Stat(dir)
	fmt.Println("installed:", statErr == nil)
	// Output:
	// true
	// installed: false
}

// Locate finds echarts.min.js for the charts; when it is missing, its error
// names the command that fetches it.
func ExampleLocate() {
	os.Setenv(assets.EnvPath, "/nonexistent/echarts.min.js")
	defer os.Unsetenv(assets.EnvPath)
	_, err := assets.Locate()
	fmt.Println(err)
	fmt.Println(assets.FetchCommand)
	// Output:
	// assets: $BACKPROP_ECHARTS="/nonexistent/echarts.min.js": stat /nonexistent/echarts.min.js: no such file or directory
	// go run github.com/backprop-lab/backprop/lesson/cmd/fetch-echarts
}
