// The Terraform provider's share of the cross-layer fault matrix
// (tests/reliability/fault_matrix.json), run with the other acceptance tests.

package acceptance

// The Terraform resource's column of the cross-layer fault matrix
// (tests/reliability/fault_matrix.json, shared with the C, Python, Go and dcsctl suites):
// every fault that applies to RestoreInstance, in each of its modes, injected into the
// applies of a dcs_instance_restore resource, judged from the emulator's own counters.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	dcs "github.com/libdcs/libdcs/bindings/go"

	"github.com/libdcs/libdcs/bindings/terraform/internal/dcsclient"
	"github.com/libdcs/libdcs/bindings/terraform/internal/provider"
)

// matrixParallel is how many cells run at once. Each cell drives its own Terraform CLI on
// its own instance; the cells with timings start first, one at a time (see matrixCell.wait).
const matrixParallel = 6

// matrixRemark is the remark of every restore the matrix starts (FindRestore matches it).
const matrixRemark = "matrix"

// --- the matrix file ----------------------------------------------------------------------

type matrixFile struct {
	CallTimeoutMS   int64                                     `json:"call_timeout_ms"`
	DeadlineSlackMS int64                                     `json:"deadline_slack_ms"`
	Modes           map[string]int                            `json:"modes"`
	Faults          []map[string]any                          `json:"faults"`
	RestoreExpect   map[string]map[string]matrixRestoreExpect `json:"restore_expect"`
}

// matrixRestoreExpect is restore_expect[fault][mode].
type matrixRestoreExpect struct {
	Outcome  string `json:"outcome"`
	Restores int    `json:"restores"`
	Posts    *int   `json:"posts"`
	PostsMin *int   `json:"posts_min"`
	PostsMax *int   `json:"posts_max"`
}

// postsProblem compares the RestoreInstance requests the emulator received with posts, or
// posts_min..posts_max; "" when they agree.
func (x matrixRestoreExpect) postsProblem(posts int) string {
	switch {
	case x.Posts == nil && x.PostsMin == nil && x.PostsMax == nil:
		return "restore_expect gives neither posts nor posts_min/posts_max"
	case x.Posts != nil && posts != *x.Posts:
		return fmt.Sprintf("the emulator received %d RestoreInstance requests, want %d", posts, *x.Posts)
	case x.PostsMin != nil && posts < *x.PostsMin:
		return fmt.Sprintf("the emulator received %d RestoreInstance requests, want at least %d", posts, *x.PostsMin)
	case x.PostsMax != nil && posts > *x.PostsMax:
		return fmt.Sprintf("the emulator received %d RestoreInstance requests, want at most %d", posts, *x.PostsMax)
	}
	return ""
}

// matrixFault is one fault of the matrix: what the emulator is sent (spec), and the keys
// that steer the test instead.
type matrixFault struct {
	name        string
	only, modes []string
	callTimeout time.Duration // 0: the matrix's
	timings     map[string]any
	spec        map[string]any // without operation, count and instance_id
}

func parseMatrixFault(t *testing.T, raw map[string]any) matrixFault {
	t.Helper()
	f := matrixFault{spec: map[string]any{}}
	stringList := func(key string) []string {
		list, ok := raw[key].([]any)
		if !ok {
			t.Fatalf("fault_matrix.json: %v: %s is not a list", raw["name"], key)
		}
		var out []string
		for _, v := range list {
			s, ok := v.(string)
			if !ok {
				t.Fatalf("fault_matrix.json: %v: %s holds %v, not a string", raw["name"], key, v)
			}
			out = append(out, s)
		}
		return out
	}
	for key, value := range raw {
		switch key {
		case "name":
			f.name, _ = value.(string)
		case "only":
			f.only = stringList(key)
		case "modes":
			f.modes = stringList(key)
		case "call_timeout_ms":
			ms, ok := value.(float64)
			if !ok || ms <= 0 {
				t.Fatalf("fault_matrix.json: %v: call_timeout_ms %v", raw["name"], value)
			}
			f.callTimeout = time.Duration(ms) * time.Millisecond
		case "timings":
			timings, ok := value.(map[string]any)
			if !ok {
				t.Fatalf("fault_matrix.json: %v: timings is not an object", raw["name"])
			}
			f.timings = timings
		default:
			f.spec[key] = value
		}
	}
	if f.name == "" {
		t.Fatalf("fault_matrix.json: a fault has no name: %v", raw)
	}
	return f
}

