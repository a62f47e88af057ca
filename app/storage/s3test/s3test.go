// Package s3test gives tests a real S3-compatible server: the one
// RAMPART_TEST_S3_URL names, or else a SeaweedFS server (`weed`) this
// package starts once per test binary when it finds the binary. Without
// either, tests skip, except under CI=true where they fail: CI must run the
// object storage tests.
//
// RAMPART_TEST_S3_URL is the server's endpoint, e.g. http://127.0.0.1:8333,
// with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY as its credentials.
// The weed binary is RAMPART_TEST_WEED, `weed` on PATH, or the one .ci/run
// builds into ~/.cache/rampart/weed-VERSION/weed.
package s3test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"rampart/app/storage"
)

// Bucket is the one bucket every test shares; each test gets a prefix of
// its own in it (a bucket per test would cost SeaweedFS a collection of
// volumes each).
const Bucket = "rampart-test"

// Credentials of the weed server this package starts.
const (
	accessKey = "rampart-test"
	secretKey = "rampart-test-secret"
)

var (
	once     sync.Once
	endpoint string
	keyID    string
	secret   string
	startErr error
)

// Server returns the S3 endpoint and its credentials, starting weed if
// needed, or skips (fails under CI=true) when there is no server.
func Server(t testing.TB) (endpointURL, accessKeyID, secretAccessKey string) {
	t.Helper()
	once.Do(func() { endpoint, keyID, secret, startErr = start() })
	if startErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no S3 server for the object storage tests (CI=true): %v", startErr)
		}
		t.Skipf("no S3 server: %v (set RAMPART_TEST_S3_URL, or build weed: see .ci/run)", startErr)
	}
	return endpoint, keyID, secret
}

// URL returns a RAMPART_STORAGE_URL for a prefix of the shared bucket no
// other test uses; extra is appended to the query (e.g. "&part_size=5242880").
func URL(t testing.TB, extra string) string {
	t.Helper()
	ep, _, _ := Server(t)
	b := make([]byte, 8)
	rand.Read(b)
	return "s3://" + Bucket + "/t-" + hex.EncodeToString(b) + "?endpoint=" + url.QueryEscape(ep) + "&region=us-east-1&path_style=true" + extra
}

