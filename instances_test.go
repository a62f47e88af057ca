package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"

	"rampart/app/storage/s3test"
	"rampart/models"
	"rampart/models/testdb"
)

// TestSeveralInstances: two `rampart serve` processes on one PostgreSQL
// database and one S3 bucket behave as one: a file uploaded through one
// downloads through the other, a session begun on one is valid on the
// other, failed sign-ins count across both, and the company name set
// through one is the one the other names at once.
func TestSeveralInstances(t *testing.T) {
	target := testdb.Target(t, models.Postgres)
	storeURL := s3test.URL(t, "")
	bin := buildBinary(t)
	env := append(s3test.Env(t), "RAMPART_DATABASE_URL="+target.DSN, "RAMPART_STORAGE_URL="+storeURL,
		"RAMPART_SIGNIN_MAX_FAILURES=3", "RAMPART_LOG_LEVEL=warn", "RAMPART_LOG_FORMAT=json")
	mig := exec.Command(bin, "migrate")
	mig.Env = append(append(os.Environ(), env...), "RAMPART_DATA_DIR="+t.TempDir())
	if out, err := mig.CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	a := startInstance(t, bin, env, "--demo") // loads the demo accounts
	waitReady(t, "http://"+a.addr+"/readyz")
	b := startInstance(t, bin, env)
	waitReady(t, "http://"+b.addr+"/readyz")
	baseA, baseB := "http://"+a.addr, "http://"+b.addr

	// A file uploaded through A downloads, whole, through B.
	client := &http.Client{}
	tokenA := apiToken(t, client, baseA)
	call := func(base, method, path, contentType string, body io.Reader) []byte {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, body)
		req.Header.Set("Authorization", "Bearer "+tokenA)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		if resp.StatusCode/100 != 2 {
			t.Fatalf("%s %s on %s: %d %s", method, path, base, resp.StatusCode, out)
		}
		return out
	}
	var vendor, contract struct{ ID string }
	var up struct{ Document struct{ ID string } }
	json.Unmarshal(call(baseA, "POST", "/api/v1/vendors", "application/json", strings.NewReader(`{"name":"Shared Storage Vendor","category":"saas"}`)), &vendor)
	json.Unmarshal(call(baseA, "POST", "/api/v1/contracts", "application/json", strings.NewReader(`{"vendor_id":"`+vendor.ID+`","title":"MSA"}`)), &contract)
	text := "MASTER SERVICES AGREEMENT\n\nThis agreement is between Corp and Shared Storage Vendor.\n" + strings.Repeat("The vendor keeps customer data confidential.\n", 200)
	var form bytes.Buffer
	w := multipart.NewWriter(&form)
	fw, _ := w.CreateFormFile("file", "msa.txt")
	fw.Write([]byte(text))
	w.Close()
	json.Unmarshal(call(baseA, "POST", "/api/v1/contracts/"+contract.ID+"/documents", w.FormDataContentType(), &form), &up)
	doc := up.Document
	if doc.ID == "" {
		t.Fatal("no document id")
	}
	got := call(baseB, "GET", "/api/v1/contracts/"+contract.ID+"/documents/"+doc.ID+"/file", "", nil)
	if string(got) != text {
		t.Fatalf("downloaded through B: %d bytes, want the %d uploaded through A", len(got), len(text))
	}

	// The company's name set through A is the one B names at once (the
	// demo stored its own first).
	var org struct {
		Name    string
		Set     bool
		Version int64
	}
	json.Unmarshal(call(baseB, "GET", "/api/v1/settings/organization", "", nil), &org)
	if org.Name != "Example Corp" || !org.Set {
		t.Fatalf("the demo's company name on B: %+v", org)
	}
	call(baseA, "PUT", "/api/v1/settings/organization", "application/json", strings.NewReader(fmt.Sprintf(`{"name":"Shared Name Corp","version":%d}`, org.Version)))
	json.Unmarshal(call(baseB, "GET", "/api/v1/settings/organization", "", nil), &org)
	if org.Name != "Shared Name Corp" {
		t.Fatalf("B names the company %q after A changed it", org.Name)
	}

	// A session begun on A is valid on B.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	signIn := func(c *http.Client, base, password string) int {
		t.Helper()
		body, _ := json.Marshal(map[string]string{"email": "admin@example.com", "password": password})
		resp, err := c.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := signIn(browser, baseA, "demo-password"); code != 200 {
		t.Fatalf("sign in on A: %d", code)
	}
	cookies := jar.Cookies(mustURL(t, baseA))
	req, _ := http.NewRequest("GET", baseB+"/api/v1/auth/me", nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("A's session on B: %d", resp.StatusCode)
	}

	// Three failures split over A and B throttle the account on both: B
	// alone saw one, A two, fewer than the three allowed.
	for i, base := range []string{baseA, baseB, baseA} {
		if code := signIn(client, base, "wrong-password"); code != 401 {
			t.Fatalf("failed sign-in %d: %d, want 401", i+1, code)
		}
	}
	for _, base := range []string{baseB, baseA} {
		if code := signIn(client, base, "demo-password"); code != 429 {
			t.Fatalf("sign-in on %s after three failures across both instances: %d, want 429", base, code)
		}
	}
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