func listHas(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// appliesTo says whether the fault has a cell for this operation in this mode.
func (f matrixFault) appliesTo(operation, mode string) bool {
	return (len(f.only) == 0 || listHas(f.only, operation)) && (len(f.modes) == 0 || listHas(f.modes, mode))
}

// objectKeys returns the keys of the JSON object at field of data in document order.
func objectKeys(t *testing.T, data []byte, field string) []string {
	t.Helper()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(top[field]))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("fault_matrix.json: %s is not an object", field)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// --- what the provider's StartRestore calls did -------------------------------------------

// startCall is one StartRestore the provider made: the provider's API is libdcs (through
// dcsclient) exactly as in production; this only watches it, for what the state cannot
// show (adopted or not, request sent MAYBE, how long the call took).
type startCall struct {
	elapsed time.Duration
	outcome provider.StartedRestore
	err     error
}

var startCalls = struct {
	sync.Mutex
	byInstance map[string][]startCall
}{byInstance: map[string][]startCall{}}

func startCallsOf(instanceID string) []startCall {
	startCalls.Lock()
	defer startCalls.Unlock()
	return append([]startCall(nil), startCalls.byInstance[instanceID]...)
}

type recordingAPI struct {
	provider.API
}

func (r recordingAPI) StartRestore(ctx context.Context, req provider.StartRequest) (provider.StartedRestore, error) {
	began := time.Now()
	outcome, err := r.API.StartRestore(ctx, req)
	call := startCall{elapsed: time.Since(began), outcome: outcome, err: err}
	startCalls.Lock()
	startCalls.byInstance[req.InstanceID] = append(startCalls.byInstance[req.InstanceID], call)
	startCalls.Unlock()
	return outcome, err
}

func recordingConnect(cfg provider.ClientConfig) (provider.API, error) {
	api, err := dcsclient.Connect(cfg)
	if err != nil {
		return nil, err
	}
	return recordingAPI{API: api}, nil
}

// matrixProviderFactories serve the real provider, its StartRestore calls watched.
var matrixProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"dcs": providerserver.NewProtocol6WithError(provider.New("acctest", recordingConnect, dcsclient.Rules{})()),
}

// --- admin calls from other goroutines (no t.Fatal there) ---------------------------------

func (e *emulator) adminErr(method, path string, body, out any) error {
	var reader io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, e.url+"/_emulator"+path, reader)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := adminClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("admin %s %s: %s: %s", method, path, resp.Status, data)
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// faultFired is how many requests the fault with this id hit.
func (e *emulator) faultFired(t *testing.T, id string) int {
	t.Helper()
	var list struct {
		Faults []struct {
			ID    string `json:"id"`
			Fired int    `json:"fired"`
		} `json:"faults"`
	}
	e.admin(t, "GET", "/faults", nil, &list)
	for _, f := range list.Faults {
		if f.ID == id {
			return f.Fired
		}
	}
	t.Fatalf("fault %s is not listed", id)
	return 0
}

// --- the cells ----------------------------------------------------------------------------

// matrixCell is one fault in one mode, run on an instance of its own.
type matrixCell struct {
	mode    string
	count   int // the fault's count; 0 = every matching request
	fault   matrixFault
	expect  matrixRestoreExpect
	timeout time.Duration // the create timeout: the matrix's call timeout for the cell
	slack   time.Duration

	// The emulator's timings are global. A cell with timings waits for `wait`, PUTs them,
	// and once its restore exists (each record keeps the listing delay in force when it
	// was created) or its first apply is over, PUTs the previous ones back and closes
	// `done`. The cells without timings start after the last such cell's `done`, so that no
	// restore of theirs is made under another cell's timings.
	wait <-chan struct{}
	done chan struct{}

	// Filled in by the cell.
	instanceID, backupID string
	result               string
}

