// Tests of the faults that carry a request out and then misdeliver its answer, over TCP
// connections driven by hand: the cases where a client could restore twice.

package api

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/libdcs/libdcs/emulator/internal/faults"
	"github.com/libdcs/libdcs/emulator/internal/reqlog"
	"github.com/libdcs/libdcs/emulator/internal/state"
)

const restoreBody = `{"backup_id":"` + state.DemoBackupID + `"}`

// rawConn is one client TCP connection to the fixture, driven by hand.
type rawConn struct {
	net.Conn
	br *bufio.Reader
}

func (f *fixture) dial(t *testing.T) *rawConn {
	t.Helper()
	c, err := net.Dial("tcp", f.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return &rawConn{Conn: c, br: bufio.NewReader(c)}
}

// send writes one signed request on the connection.
func (f *fixture) send(t *testing.T, c *rawConn, method, path, body string) *http.Request {
	t.Helper()
	req := f.request(t, method, path, body, state.DemoSecretKey)
	if err := req.Write(c); err != nil {
		t.Fatal(err)
	}
	return req
}

// readResponse reads one whole response from the connection.
func (c *rawConn) readResponse(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(c.br, req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// expectCleanEOF reads until the server closes and fails unless it closed with a
// FIN (not a reset) and sent not a single byte.
func (c *rawConn) expectCleanEOF(t *testing.T, within time.Duration) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(within))
	data, err := io.ReadAll(c.br)
	if err != nil || len(data) != 0 {
		t.Fatalf("want EOF with no byte, got %d bytes %q, err %v", len(data), data, err)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (f *fixture) restoresStarted() int {
	n, _ := f.store.Counters()
	return n
}

// logged returns the log entry of the request a fault of kind hit, if logged yet.
func (f *fixture) logged(kind string) (reqlog.Entry, bool) {
	for _, e := range f.log.List() {
		if e.Fault == kind {
			return e, true
		}
	}
	return reqlog.Entry{}, false
}

func (f *fixture) addFault(t *testing.T, fault faults.Fault) {
	t.Helper()
	if _, err := f.faults.Add(fault); err != nil {
		t.Fatal(err)
	}
}

func one() *int { n := 1; return &n }

// TestCloseAfterOnKeptAliveConnection is the case libcurl resends silently: the
// connection was reused, and the server closed it without a byte of answer.
func TestCloseAfterOnKeptAliveConnection(t *testing.T) {
	f := newFixture(t)
	f.addFault(t, faults.Fault{Operation: "RestoreInstance", Kind: faults.CloseAfter, Count: one()})
	c := f.dial(t)
	req := f.send(t, c, "GET", base, "")
	resp, _ := c.readResponse(t, req)
	if resp.StatusCode != 200 || resp.Close {
		t.Fatalf("first request: %d, close %v", resp.StatusCode, resp.Close)
	}
	if n := c.br.Buffered(); n != 0 {
		t.Fatalf("%d stray bytes after the first response", n)
	}
	f.send(t, c, "POST", base+"/restores", restoreBody)
	c.expectCleanEOF(t, 5*time.Second)
	if n := f.restoresStarted(); n != 1 {
		t.Fatalf("restores_started %d", n)
	}
	if v, _ := f.store.AdminInstance(state.DemoInstanceID); v.RestorePosts != 1 {
		t.Fatalf("restore_posts %d", v.RestorePosts)
	}
}

func TestHangAfterWorkHoldsUntilClientCloses(t *testing.T) {
	f := newFixture(t)
	f.addFault(t, faults.Fault{Operation: "RestoreInstance", Kind: faults.HangAfterWork, Count: one()})
	c := f.dial(t)
	f.send(t, c, "POST", base+"/restores", restoreBody)
	waitFor(t, "the restore to start", func() bool { return f.restoresStarted() == 1 })
	_ = c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	n, err := c.br.Read(make([]byte, 1))
	var ne net.Error
	if n != 0 || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("hang answered: %d bytes, err %v", n, err)
	}
	if _, done := f.logged(faults.HangAfterWork); done {
		t.Fatal("request ended while the client was still there")
	}
	_ = c.Close()
	waitFor(t, "the held request to end", func() bool { _, done := f.logged(faults.HangAfterWork); return done })
	e, _ := f.logged(faults.HangAfterWork)
	if e.Status != 0 || e.Operation != "RestoreInstance" {
		t.Fatalf("log entry %+v", e)
	}
	if fl := f.faults.List(); fl[0].Fired != 1 || f.stats.FaultsFired.Load() != 1 {
		t.Fatalf("fired %d, faults_fired %d", fl[0].Fired, f.stats.FaultsFired.Load())
	}
}

func TestHangAfterWorkDelayClosesUnanswered(t *testing.T) {
	f := newFixture(t)
	f.addFault(t, faults.Fault{Operation: "*", Kind: faults.HangAfterWork, DelayMs: 300, Count: one()})
	c := f.dial(t)
	began := time.Now()
	f.send(t, c, "POST", base+"/restores", restoreBody)
	c.expectCleanEOF(t, 5*time.Second)
	if d := time.Since(began); d < 290*time.Millisecond {
		t.Fatalf("closed after %v, before delay_ms", d)
	}
	if n := f.restoresStarted(); n != 1 {
		t.Fatalf("restores_started %d", n)
	}
}

func TestHangAfterWorkLetGoByRelease(t *testing.T) {
	f := newFixture(t)
	f.addFault(t, faults.Fault{Operation: "RestoreInstance", Kind: faults.HangAfterWork})
	c := f.dial(t)
	f.send(t, c, "POST", base+"/restores", restoreBody)
	waitFor(t, "the restore to start", func() bool { return f.restoresStarted() == 1 })
	time.Sleep(50 * time.Millisecond)
	f.faults.Release()
	c.expectCleanEOF(t, 2*time.Second)
	// A fault still configured holds the next request again (a refused one too).
	c2 := f.dial(t)
	f.send(t, c2, "POST", base+"/restores", restoreBody)
	_ = c2.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if n, err := c2.br.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Fatalf("second request answered: %d %v", n, err)
	}
}

func TestLateAfterWorkAnswersLate(t *testing.T) {
	f := newFixture(t)
	f.addFault(t, faults.Fault{Operation: "RestoreInstance", Kind: faults.LateAfterWork, DelayMs: 400, Count: one()})
	type result struct {
		status int
		body   []byte
		err    error
	}
	done := make(chan result, 1)
	began := time.Now()
	go func() {
		resp, body, err := f.do(t, "POST", base+"/restores", restoreBody, state.DemoSecretKey)
		if err != nil {
			done <- result{err: err}
			return
		}
		done <- result{status: resp.StatusCode, body: body}
	}()
	waitFor(t, "the restore to start", func() bool { return f.restoresStarted() == 1 })
	select {
	case r := <-done:
		t.Fatalf("answered before delay_ms: %+v", r)
	default:
	}
	r := <-done
	if r.err != nil || r.status != 200 {
		t.Fatalf("late answer %d %v", r.status, r.err)
	}
	if d := time.Since(began); d < 390*time.Millisecond {
		t.Fatalf("answered after %v", d)
	}
	var v struct {
		RestoreID string `json:"restore_id"`
	}
	if err := json.Unmarshal(r.body, &v); err != nil || v.RestoreID == "" {
		t.Fatalf("body %q", r.body)
	}
	list, _, _ := f.store.ListRestores(state.DemoProjectID, state.DemoInstanceID, state.Page{Limit: 10})
	if len(list) != 1 || list[0].RestoreID != v.RestoreID {
		t.Fatalf("the late answer names another restore: %+v", list)
	}
}

func TestLateAfterWorkAnswersEvenWhenClientLeft(t *testing.T) {
	f := newFixture(t)
	f.addFault(t, faults.Fault{Operation: "CopyInstance", Kind: faults.LateAfterWork, DelayMs: 300})
	c := f.dial(t)
	began := time.Now()
	f.send(t, c, "POST", base+"/backups", `{}`)
	waitFor(t, "the backup to start", func() bool { _, b := f.store.Counters(); return b == 1 })
	_ = c.Close()
	waitFor(t, "the late answer", func() bool { _, done := f.logged(faults.LateAfterWork); return done })
	if d := time.Since(began); d < 290*time.Millisecond {
		t.Fatalf("gave up after %v, before delay_ms", d)
	}
	if e, _ := f.logged(faults.LateAfterWork); e.Status != 200 {
		t.Fatalf("log entry %+v", e)
	}
}

func TestFaultForOneInstance(t *testing.T) {
	f := newFixture(t)
	other, err := f.store.CreateInstance(state.InstanceSpec{InstanceID: "other-instance"})
	if err != nil {
		t.Fatal(err)
	}
	f.addFault(t, faults.Fault{Operation: "*", InstanceID: other.InstanceID, Kind: faults.Status, Status: 503, Body: "{}", Count: one()})
	otherBase := "/v2/" + state.DemoProjectID + "/instances/" + other.InstanceID
	if resp, _, _ := f.do(t, "GET", base, "", state.DemoSecretKey); resp.StatusCode != 200 {
		t.Fatalf("fault hit another instance: %d", resp.StatusCode)
	}
	if resp, _, _ := f.do(t, "GET", otherBase+"/backups", "", state.DemoSecretKey); resp.StatusCode != 503 {
		t.Fatalf("fault missed its instance: %d", resp.StatusCode)
	}
	if resp, _, _ := f.do(t, "GET", otherBase, "", state.DemoSecretKey); resp.StatusCode != 200 {
		t.Fatalf("count 1 fault hit twice: %d", resp.StatusCode)
	}
	if f.stats.FaultsFired.Load() != 1 {
		t.Fatalf("faults_fired %d", f.stats.FaultsFired.Load())
	}
}

func TestPostCounters(t *testing.T) {
	f := newFixture(t)
	tm := f.store.Timings()
	tm.RestoreWaitingMs, tm.RestoreRunningMs = 5000, 0 // the first restore stays running
	if err := f.store.SetTimings(tm); err != nil {
		t.Fatal(err)
	}
	post := func(path, body, sk string) int {
		t.Helper()
		resp, _, err := f.do(t, "POST", path, body, sk)
		if err != nil {
			return 0
		}
		return resp.StatusCode
	}
	f.addFault(t, faults.Fault{Operation: "RestoreInstance", Kind: faults.Throttle, Count: one()})
	if s := post(base+"/restores", restoreBody, state.DemoSecretKey); s != 429 {
		t.Fatalf("throttled: %d", s)
	}
	if s := post(base+"/restores", ``, state.DemoSecretKey); s != 400 {
		t.Fatalf("empty body: %d", s)
	}
	if s := post(base+"/restores", restoreBody, state.DemoSecretKey); s != 200 {
		t.Fatalf("carried out: %d", s)
	}
	if s := post(base+"/restores", restoreBody, state.DemoSecretKey); s != 400 {
		t.Fatalf("busy: %d", s)
	}
	f.addFault(t, faults.Fault{Operation: "RestoreInstance", Kind: faults.CloseBefore, Count: one()})
	if s := post(base+"/restores", restoreBody, state.DemoSecretKey); s != 0 {
		t.Fatalf("close_before answered %d", s)
	}
	// Not counted for the instance: a bad signature, another project, an unknown instance.
	if s := post(base+"/restores", restoreBody, "wrong-sk"); s != 401 {
		t.Fatalf("bad signature: %d", s)
	}
	if s := post("/v2/ffffffffffffffffffffffffffffffff/instances/"+state.DemoInstanceID+"/restores", restoreBody, state.DemoSecretKey); s != 403 {
		t.Fatalf("other project: %d", s)
	}
	if s := post("/v2/"+state.DemoProjectID+"/instances/missing/restores", restoreBody, state.DemoSecretKey); s != 404 {
		t.Fatalf("unknown instance: %d", s)
	}
	if s := post(base+"/backups", `{}`, state.DemoSecretKey); s != 400 {
		t.Fatalf("backup during restore: %d", s)
	}
	v, _ := f.store.AdminInstance(state.DemoInstanceID)
	if v.RestorePosts != 5 || v.BackupPosts != 1 || v.RestoresStarted != 1 || v.BackupsStarted != 0 {
		t.Fatalf("instance counters %+v", v)
	}
	// Globally, the unknown instance counts too; the 401 and the 403 never do.
	if r, b, ff := f.stats.RestorePosts.Load(), f.stats.BackupPosts.Load(), f.stats.FaultsFired.Load(); r != 6 || b != 1 || ff != 2 {
		t.Fatalf("restore_posts %d, backup_posts %d, faults_fired %d", r, b, ff)
	}
}

func TestListingDelayHidesNewRestore(t *testing.T) {
	f := newFixture(t)
	tm := f.store.Timings()
	tm.RestoreListingDelayMs = 400
	if err := f.store.SetTimings(tm); err != nil {
		t.Fatal(err)
	}
	if resp, _, _ := f.do(t, "POST", base+"/restores", restoreBody, state.DemoSecretKey); resp.StatusCode != 200 {
		t.Fatalf("restore: %d", resp.StatusCode)
	}
	if resp, body, _ := f.do(t, "GET", base+"/restores", "", state.DemoSecretKey); resp.StatusCode != 204 || len(body) != 0 {
		t.Fatalf("hidden restore listed: %d %s", resp.StatusCode, body)
	}
	waitFor(t, "the restore to be listed", func() bool {
		resp, body, _ := f.do(t, "GET", base+"/restores", "", state.DemoSecretKey)
		if resp.StatusCode != 200 {
			return false
		}
		var v struct {
			Records []state.RestoreView `json:"restore_record_response"`
			Total   int                 `json:"total_num"`
		}
		return json.Unmarshal(body, &v) == nil && v.Total == 1 && len(v.Records) == 1
	})
}