// Store returns a store on a fresh prefix of the shared bucket.
func Store(t testing.TB, extra string) *storage.S3 {
	t.Helper()
	_, id, key := Server(t)
	cfg, err := storage.ParseS3URL(URL(t, extra))
	if err != nil {
		t.Fatal(err)
	}
	cfg.AccessKeyID, cfg.SecretAccessKey = id, key
	cfg.SpoolDir = t.TempDir()
	s, err := storage.NewS3(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Client is a plain client of the server, for tests that look at the
// bucket beside the store.
func Client(t testing.TB) *minio.Client {
	t.Helper()
	ep, id, key := Server(t)
	u, _ := url.Parse(ep)
	c, err := minio.New(u.Host, &minio.Options{Creds: credentials.NewStaticV4(id, key, ""), Secure: u.Scheme == "https", Region: "us-east-1", BucketLookup: minio.BucketLookupPath})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Env returns the environment a `rampart` process needs to reach the
// server (its credentials).
func Env(t testing.TB) []string {
	_, id, key := Server(t)
	return []string{"AWS_ACCESS_KEY_ID=" + id, "AWS_SECRET_ACCESS_KEY=" + key, "AWS_REGION=us-east-1"}
}

func start() (string, string, string, error) {
	if ep := os.Getenv("RAMPART_TEST_S3_URL"); ep != "" {
		id, key := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
		return ep, id, key, ensureBucket(ep, id, key)
	}
	bin, err := weedBinary()
	if err != nil {
		return "", "", "", err
	}
	ep, err := startWeed(bin)
	if err != nil {
		return "", "", "", err
	}
	return ep, accessKey, secretKey, ensureBucket(ep, accessKey, secretKey)
}

func weedBinary() (string, error) {
	if p := os.Getenv("RAMPART_TEST_WEED"); p != "" {
		return p, nil
	}
	if p, err := exec.LookPath("weed"); err == nil {
		return p, nil
	}
	cache, err := os.UserCacheDir()
	if err == nil {
		if found, _ := filepath.Glob(filepath.Join(cache, "rampart", "weed-*", "weed")); len(found) > 0 {
			return found[len(found)-1], nil
		}
	}
	return "", errors.New("RAMPART_TEST_S3_URL is not set and no weed binary was found")
}

// freePorts returns n distinct ports free right now: each listener is held
// until all are chosen, so the kernel cannot hand out one port twice.
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// startWeed runs `weed mini`-like single-process SeaweedFS (master,
// volume, filer and S3 gateway) in a temporary folder. The server dies
// with the test binary (Pdeathsig); folders of earlier runs whose binary is
// gone are removed first.
func startWeed(bin string) (string, error) {
	base := filepath.Join(os.TempDir(), "rampart-weed")
	if old, _ := filepath.Glob(base + "-*"); len(old) > 0 {
		for _, d := range old {
			pid, _ := strconv.Atoi(strings.TrimPrefix(d, base+"-"))
			if pid > 0 && syscall.Kill(pid, 0) != nil {
				os.RemoveAll(d)
			}
		}
	}
	dir := fmt.Sprintf("%s-%d", base, os.Getpid())
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	config := filepath.Join(dir, "s3.json")
	identities := `{"identities":[{"name":"rampart","credentials":[{"accessKey":"` + accessKey + `","secretKey":"` + secretKey + `"}],"actions":["Admin","Read","Write","List","Tagging"]}]}`
	if err := os.WriteFile(config, []byte(identities), 0o600); err != nil {
		return "", err
	}
	// A port chosen free can be taken by another test process before weed
	// binds it (CI saw "bind: address already in use" once): weed then
	// exits, and it is started again on other ports.
	var errs []error
	for try := range 3 {
		data := filepath.Join(dir, "data-"+strconv.Itoa(try))
		if err := os.MkdirAll(data, 0o700); err != nil {
			return "", err
		}
		ep, exited, err := runWeed(bin, data, config)
		if err == nil || !exited {
			return ep, err
		}
		errs = append(errs, err)
	}
	return "", errors.Join(errs...)
}

// runWeed starts weed on fresh ports, keeping its data and log in dir, and
// waits until it serves S3; exited reports that it stopped by itself
// (worth another try).
func runWeed(bin, dir, config string) (ep string, exited bool, err error) {
	ports, err := freePorts(len(weedPorts))
	if err != nil {
		return "", false, err
	}
	cmd := exec.Command(bin, weedArgs(dir, config, ports)...)
	logf, err := os.Create(filepath.Join(dir, "weed.log"))
	if err != nil {
		return "", false, err
	}
	defer logf.Close()
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	// A key for server-side encryption (SSE-S3), which weed serves only
	// when given one.
	cmd.Env = append(os.Environ(), "WEED_S3_SSE_KEY=rampart-test-sse-key")
	if err := cmd.Start(); err != nil {
		return "", false, err
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	ep = fmt.Sprintf("http://127.0.0.1:%d", ports[0])
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		if err := ensureBucket(ep, accessKey, secretKey); err == nil {
			return ep, false, nil
		}
		select {
		case <-done:
			return "", true, fmt.Errorf("weed exited before serving S3; its log ends:\n%s", logTail(dir))
		case <-time.After(300 * time.Millisecond):
		}
	}
	_ = cmd.Process.Kill()
	return "", false, fmt.Errorf("weed did not serve S3 within 90s; its log ends:\n%s", logTail(dir))
}

func logTail(dir string) []byte {
	log, _ := os.ReadFile(filepath.Join(dir, "weed.log"))
	if len(log) > 2000 {
		log = log[len(log)-2000:]
	}
	return log
}

// weedPorts are the flags weedArgs gives a chosen port each, S3's first.
// Every listener gets one: the defaults are fixed ports (8181 for Iceberg,
// 9101 for Lance) two test processes would share, or the port + 10000,
// past 65535 for many a free port.
var weedPorts = []string{"s3.port", "master.port", "volume.port", "filer.port", "master.port.grpc", "volume.port.grpc",
	"filer.port.grpc", "s3.port.grpc", "s3.port.iceberg", "s3.port.lance"}

// weedArgs is `weed server` with S3 on, all on loopback and the ports
// given for weedPorts.
func weedArgs(dir, config string, ports []int) []string {
	args := []string{"server", "-dir=" + dir, "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-s3", "-s3.config=" + config,
		"-master.volumeSizeLimitMB=64", "-volume.max=0"}
	for i, flag := range weedPorts {
		args = append(args, "-"+flag+"="+strconv.Itoa(ports[i]))
	}
	return args
}

// ensureBucket creates the shared bucket unless it exists.
func ensureBucket(ep, id, key string) error {
	u, err := url.Parse(ep)
	if err != nil {
		return err
	}
	c, err := minio.New(u.Host, &minio.Options{Creds: credentials.NewStaticV4(id, key, ""), Secure: u.Scheme == "https", Region: "us-east-1", BucketLookup: minio.BucketLookupPath,
		Transport: &http.Transport{ResponseHeaderTimeout: 10 * time.Second}, MaxRetries: 1})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	ok, err := c.BucketExists(ctx, Bucket)
	if err != nil || ok {
		return err
	}
	err = c.MakeBucket(ctx, Bucket, minio.MakeBucketOptions{Region: "us-east-1"})
	if code := minio.ToErrorResponse(err).Code; code == "BucketAlreadyOwnedByYou" || code == "BucketAlreadyExists" {
		return nil
	}
	return err
}