func (c *matrixCell) name() string {
	return c.mode + "/" + c.fault.name
}

// matrixConfig is the cell's resource: its instance's backup, the cell's create timeout.
func (c *matrixCell) config() string {
	return providerBlock() + fmt.Sprintf(`
resource "dcs_instance_restore" "this" {
  instance_id = %q
  backup_id   = %q
  remark      = %q

  timeouts {
    create = "%dms"
  }
}
`, c.instanceID, c.backupID, matrixRemark, c.timeout.Milliseconds())
}

// phrase matches text however Terraform wraps and frames it (line breaks, "│ ").
func phrase(text string) string {
	words := strings.Fields(text)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return strings.Join(words, `[\s│]+`)
}

// allOf matches text that holds every pattern, in this order.
func allOf(patterns ...string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + strings.Join(patterns, `.*`))
}

// expectedError is what an apply that must fail says.
func (c *matrixCell) expectedError() *regexp.Regexp {
	switch c.expect.Outcome {
	case "unresolved":
		// The restore may have started; how to find it and import it; not blindly again.
		return allOf(
			phrase("Restore may have started (unresolved)"),
			phrase("The restore may or may not have started."),
			phrase("Do not simply apply again"),
			phrase(fmt.Sprintf("dcsctl restores find --instance %s --backup %s --remark '%s' --since", c.instanceID, c.backupID, matrixRemark)),
			phrase(fmt.Sprintf("terraform import <resource address> %s/<restore_id>", c.instanceID)),
			phrase("unresolved: the restore may have started"),
		)
	default: // refused
		return allOf(phrase("Cannot start the restore"), phrase(fmt.Sprintf(
			"Restoring instance %s from backup %s did not start; nothing was changed.", c.instanceID, c.backupID)))
	}
}

// counts is what the emulator counted for the cell's instance.
func (c *matrixCell) counts(t *testing.T) (restores, posts int) {
	t.Helper()
	view := emu.instance(t, c.instanceID)
	if view.RestorePosts == nil {
		t.Fatal("the emulator does not count restore_posts: rebuild it, or set DCS_EMULATOR")
	}
	return view.RestoresStarted, *view.RestorePosts
}

// sameCounts fails unless the emulator still counts restores and posts for the instance: what
// ran since the last check started nothing and posted nothing.
func (c *matrixCell) sameCounts(t *testing.T, when string, restores, posts int) error {
	gotRestores, gotPosts := c.counts(t)
	if gotRestores != restores || gotPosts != posts {
		return fmt.Errorf("%s: the emulator counts %d restores started and %d RestoreInstance requests, want still %d and %d",
			when, gotRestores, gotPosts, restores, posts)
	}
	return nil
}

// checkStartCall holds the provider's StartRestore call number n (from 1) to the outcome.
func (c *matrixCell) checkStartCall(t *testing.T, n int, outcome string) error {
	calls := startCallsOf(c.instanceID)
	if len(calls) != n {
		return fmt.Errorf("the provider called StartRestore %d times for the instance, want %d", len(calls), n)
	}
	call := calls[n-1]
	if limit := c.timeout + c.slack; call.elapsed > limit {
		return fmt.Errorf("StartRestore took %v, longer than the create timeout %v + %v", call.elapsed, c.timeout, c.slack)
	}
	var apiErr *provider.APIError
	if call.err != nil && !errors.As(call.err, &apiErr) {
		return fmt.Errorf("StartRestore failed with %T %v, not a *provider.APIError", call.err, call.err)
	}
	switch outcome {
	case "started", "adopted":
		if call.err != nil {
			return fmt.Errorf("StartRestore failed (%v), want %s", call.err, outcome)
		}
		if call.outcome.Adopted != (outcome == "adopted") {
			return fmt.Errorf("StartRestore gave adopted=%v, want outcome %s", call.outcome.Adopted, outcome)
		}
	case "unresolved":
		if call.err == nil {
			return fmt.Errorf("StartRestore succeeded with %+v, want unresolved", call.outcome)
		}
		if !apiErr.MayHaveStarted || !strings.HasPrefix(strings.TrimPrefix(apiErr.Message, "dcs: "), "unresolved") {
			return fmt.Errorf("StartRestore error (may have started: %v) %q, want request sent MAYBE and \"unresolved\"",
				apiErr.MayHaveStarted, apiErr.Message)
		}
	case "refused":
		if call.err == nil {
			return fmt.Errorf("StartRestore succeeded with %+v, want refused", call.outcome)
		}
	default:
		return fmt.Errorf("fault_matrix.json names an unknown outcome %q", outcome)
	}
	return nil
}

