// Shows the emulator is faithful to the service: the official Go SDK calls each operation
// libdcs offers, signs with its own signer and decodes the answers with its own models.

package officialsdkgo

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/httphandler"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	dcs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dcs/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dcs/v2/model"
)

// sentRequest is what the SDK put on the wire, as its documented HTTP listener sees it
// (after signing).
type sentRequest struct {
	method, host, path, query, authorization, sdkDate, projectID string
}

// sdkClient is the official DcsClient plus the requests it sent.
type sdkClient struct {
	*dcs.DcsClient
	mu   sync.Mutex
	sent []sentRequest
}

func (c *sdkClient) requests() []sentRequest {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]sentRequest(nil), c.sent...)
}

// newSDK builds the official client the way the SDK's README documents it for a fixed
// endpoint ("Initialize the {Service}Client with specified Endpoint"): BasicCredentials
// with AK, SK and project id (so it asks IAM for nothing), WithEndpoint, and an HttpConfig
// with a timeout. The endpoint is the emulator's plain http://127.0.0.1:PORT; no region,
// proxy or IgnoreSSLVerification is needed for plain http.
func newSDK(t *testing.T, secretKey string) *sdkClient {
	t.Helper()
	client := &sdkClient{}
	listener := httphandler.NewHttpHandler().AddRequestHandler(func(req http.Request) {
		client.mu.Lock()
		defer client.mu.Unlock()
		client.sent = append(client.sent, sentRequest{
			method: req.Method, host: req.URL.Host, path: req.URL.Path, query: req.URL.RawQuery,
			authorization: req.Header.Get("Authorization"), sdkDate: req.Header.Get("X-Sdk-Date"),
			projectID: req.Header.Get("X-Project-Id"),
		})
	})
	auth, err := basic.NewCredentialsBuilder().
		WithAk(demoAccessKey).
		WithSk(secretKey).
		WithProjectId(demoProjectID).
		SafeBuild()
	if err != nil {
		t.Fatalf("credentials: %v", err)
	}
	hcClient, err := dcs.DcsClientBuilder().
		WithEndpoint(emulatorURL).
		WithCredential(auth).
		WithHttpConfig(config.DefaultHttpConfig().WithTimeout(callTimeout).WithHttpHandler(listener)).
		SafeBuild()
	if err != nil {
		t.Fatalf("DcsClientBuilder: %v", err)
	}
	client.DcsClient = dcs.NewDcsClient(hcClient)
	return client
}

// authorizationRE is the header the SDK's SDK-HMAC-SHA256 signer writes.
var authorizationRE = regexp.MustCompile(
	`^SDK-HMAC-SHA256 Access=` + demoAccessKey + `, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$`)

// checkSignedBySDK asserts that every request the client sent went to the emulator on
// loopback, signed by the SDK's own signer, and that the emulator's log has each one
// with the status wanted (the log is the server's view: what it verified and answered).
func checkSignedBySDK(t *testing.T, c *sdkClient, wantStatus ...int) {
	t.Helper()
	sent := c.requests()
	emu, _ := url.Parse(emulatorURL)
	signed := make([]string, 0, len(sent))
	for i, r := range sent {
		if r.host != emu.Host {
			t.Errorf("request %d went to %q, not the emulator %q", i, r.host, emu.Host)
		}
		m := authorizationRE.FindStringSubmatch(r.authorization)
		if m == nil {
			signed = append(signed, "")
			t.Errorf("request %d %s %s: Authorization %q is not the SDK signer's", i, r.method, r.path, r.authorization)
			continue
		}
		// The Go SDK signs the headers it sets itself (X-Project-Id, X-Sdk-Date, User-Agent,
		// never Content-Type) and, unlike the Python SDK, not Host: the emulator must
		// accept that, as the gateway does.
		for _, h := range []string{"x-project-id", "x-sdk-date"} {
			if !strings.Contains(";"+m[1]+";", ";"+h+";") {
				t.Errorf("request %d: %s not signed (SignedHeaders=%s)", i, h, m[1])
			}
		}
		signed = append(signed, m[1])
		if _, err := time.Parse("20060102T150405Z", r.sdkDate); err != nil {
			t.Errorf("request %d: X-Sdk-Date %q: %v", i, r.sdkDate, err)
		}
		if r.projectID != demoProjectID {
			t.Errorf("request %d: X-Project-Id %q", i, r.projectID)
		}
	}
	var logged []loggedRequest
	for _, e := range requestLog(t) {
		if e.AccessKey == demoAccessKey {
			logged = append(logged, e)
		}
	}
	if len(logged) != len(sent) || len(sent) != len(wantStatus) {
		t.Fatalf("the SDK sent %d requests, the emulator logged %d, the test expects %d: %+v",
			len(sent), len(logged), len(wantStatus), logged)
	}
	for i, e := range logged {
		if e.Method != sent[i].method || e.Path != sent[i].path || e.Query != sent[i].query {
			t.Errorf("log entry %d is %s %s?%s, the SDK sent %s %s?%s", i,
				e.Method, e.Path, e.Query, sent[i].method, sent[i].path, sent[i].query)
		}
		if i < len(signed) && strings.Join(e.SignedHeaders, ";") != signed[i] {
			t.Errorf("request %d: the emulator read SignedHeaders %v, the SDK sent %s", i, e.SignedHeaders, signed[i])
		}
		if e.Status != wantStatus[i] {
			t.Errorf("request %d (%s %s): status %d, want %d", i, e.Operation, e.Path, e.Status, wantStatus[i])
		}
	}
}