// checkStateIsTheRestore asserts the state holds, untainted, the id of the instance's one
// restore record, and (when want is set) that id.
func (c *matrixCell) checkStateIsTheRestore(t *testing.T, s *terraform.State, want string) error {
	rs, ok := s.RootModule().Resources[restoreAddr]
	if !ok || rs.Primary == nil {
		return fmt.Errorf("%s is not in the state", restoreAddr)
	}
	if rs.Primary.Tainted {
		return fmt.Errorf("%s is tainted: the next apply would restore again", restoreAddr)
	}
	ids := restoreIDs(t, c.instanceID)
	if got := rs.Primary.ID; len(ids) != 1 || ids[0] != got || (want != "" && got != want) {
		return fmt.Errorf("the state holds restore %q, the instance's records are %v (want %q)", got, ids, want)
	}
	return nil
}

// noNewRestorePlanned fails a plan that would create or replace the restore.
type noNewRestorePlanned struct{}

func (noNewRestorePlanned) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address == restoreAddr && (rc.Change.Actions.Create() || rc.Change.Actions.Replace()) {
			resp.Error = fmt.Errorf("the plan would start another restore: %v", rc.Change.Actions)
		}
	}
}

// runMatrixCell runs the cell: the first apply under the fault and its checks (a)-(d),
// then what the next plans and applies of the same configuration do.
func runMatrixCell(t *testing.T, c *matrixCell) {
	c.instanceID = emu.newInstance(t, "matrix", nil)
	c.backupID = emu.newBackup(t, c.instanceID, "")

	// Timings, PUT until the cell's restore exists or its first apply is over.
	release := func() {}
	if c.fault.timings != nil {
		saved := map[string]any{}
		emu.admin(t, "GET", "/timings", nil, &saved)
		emu.admin(t, "PUT", "/timings", c.fault.timings, nil)
		var once sync.Once
		release = func() {
			once.Do(func() {
				if err := emu.adminErr("PUT", "/timings", saved, nil); err != nil {
					t.Errorf("putting the timings back: %v", err)
				}
				close(c.done)
			})
		}
		defer release()
		stop := make(chan struct{})
		stopped := make(chan struct{})
		go func() {
			defer close(stopped)
			for {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
				var view adminInstance
				if emu.adminErr("GET", "/instances/"+c.instanceID, nil, &view) == nil && view.RestoresStarted > 0 {
					release()
					return
				}
			}
		}()
		defer func() { close(stop); <-stopped }()
	}

	spec := map[string]any{"operation": "RestoreInstance"}
	for k, v := range c.fault.spec {
		spec[k] = v
	}
	if c.count > 0 {
		spec["count"] = c.count
	}
	spec["instance_id"] = c.instanceID
	var added struct {
		ID string `json:"id"`
	}
	emu.admin(t, "POST", "/faults", spec, &added)

	var since time.Time  // just before the first apply
	var posts1 int       // RestoreInstance requests after the first apply
	var restoreID string // the restore the state must end up holding
	restores := 0        // restores the emulator has started so far
	posts := 0           // RestoreInstance requests so far
	starts := 1          // StartRestore calls the provider has made so far
	expect := c.expect
	failing := expect.Outcome == "unresolved" || expect.Outcome == "refused"

	// (a), (b), (c) and the part of (d) the state cannot show, after the first apply.
	firstChecked := false
	checkFirstApply := func() error {
		release()
		firstChecked = true
		gotRestores, gotPosts := c.counts(t)
		posts1, posts, restores = gotPosts, gotPosts, gotRestores
		if gotRestores != expect.Restores {
			return fmt.Errorf("(a) the emulator started %d restores, want %d (outcome %s)", gotRestores, expect.Restores, expect.Outcome)
		}
		if problem := expect.postsProblem(gotPosts); problem != "" {
			return errors.New("(b) " + problem)
		}
		if fired := emu.faultFired(t, added.ID); fired < 1 {
			return errors.New("(c) the injected fault never fired: the cell proved nothing")
		}
		if err := c.checkStartCall(t, 1, expect.Outcome); err != nil {
			return fmt.Errorf("(d) %w", err)
		}
		return nil
	}

	cfg := c.config()
	steps := []resource.TestStep{}
	first := resource.TestStep{
		PreConfig: func() { since = time.Now() },
		Config:    cfg,
	}
	if failing {
		first.ExpectError = c.expectedError()
	} else {
		first.Check = func(s *terraform.State) error {
			if err := checkFirstApply(); err != nil {
				return err
			}
			if err := c.checkStateIsTheRestore(t, s, ""); err != nil {
				return fmt.Errorf("(d) %w", err)
			}
			restoreID = s.RootModule().Resources[restoreAddr].Primary.ID
			return nil
		}
	}
	steps = append(steps, first)

	// The same configuration again.
	sameAgain := func(what string) resource.TestStep {
		return resource.TestStep{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: func(s *terraform.State) error {
				if err := c.sameCounts(t, what, restores, posts); err != nil {
					return err
				}
				if n := len(startCallsOf(c.instanceID)); n != starts {
					return fmt.Errorf("%s: the provider called StartRestore %d times, want still %d", what, n, starts)
				}
				return c.checkStateIsTheRestore(t, s, restoreID)
			},
		}
	}

	switch {
	case !failing:
		// Started or adopted: the restore is in the state; applying the same configuration
		// again (after the framework's own plans, with and without a refresh, which must be
		// empty) plans nothing and starts nothing. In `always` mode the fault is still in
		// place: a RestoreInstance request would be counted.
		steps = append(steps, sameAgain("the second apply"))

	default:
		// Unresolved or refused: the apply failed and the resource is not in the state, so
		// the next plan creates it (a plan starts nothing). The documented way forward
		// ("Unresolved" in docs/resources/instance_restore.md): look the restore up with
		// FindRestore (dcsctl restores find) since the time before the apply; import it if it
		// is found; apply again only if none is found.
		client := matrixClient(t)
		steps = append(steps, resource.TestStep{
			PreConfig: func() {
				if err := checkFirstApply(); err != nil {
					t.Error(err)
				}
			},
			Config:             cfg,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(restoreAddr, plancheck.ResourceActionCreate)},
			},
		})
		if expect.Restores > 0 {
			// The restore did start, unknown to Terraform: applying again now would start a
			// second one. Find it (once the service lists it) and import it.
			steps = append(steps,
				resource.TestStep{
					PreConfig: func() {
						if err := c.sameCounts(t, "the plan after the failed apply", restores, posts); err != nil {
							t.Error(err)
						}
						restoreID = findRestore(t, client, c, since, true)
					},
					Config:             cfg,
					ResourceName:       restoreAddr,
					ImportState:        true,
					ImportStatePersist: true,
					ImportStateIdFunc:  func(*terraform.State) (string, error) { return c.instanceID + "/" + restoreID, nil },
				},
				// Imported, the same configuration starts nothing: at most it records
				// `timeouts` (which import cannot know) in place.
				resource.TestStep{
					Config: cfg,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{noNewRestorePlanned{}},
					},
					Check: func(s *terraform.State) error {
						if err := c.sameCounts(t, "the apply after the import", restores, posts); err != nil {
							return err
						}
						return c.checkStateIsTheRestore(t, s, restoreID)
					},
				},
				sameAgain("the apply after that"),
			)
		} else {
			// Nothing started: FindRestore finds nothing. With the fault used up (`once`),
			// applying again starts exactly one restore; with a fault that stays
			// (`always`) the plan to create it is where the cell ends.
			findNone := func() {
				if err := c.sameCounts(t, "the plan after the failed apply", restores, posts); err != nil {
					t.Error(err)
				}
				findRestore(t, client, c, since, false)
			}
			if c.count > 0 {
				steps = append(steps,
					resource.TestStep{
						PreConfig: findNone,
						Config:    cfg,
						Check: func(s *terraform.State) error {
							if err := c.sameCounts(t, "the apply after none was found", 1, posts1+1); err != nil {
								return err
							}
							restores, posts, starts = 1, posts1+1, 2
							if err := c.checkStartCall(t, 2, "started"); err != nil {
								return err
							}
							if err := c.checkStateIsTheRestore(t, s, ""); err != nil {
								return err
							}
							restoreID = s.RootModule().Resources[restoreAddr].Primary.ID
							return nil
						},
					},
					sameAgain("the apply after that"),
				)
			} else {
				steps = append(steps, resource.TestStep{
					PreConfig:          findNone,
					Config:             cfg,
					PlanOnly:           true,
					ExpectNonEmptyPlan: true,
				})
			}
		}
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: matrixProviderFactories,
		Steps:                    steps,
		// Destroying only forgets the restore.
		CheckDestroy: func(*terraform.State) error {
			if !firstChecked { // the first step went wrong: what did it do?
				return checkFirstApply()
			}
			return c.sameCounts(t, "the destroy", restores, posts)
		},
	})

	calls := startCallsOf(c.instanceID)
	c.result = fmt.Sprintf("%-10s restores=%d posts=%d first StartRestore %v", expect.Outcome, expect.Restores, posts1,
		func() time.Duration {
			if len(calls) == 0 {
				return 0
			}
			return calls[0].elapsed.Round(time.Millisecond)
		}())
}

// matrixClient is a libdcs client of the test's own, for FindRestore and ListRestores.
func matrixClient(t *testing.T) *dcs.Client {
	t.Helper()
	client, err := dcs.NewClient(dcs.Config{Endpoint: emu.url, AccessKey: demoAccessKey, SecretKey: demoSecretKey,
		ProjectID: demoProjectID, IgnoreEnvironment: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return client
}

// findRestore is the lookup the unresolved diagnostic prescribes (FindRestore, the same as
// `dcsctl restores find`). When want is set it asks until the service lists the restore
// (the cell's listing delay and some), and returns its id, which must be the instance's
// one restore; otherwise it must find none.
func findRestore(t *testing.T, client *dcs.Client, c *matrixCell, since time.Time, want bool) string {
	t.Helper()
	delay := time.Duration(0)
	if ms, ok := c.fault.timings["restore_listing_delay_ms"].(float64); ok {
		delay = time.Duration(ms) * time.Millisecond
	}
	deadline := since.Add(delay + 20*time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		record, err := client.FindRestore(ctx, c.instanceID, c.backupID, since, dcs.WithRemark(matrixRemark))
		cancel()
		switch {
		case err == nil && !want:
			t.Errorf("FindRestore found restore %s, yet none started", record.RestoreID)
			return ""
		case err == nil:
			if ids := restoreIDs(t, c.instanceID); len(ids) != 1 || ids[0] != record.RestoreID {
				t.Errorf("FindRestore found %s, the instance's records are %v", record.RestoreID, ids)
			}
			return record.RestoreID
		case !errors.Is(err, dcs.ErrNotFound):
			t.Fatalf("FindRestore: %v", err)
		case !want:
			return ""
		case time.Now().After(deadline):
			t.Fatalf("FindRestore still finds no restore %v after the apply began", time.Since(since).Round(time.Second))
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// TestAccFaultMatrix is the dcs_instance_restore column of the cross-layer fault matrix:
// for every fault of tests/reliability/fault_matrix.json that applies to RestoreInstance,
// in each of its modes, the resource is applied on a fresh instance with the fault aimed at
// that instance and the matrix's call timeout as its create timeout; then, from the
// emulator's counters, (a) restores started == restore_expect.restores, (b) RestoreInstance
// requests == posts (or within posts_min..posts_max), (c) the fault fired, (d) started or
// adopted: the apply succeeds and the state holds the instance's one restore; unresolved
// or refused: the apply fails with its diagnostic and nothing more starts. Then the same
// configuration is planned and applied again (see runMatrixCell): a restore that started is
// never started again.
func TestAccFaultMatrix(t *testing.T) {
	preCheck(t)
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "tests", "reliability", "fault_matrix.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m matrixFile
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("fault_matrix.json: %v", err)
	}
	slack := time.Duration(m.DeadlineSlackMS) * time.Millisecond

	// Whatever the cells leave behind goes when the matrix is over (a cell cannot clear
	// its own fault: DELETE /faults clears every cell's).
	savedTimings := map[string]any{}
	emu.admin(t, "GET", "/timings", nil, &savedTimings)
	t.Cleanup(func() {
		emu.clearFaults(t)
		emu.admin(t, "PUT", "/timings", savedTimings, nil)
	})

	var timed, untimed []*matrixCell
	for _, mode := range objectKeys(t, data, "modes") {
		for _, raw := range m.Faults {
			fault := parseMatrixFault(t, raw)
			if !fault.appliesTo("RestoreInstance", mode) {
				continue
			}
			expect, ok := m.RestoreExpect[fault.name][mode]
			if !ok {
				t.Errorf("fault_matrix.json has no restore_expect for %q in mode %q", fault.name, mode)
				continue
			}
			cell := &matrixCell{mode: mode, count: m.Modes[mode], fault: fault, expect: expect,
				timeout: time.Duration(m.CallTimeoutMS) * time.Millisecond, slack: slack}
			if fault.callTimeout != 0 {
				cell.timeout = fault.callTimeout
			}
			if fault.timings != nil {
				cell.done = make(chan struct{})
				timed = append(timed, cell)
			} else {
				untimed = append(untimed, cell)
			}
		}
	}

	// The cells with timings go first, one after the other; the rest after them.
	turn := make(chan struct{})
	close(turn)
	for _, cell := range timed {
		cell.wait = turn
		turn = cell.done
	}
	for _, cell := range untimed {
		cell.wait = turn
	}

	began := time.Now()
	slots := make(chan struct{}, matrixParallel)
	var wg sync.WaitGroup
	cells := append(append([]*matrixCell{}, timed...), untimed...)
	for _, cell := range cells {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-cell.wait
			slots <- struct{}{}
			defer func() { <-slots }()
			// A subtest that is not parallel: run from this goroutine, it needs no slot
			// of `go test -parallel`, so the matrix's own limit and order hold.
			ran := false
			if t.Run(cell.name(), func(t *testing.T) { ran = true; runMatrixCell(t, cell) }) && !ran {
				cell.result = "not run (-run)"
			}
			if cell.done != nil {
				// A cell that failed before its restore existed lets the others go too.
				select {
				case <-cell.done:
				default:
					close(cell.done)
				}
			}
		}()
	}
	wg.Wait()

	for _, cell := range cells {
		result := cell.result
		if result == "" {
			result = "FAILED"
		}
		t.Logf("%-7s %-32s %s", cell.mode, cell.fault.name, result)
	}
	t.Logf("Terraform fault matrix: %d RestoreInstance cells in %v", len(cells), time.Since(began).Round(time.Second))
}