// serviceError asserts err is the SDK's ServiceResponseError with that status and code and
// a request id.
func serviceError(t *testing.T, err error, status int, code string) {
	t.Helper()
	var se *sdkerr.ServiceResponseError
	if !errors.As(err, &se) {
		t.Fatalf("want a *sdkerr.ServiceResponseError %d %s, got %T %v", status, code, err, err)
	}
	if se.StatusCode != status || se.ErrorCode != code || se.ErrorMessage == "" || se.RequestId == "" {
		t.Fatalf("want %d %s with a message and request id, got %+v", status, code, se)
	}
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func num[T int32 | int64](p *T) T {
	if p == nil {
		return -1
	}
	return *p
}

func int32p(v int32) *int32 { return &v }
func strp(v string) *string { return &v }

// progressIn reports whether a "NN.NN" progress string lies in [low, high].
func progressIn(p *string, low, high float64) bool {
	if p == nil || !regexp.MustCompile(`^\d{1,3}\.\d\d$`).MatchString(*p) {
		return false
	}
	v, _ := strconv.ParseFloat(*p, 64)
	return v >= low && v <= high
}

// appendStatus appends s unless it repeats the last one.
func appendStatus(seen []string, s string) []string {
	if len(seen) == 0 || seen[len(seen)-1] != s {
		seen = append(seen, s)
	}
	return seen
}

func TestShowInstance(t *testing.T) {
	reset(t)
	sdk := newSDK(t, demoSecretKey)
	resp, err := sdk.ShowInstance(&model.ShowInstanceRequest{InstanceId: demoInstanceID})
	if err != nil {
		t.Fatalf("ShowInstance: %v", err)
	}
	wantPort := int32(instanceState(t, demoInstanceID).RedisPort)
	if wantPort == 0 {
		wantPort = 6379 // state-only mode
	}
	checks := []struct {
		field     string
		got, want any
	}{
		{"HttpStatusCode", resp.HttpStatusCode, 200},
		{"instance_id", str(resp.InstanceId), demoInstanceID},
		{"name", str(resp.Name), "demo-redis"},
		{"status", str(resp.Status), "RUNNING"},
		{"cache_mode", resp.CacheMode != nil && *resp.CacheMode == model.GetShowInstanceResponseCacheModeEnum().HA, true},
		{"engine", str(resp.Engine), "Redis"},
		{"ip", str(resp.Ip), "127.0.0.1"},
		{"port", num(resp.Port), wantPort},
		{"domain_name has the instance", strings.Contains(str(resp.DomainName), demoInstanceID[:8]), true},
		{"az_codes", resp.AzCodes != nil && len(*resp.AzCodes) > 0, true},
		{"available_zones", resp.AvailableZones != nil && len(*resp.AvailableZones) > 0, true},
		{"vpc_id set", resp.VpcId != nil && *resp.VpcId != "", true},
		{"subnet_id set", resp.SubnetId != nil && *resp.SubnetId != "", true},
		{"security_group_id set", resp.SecurityGroupId != nil && *resp.SecurityGroupId != "", true},
		{"max_memory > 0", num(resp.MaxMemory) > 0, true},
		{"features.support_acl set", resp.Features != nil && resp.Features.SupportAcl != nil, true},
		{"bandwidth_info.bandwidth > 0", resp.BandwidthInfo != nil && num(resp.BandwidthInfo.Bandwidth) > 0, true},
		{"tags", resp.Tags != nil && len(*resp.Tags) > 0, true},
		{"product_type", resp.ProductType != nil && *resp.ProductType == model.GetShowInstanceResponseProductTypeEnum().GENERIC, true},
		{"storage_type", resp.StorageType != nil && *resp.StorageType == model.GetShowInstanceResponseStorageTypeEnum().DRAM, true},
		{"instance_backup_policy", resp.InstanceBackupPolicy != nil && resp.InstanceBackupPolicy.Policy != nil, true},
		{"created_at set", resp.CreatedAt != nil && *resp.CreatedAt != "", true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("ShowInstance %s = %v, want %v", c.field, c.got, c.want)
		}
	}

	_, err = sdk.ShowInstance(&model.ShowInstanceRequest{InstanceId: "00000000-0000-4000-8000-000000000000"})
	serviceError(t, err, 404, "DCS.3022")
	checkSignedBySDK(t, sdk, 200, 404)
}

func TestRestoreWaitingRestoringSucceed(t *testing.T) {
	reset(t)
	// Phases long enough to be seen by polling; reset puts the fast preset back.
	admin(t, "PUT", "timings", map[string]int{"restore_waiting_ms": 600, "restore_running_ms": 1200}, nil)
	sdk := newSDK(t, demoSecretKey)
	wantStatus := []int{}

	// No restore yet: the API answers 204 with an empty body, which the SDK turns into an
	// empty response.
	empty, err := sdk.ListRestoreRecords(&model.ListRestoreRecordsRequest{InstanceId: demoInstanceID})
	if err != nil {
		t.Fatalf("ListRestoreRecords (empty): %v", err)
	}
	if empty.HttpStatusCode != 204 || (empty.RestoreRecordResponse != nil && len(*empty.RestoreRecordResponse) != 0) ||
		num(empty.TotalNum) > 0 {
		t.Fatalf("empty ListRestoreRecords: %+v", empty)
	}
	wantStatus = append(wantStatus, 204)

	remark := "sdk restore \u6062\u590d"
	started, err := sdk.RestoreInstance(&model.RestoreInstanceRequest{
		InstanceId: demoInstanceID,
		Body:       &model.RestoreInstanceBody{BackupId: demoBackupID, Remark: &remark},
	})
	if err != nil {
		t.Fatalf("RestoreInstance: %v", err)
	}
	wantStatus = append(wantStatus, 200)
	restoreID := str(started.RestoreId)
	if started.HttpStatusCode != 200 || started.RestoreId == nil || restoreID == "" {
		t.Fatalf("RestoreInstance: %+v", started)
	}

	// A second restore while this one runs is refused as busy, through the SDK's error.
	_, err = sdk.RestoreInstance(&model.RestoreInstanceRequest{
		InstanceId: demoInstanceID,
		Body:       &model.RestoreInstanceBody{BackupId: demoBackupID},
	})
	serviceError(t, err, 400, "DCS.4097")
	wantStatus = append(wantStatus, 400)

	statuses := model.GetInstanceRestoreInfoStatusEnum()
	var seen []string
	var last model.InstanceRestoreInfo
	var listing *model.ListRestoreRecordsResponse
	sawRestoringInstance := false
	eventually(t, "restore "+restoreID+" succeed", func() bool {
		listing, err = sdk.ListRestoreRecords(&model.ListRestoreRecordsRequest{
			InstanceId: demoInstanceID, Limit: int32p(1000), Offset: int32p(0),
		})
		if err != nil {
			t.Fatalf("ListRestoreRecords: %v", err)
		}
		wantStatus = append(wantStatus, 200)
		if listing.HttpStatusCode != 200 || listing.RestoreRecordResponse == nil || len(*listing.RestoreRecordResponse) != 1 {
			t.Fatalf("ListRestoreRecords during the restore: %+v", listing)
		}
		last = (*listing.RestoreRecordResponse)[0]
		if str(last.RestoreId) != restoreID || last.Status == nil {
			t.Fatalf("unexpected record %+v", last)
		}
		seen = appendStatus(seen, last.Status.Value())
		switch *last.Status {
		case statuses.WAITING:
			if str(last.Progress) != "0.00" {
				t.Errorf("waiting with progress %s", str(last.Progress))
			}
		case statuses.RESTORING:
			// The emulator, like the service, reports any progress in (0, 100) while restoring,
			// however early the first look comes.
			if !progressIn(last.Progress, 0.01, 99.99) {
				t.Errorf("restoring with progress %s", str(last.Progress))
			}
			if !sawRestoringInstance {
				show, err := sdk.ShowInstance(&model.ShowInstanceRequest{InstanceId: demoInstanceID})
				if err != nil {
					t.Fatalf("ShowInstance while restoring: %v", err)
				}
				wantStatus = append(wantStatus, 200)
				if str(show.Status) == "RESTORING" {
					sawRestoringInstance = true
				}
			}
		case statuses.SUCCEED:
			return true
		default:
			t.Fatalf("restore ended %s: %+v", last.Status.Value(), last)
		}
		return false
	})
	if strings.Join(seen, " → ") != "waiting → restoring → succeed" {
		t.Errorf("the restore went %s, want waiting → restoring → succeed", strings.Join(seen, " → "))
	}
	if !sawRestoringInstance {
		t.Error("ShowInstance never said RESTORING while the record was restoring")
	}
	if num(listing.TotalNum) != 1 || str(last.BackupId) != demoBackupID || str(last.RestoreRemark) != remark ||
		str(last.Progress) != "100.00" || last.ErrorCode != nil || !strings.HasPrefix(str(last.RestoreName), "restore_") ||
		str(last.CreatedAt) == "<nil>" || str(last.UpdatedAt) == "<nil>" {
		t.Errorf("succeeded record: total_num %d, %+v", num(listing.TotalNum), last)
	}

	show, err := sdk.ShowInstance(&model.ShowInstanceRequest{InstanceId: demoInstanceID})
	if err != nil || str(show.Status) != "RUNNING" {
		t.Fatalf("ShowInstance after the restore: %v %+v", err, show)
	}
	wantStatus = append(wantStatus, 200)

	// A time window that holds the record finds it; one before it answers 204.
	now := time.Now().UTC()
	window, err := sdk.ListRestoreRecords(&model.ListRestoreRecordsRequest{
		InstanceId: demoInstanceID,
		BeginTime:  strp(now.Add(-time.Hour).Format("20060102150405")),
		EndTime:    strp(now.Add(time.Hour).Format("20060102150405")),
		Limit:      int32p(5), Offset: int32p(0),
	})
	if err != nil || window.HttpStatusCode != 200 || num(window.TotalNum) != 1 ||
		str((*window.RestoreRecordResponse)[0].RestoreId) != restoreID {
		t.Fatalf("ListRestoreRecords in a window: %v %+v", err, window)
	}
	wantStatus = append(wantStatus, 200)
	before, err := sdk.ListRestoreRecords(&model.ListRestoreRecordsRequest{
		InstanceId: demoInstanceID,
		EndTime:    strp(now.Add(-time.Hour).Format("20060102150405")),
	})
	if err != nil || before.HttpStatusCode != 204 || before.RestoreRecordResponse != nil {
		t.Fatalf("ListRestoreRecords before the restore: %v %+v", err, before)
	}
	wantStatus = append(wantStatus, 204)

	state := instanceState(t, demoInstanceID)
	if state.RestoresStarted != 1 {
		t.Errorf("the emulator started %d restores, want 1", state.RestoresStarted)
	}
	if state.RedisPort != 0 { // a redis-server behind the instance: the data is the backup's
		data := map[string]string{}
		admin(t, "GET", "instances/"+demoInstanceID+"/data", nil, &data)
		if len(data) != 2 || data["greeting"] != "hello" || data["counter"] != "1" {
			t.Errorf("data after the restore: %v, want greeting=hello counter=1", data)
		}
	} else {
		t.Log("the emulator runs state-only (no redis-server): the restored data is not checked")
	}
	checkSignedBySDK(t, sdk, wantStatus...)
}

func TestBackupListAndDelete(t *testing.T) {
	reset(t)
	admin(t, "PUT", "timings", map[string]int{"backup_waiting_ms": 600, "backup_running_ms": 1200}, nil)
	sdk := newSDK(t, demoSecretKey)
	wantStatus := []int{}

	rdb := model.GetBackupInstanceBodyBackupFormatEnum().RDB
	remark := "sdk backup \u5907\u4efd"
	created, err := sdk.CopyInstance(&model.CopyInstanceRequest{
		InstanceId: demoInstanceID,
		Body:       &model.BackupInstanceBody{Remark: &remark, BackupFormat: &rdb},
	})
	if err != nil {
		t.Fatalf("CopyInstance: %v", err)
	}
	wantStatus = append(wantStatus, 200)
	backupID := str(created.BackupId)
	if created.HttpStatusCode != 200 || created.BackupId == nil || backupID == "" || backupID == demoBackupID {
		t.Fatalf("CopyInstance: %+v", created)
	}

	statuses := model.GetBackupRecordResponseStatusEnum()
	now := time.Now().UTC()
	var seen []string
	var rec model.BackupRecordResponse
	var listing *model.ListBackupRecordsResponse
	eventually(t, "backup "+backupID+" succeed", func() bool {
		listing, err = sdk.ListBackupRecords(&model.ListBackupRecordsRequest{
			InstanceId: demoInstanceID, Limit: int32p(10), Offset: int32p(0),
			BeginTime: strp(now.Add(-24 * time.Hour).Format("20060102150405")),
			EndTime:   strp(now.Add(time.Hour).Format("20060102150405")),
		})
		if err != nil {
			t.Fatalf("ListBackupRecords: %v", err)
		}
		wantStatus = append(wantStatus, 200)
		if listing.HttpStatusCode != 200 || listing.BackupRecordResponse == nil || len(*listing.BackupRecordResponse) != 2 {
			t.Fatalf("ListBackupRecords during the backup: %+v", listing)
		}
		rec = (*listing.BackupRecordResponse)[0] // newest first
		if str(rec.BackupId) != backupID || rec.Status == nil {
			t.Fatalf("the newest record is not the new backup: %+v", rec)
		}
		seen = appendStatus(seen, rec.Status.Value())
		switch *rec.Status {
		case statuses.WAITING:
			if str(rec.IsSupportRestore) != "FALSE" {
				t.Errorf("waiting backup with is_support_restore %s", str(rec.IsSupportRestore))
			}
		case statuses.BACKUPING:
		case statuses.SUCCEED:
			return true
		default:
			t.Fatalf("backup ended %s: %+v", rec.Status.Value(), rec)
		}
		return false
	})
	if strings.Join(seen, " → ") != "waiting → backuping → succeed" {
		t.Errorf("the backup went %s, want waiting → backuping → succeed", strings.Join(seen, " → "))
	}
	if num(listing.TotalNum) != 2 || str(rec.IsSupportRestore) != "TRUE" || num(rec.Size) <= 0 ||
		rec.BackupFormat == nil || *rec.BackupFormat != model.GetBackupRecordResponseBackupFormatEnum().RDB ||
		rec.BackupType == nil || *rec.BackupType != model.GetBackupRecordResponseBackupTypeEnum().MANUAL ||
		str(rec.Remark) != remark || str(rec.InstanceId) != demoInstanceID || rec.ErrorCode != nil ||
		str(rec.Progress) != "100.00" || rec.ExecutionAt == nil || str(rec.BackupName) == "" {
		t.Errorf("succeeded backup: total_num %d, %+v", num(listing.TotalNum), rec)
	}
	if older := (*listing.BackupRecordResponse)[1]; str(older.BackupId) != demoBackupID ||
		older.Status == nil || *older.Status != statuses.SUCCEED {
		t.Errorf("the older record is not the demo backup: %+v", older)
	}
	if n := instanceState(t, demoInstanceID).BackupsStarted; n != 1 {
		t.Errorf("the emulator started %d backups, want 1", n)
	}

	deleted, err := sdk.DeleteBackupFile(&model.DeleteBackupFileRequest{InstanceId: demoInstanceID, BackupId: backupID})
	if err != nil || deleted.HttpStatusCode != 204 {
		t.Fatalf("DeleteBackupFile: %v %+v", err, deleted)
	}
	wantStatus = append(wantStatus, 204)

	after, err := sdk.ListBackupRecords(&model.ListBackupRecordsRequest{InstanceId: demoInstanceID})
	if err != nil || after.HttpStatusCode != 200 || num(after.TotalNum) != 1 || after.BackupRecordResponse == nil ||
		len(*after.BackupRecordResponse) != 1 || str((*after.BackupRecordResponse)[0].BackupId) != demoBackupID {
		t.Fatalf("ListBackupRecords after the delete: %v %+v", err, after)
	}
	wantStatus = append(wantStatus, 200)

	// The deleted backup is gone: deleting it again is DCS.4031.
	_, err = sdk.DeleteBackupFile(&model.DeleteBackupFileRequest{InstanceId: demoInstanceID, BackupId: backupID})
	serviceError(t, err, 400, "DCS.4031")
	wantStatus = append(wantStatus, 400)

	// An offset past the end of a non-empty result: 200, an empty page and the total.
	past, err := sdk.ListBackupRecords(&model.ListBackupRecordsRequest{InstanceId: demoInstanceID, Offset: int32p(5)})
	if err != nil || past.HttpStatusCode != 200 || num(past.TotalNum) != 1 ||
		past.BackupRecordResponse == nil || len(*past.BackupRecordResponse) != 0 {
		t.Fatalf("ListBackupRecords past the end: %v %+v", err, past)
	}
	wantStatus = append(wantStatus, 200)

	// Nothing in the window: 204.
	none, err := sdk.ListBackupRecords(&model.ListBackupRecordsRequest{
		InstanceId: demoInstanceID, EndTime: strp(now.Add(-24 * time.Hour).Format("20060102150405")),
	})
	if err != nil || none.HttpStatusCode != 204 || none.BackupRecordResponse != nil {
		t.Fatalf("ListBackupRecords of an empty window: %v %+v", err, none)
	}
	wantStatus = append(wantStatus, 204)
	checkSignedBySDK(t, sdk, wantStatus...)
}

func TestBusinessErrorSurfaces(t *testing.T) {
	reset(t)
	sdk := newSDK(t, demoSecretKey)
	_, err := sdk.RestoreInstance(&model.RestoreInstanceRequest{
		InstanceId: demoInstanceID,
		Body:       &model.RestoreInstanceBody{BackupId: "not-a-backup"},
	})
	serviceError(t, err, 400, "DCS.4063")
	if n := instanceState(t, demoInstanceID).RestoresStarted; n != 0 {
		t.Errorf("a refused restore started %d restores", n)
	}
	checkSignedBySDK(t, sdk, 400)
}

func TestWrongSecretIsRejected(t *testing.T) {
	reset(t)
	sdk := newSDK(t, demoSecretKey+"x")
	_, err := sdk.ShowInstance(&model.ShowInstanceRequest{InstanceId: demoInstanceID})
	serviceError(t, err, 401, "APIGW.0301")
	checkSignedBySDK(t, sdk, 401)
}

// TestEmptyObjectStringsDefeatTheSDK proves what emulator/README.md says of the
// "empty_object_strings" switch: with the API reference's {} in unset string fields the
// official Go SDK cannot decode the answer (its models declare them strings), which is why
// libdcs decodes tolerantly. With the switch off (every other test) it decodes.
func TestEmptyObjectStringsDefeatTheSDK(t *testing.T) {
	reset(t)
	admin(t, "PUT", "timings", map[string]bool{"empty_object_strings": true}, nil)
	sdk := newSDK(t, demoSecretKey)
	_, err := sdk.ListBackupRecords(&model.ListBackupRecordsRequest{InstanceId: demoInstanceID})
	var se *sdkerr.ServiceResponseError
	if !errors.As(err, &se) || se.StatusCode != 200 ||
		!strings.Contains(se.ErrorMessage, "BackupRecordResponse.Period") ||
		!strings.Contains(se.ErrorMessage, "found {") {
		t.Fatalf("want the SDK to fail decoding period {} of a 200 answer, got %T %v", err, err)
	}
	checkSignedBySDK(t, sdk, 200)
}
