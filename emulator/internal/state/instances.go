// Instances in the emulated world: creation, the ShowInstance answer, the counters tests
// read, and the admin API's direct access to their state and data.

package state

import (
	"fmt"
	"regexp"

	"github.com/libdcs/libdcs/emulator/internal/ids"
)

var instanceIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ValidInstanceID reports whether id has the shape DCS accepts.
func ValidInstanceID(id string) bool { return instanceIDPattern.MatchString(id) }

// cacheModes are the cache_mode values DCS reports.
var cacheModes = map[string]bool{"single": true, "ha": true, "ha_rw_split": true, "proxy": true, "cluster": true}

// InstanceSpec describes an instance to create (admin API and seed).
type InstanceSpec struct {
	InstanceID string `json:"instance_id"`
	Name       string `json:"name"`
	CacheMode  string `json:"cache_mode"`
	Status     string `json:"status"`
	ProjectID  string `json:"project_id"`
}

// CreateInstance adds an instance and starts its data store.
func (s *Store) CreateInstance(spec InstanceSpec) (AdminInstanceView, error) {
	if spec.InstanceID == "" {
		spec.InstanceID = ids.NewUUID()
	}
	if !ValidInstanceID(spec.InstanceID) {
		return AdminInstanceView{}, fmt.Errorf("instance_id must be 1-64 characters of [A-Za-z0-9_-]")
	}
	if spec.CacheMode == "" {
		spec.CacheMode = "ha"
	}
	if !cacheModes[spec.CacheMode] {
		return AdminInstanceView{}, fmt.Errorf("cache_mode must be one of single, ha, ha_rw_split, proxy, cluster")
	}
	if spec.Status == "" {
		spec.Status = InstanceRunning
	}
	if spec.Name == "" {
		spec.Name = "dcs-" + spec.InstanceID[:min(8, len(spec.InstanceID))]
	}
	s.mu.Lock()
	if spec.ProjectID == "" {
		spec.ProjectID = s.defaultProject()
	}
	if _, dup := s.instances[spec.InstanceID]; dup {
		s.mu.Unlock()
		return AdminInstanceView{}, fmt.Errorf("instance %s already exists", spec.InstanceID)
	}
	gen := s.generation
	s.mu.Unlock()

	var data DataStore
	if s.newData != nil {
		var err error
		if data, err = s.newData(spec.InstanceID); err != nil {
			return AdminInstanceView{}, fmt.Errorf("starting redis-server for %s: %w", spec.InstanceID, err)
		}
	}
	in := &Instance{
		ID: spec.InstanceID, Name: spec.Name, ProjectID: spec.ProjectID, CacheMode: spec.CacheMode,
		Status: spec.Status, CreatedAt: s.now(), Data: data,
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.instances[in.ID]; dup || gen != s.generation {
		if data != nil {
			_ = data.Close()
		}
		return AdminInstanceView{}, fmt.Errorf("instance %s already exists", spec.InstanceID)
	}
	s.instances[in.ID] = in
	s.order = append(s.order, in.ID)
	return in.adminView(), nil
}

// InstanceView is the ShowInstance response: all 62 fields of the SDK model
// ShowInstanceResponse (huaweicloudsdkdcs 3.1.219 / huaweicloud-sdk-go-v3), typed as the
// models type them, with plausible values for an instance on loopback.
type InstanceView struct {
	VpcName                   string              `json:"vpc_name"`
	ChargingMode              int                 `json:"charging_mode"`
	VpcID                     string              `json:"vpc_id"`
	UserName                  string              `json:"user_name"`
	CreatedAt                 string              `json:"created_at"`
	Description               string              `json:"description"`
	SecurityGroupID           string              `json:"security_group_id"`
	SecurityGroupName         string              `json:"security_group_name"`
	MaxMemory                 int                 `json:"max_memory"`
	UsedMemory                int                 `json:"used_memory"`
	Capacity                  int                 `json:"capacity"`
	CapacityMinor             string              `json:"capacity_minor"`
	MaintainBegin             string              `json:"maintain_begin"`
	MaintainEnd               string              `json:"maintain_end"`
	Engine                    string              `json:"engine"`
	NoPasswordAccess          string              `json:"no_password_access"`
	IP                        string              `json:"ip"`
	InstanceBackupPolicy      map[string]any      `json:"instance_backup_policy"`
	AzCodes                   []string            `json:"az_codes"`
	AvailableZones            []string            `json:"available_zones"`
	AccessUser                string              `json:"access_user"`
	InstanceID                string              `json:"instance_id"`
	Port                      int                 `json:"port"`
	UserID                    string              `json:"user_id"`
	Name                      string              `json:"name"`
	SpecCode                  string              `json:"spec_code"`
	SubnetID                  string              `json:"subnet_id"`
	SubnetName                string              `json:"subnet_name"`
	SubnetCidr                string              `json:"subnet_cidr"`
	EngineVersion             string              `json:"engine_version"`
	OrderID                   *string             `json:"order_id"`
	Status                    string              `json:"status"`
	DomainName                string              `json:"domain_name"`
	ReadonlyDomainName        string              `json:"readonly_domain_name"`
	EnablePublicip            bool                `json:"enable_publicip"`
	PublicipID                *string             `json:"publicip_id"`
	PublicipAddress           *string             `json:"publicip_address"`
	EnableSsl                 bool                `json:"enable_ssl"`
	ServiceUpgrade            bool                `json:"service_upgrade"`
	ServiceTaskID             string              `json:"service_task_id"`
	EnterpriseProjectID       string              `json:"enterprise_project_id"`
	BackendAddrs              string              `json:"backend_addrs"`
	Features                  map[string]bool     `json:"features"`
	DomainNameInfo            map[string]any      `json:"domain_name_info"`
	TransparentClientIPEnable bool                `json:"transparent_client_ip_enable"`
	SubStatus                 string              `json:"sub_status"`
	Tags                      []map[string]string `json:"tags"`
	CPUType                   string              `json:"cpu_type"`
	EnterpriseProjectName     string              `json:"enterprise_project_name"`
	UpdateAt                  string              `json:"update_at"`
	ProductType               string              `json:"product_type"`
	StorageType               string              `json:"storage_type"`
	LaunchedAt                string              `json:"launched_at"`
	CacheMode                 string              `json:"cache_mode"`
	SupportSlowLogFlag        string              `json:"support_slow_log_flag"`
	DBNumber                  int                 `json:"db_number"`
	ReplicaCount              int                 `json:"replica_count"`
	ShardingCount             int                 `json:"sharding_count"`
	BandwidthInfo             map[string]any      `json:"bandwidth_info"`
	CloudServiceTypeCode      string              `json:"cloud_service_type_code"`
	CloudResourceTypeCode     string              `json:"cloud_resource_type_code"`
	InquerySpecCode           string              `json:"inquery_spec_code"`
}

// ShowInstance answers ShowInstance.
func (s *Store) ShowInstance(projectID, id string) (InstanceView, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.instance(projectID, id)
	if err != nil {
		return InstanceView{}, err
	}
	port := 6379
	if in.Data != nil {
		port = in.Data.Port()
	}
	replicas, shards, spec := 2, 1, "redis.ha.xu1.large.r2.1"
	switch in.CacheMode {
	case "single":
		replicas, spec = 1, "redis.single.xu1.large.1"
	case "cluster", "proxy":
		shards, spec = 3, "redis.cluster.xu1.large.r2.4"
	case "ha_rw_split":
		spec = "redis.ha.xu1.large.p2.1"
	}
	created := ids.Timestamp(in.CreatedAt)
	short := in.ID[:min(8, len(in.ID))]
	domain := "redis-" + short + ".dcs.emulator.local"
	readonly := ""
	if in.CacheMode == "ha" {
		readonly = "redis-" + short + "-readonly.dcs.emulator.local"
	}
	zones := []string{"emulator-1a"}
	return InstanceView{
		VpcName: "vpc-emulator", ChargingMode: 0, VpcID: "5e9a7c8b-0d1e-4f23-a456-7b8c9d0e1f2a",
		UserName: "emulator-user", CreatedAt: created, Description: "",
		SecurityGroupID: "1d2c3b4a-5e6f-4789-8a9b-0c1d2e3f4a5b", SecurityGroupName: "sg-emulator",
		MaxMemory: 1024, UsedMemory: 2, Capacity: 1, CapacityMinor: "",
		MaintainBegin: "02:00:00", MaintainEnd: "06:00:00", Engine: "Redis", NoPasswordAccess: "true",
		IP: "127.0.0.1",
		InstanceBackupPolicy: map[string]any{
			"backup_policy_id": "", "created_at": created, "updated_at": created, "tenant_id": in.ProjectID,
			"policy": map[string]any{"backup_type": "manual"},
		},
		AzCodes: zones, AvailableZones: zones, AccessUser: "", InstanceID: in.ID, Port: port,
		UserID: "0a1b2c3d4e5f60718293a4b5c6d7e8f9", Name: in.Name, SpecCode: spec,
		SubnetID: "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901", SubnetName: "subnet-emulator",
		SubnetCidr: "127.0.0.0/8", EngineVersion: "6.0", OrderID: nil, Status: in.Status,
		DomainName: domain, ReadonlyDomainName: readonly, EnablePublicip: false,
		PublicipID: nil, PublicipAddress: nil, EnableSsl: false, ServiceUpgrade: false,
		ServiceTaskID: "", EnterpriseProjectID: "0", BackendAddrs: "",
		Features: map[string]bool{
			"support_acl": true, "support_transparent_client_ip": false, "support_ssl": true, "support_audit_log": false,
		},
		DomainNameInfo: map[string]any{
			"support_public_resolve": false, "is_latest_rules": true, "zone_name": "dcs.emulator.local",
			"history_domain_names": []map[string]any{},
		},
		TransparentClientIPEnable: false, SubStatus: "normal",
		Tags:    []map[string]string{{"key": "emulator", "value": "dcs-emulator"}},
		CPUType: "x86_64", EnterpriseProjectName: "default", UpdateAt: created,
		ProductType: "generic", StorageType: "DRAM", LaunchedAt: created, CacheMode: in.CacheMode,
		SupportSlowLogFlag: "true", DBNumber: 256, ReplicaCount: replicas, ShardingCount: shards,
		BandwidthInfo: map[string]any{
			"begin_time": 0, "end_time": 0, "current_time": in.CreatedAt.UnixMilli(), "bandwidth": 384,
			"next_expand_time": 0, "expand_count": 0, "expand_effect_time": 0, "expand_interval_time": 0,
			"max_expand_count": 0, "task_running": false, "assured_bandwidth": 384, "max_bandwidth_for_node": 384,
		},
		CloudServiceTypeCode: "hws.service.type.dcs", CloudResourceTypeCode: "hws.resource.type.dcs3",
		InquerySpecCode: spec,
	}, nil
}

// AdminInstanceView is an instance as the admin API shows it.
type AdminInstanceView struct {
	InstanceID      string `json:"instance_id"`
	Name            string `json:"name"`
	ProjectID       string `json:"project_id"`
	CacheMode       string `json:"cache_mode"`
	Status          string `json:"status"`
	RedisPort       int    `json:"redis_port"`
	RestoresStarted int    `json:"restores_started"`
	BackupsStarted  int    `json:"backups_started"`
	RestorePosts    int    `json:"restore_posts"`
	BackupPosts     int    `json:"backup_posts"`
	Backups         int    `json:"backups"`
	Restores        int    `json:"restores"`
}

func (in *Instance) adminView() AdminInstanceView {
	port := 0
	if in.Data != nil {
		port = in.Data.Port()
	}
	return AdminInstanceView{
		InstanceID: in.ID, Name: in.Name, ProjectID: in.ProjectID, CacheMode: in.CacheMode,
		Status: in.Status, RedisPort: port, RestoresStarted: in.RestoresStarted,
		BackupsStarted: in.BackupsStarted, RestorePosts: in.RestorePosts, BackupPosts: in.BackupPosts,
		Backups: len(in.Backups), Restores: len(in.Restores),
	}
}

// CountRestorePost counts a RestoreInstance request for an instance of a project; a
// request for an instance that does not exist there counts nowhere.
func (s *Store) CountRestorePost(projectID, instanceID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if in, err := s.instance(projectID, instanceID); err == nil {
		in.RestorePosts++
	}
}

// CountBackupPost counts a CopyInstance request, as CountRestorePost does.
func (s *Store) CountBackupPost(projectID, instanceID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if in, err := s.instance(projectID, instanceID); err == nil {
		in.BackupPosts++
	}
}

// AdminInstances lists every instance in creation order.
func (s *Store) AdminInstances() []AdminInstanceView {
	s.mu.Lock()
	defer s.mu.Unlock()
	views := make([]AdminInstanceView, 0, len(s.order))
	for _, id := range s.order {
		views = append(views, s.instances[id].adminView())
	}
	return views
}

// AdminInstance shows one instance.
func (s *Store) AdminInstance(id string) (AdminInstanceView, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.instances[id]
	if !ok {
		return AdminInstanceView{}, ErrNotFound
	}
	return in.adminView(), nil
}

// PatchInstance sets status and/or cache mode directly, bypassing the state machine,
// so tests can put an instance in any state.
func (s *Store) PatchInstance(id string, status, cacheMode *string) (AdminInstanceView, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.instances[id]
	if !ok {
		return AdminInstanceView{}, ErrNotFound
	}
	if cacheMode != nil {
		if !cacheModes[*cacheMode] {
			return AdminInstanceView{}, fmt.Errorf("cache_mode must be one of single, ha, ha_rw_split, proxy, cluster")
		}
		in.CacheMode = *cacheMode
	}
	if status != nil {
		if *status == "" {
			return AdminInstanceView{}, fmt.Errorf("status must not be empty")
		}
		in.Status = *status
	}
	return in.adminView(), nil
}

// dataOf returns an instance's data store for the admin data API.
func (s *Store) dataOf(id string) (DataStore, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.instances[id]
	if !ok {
		return nil, ErrNotFound
	}
	if in.Data == nil {
		return nil, ErrStateOnly
	}
	return in.Data, nil
}

// SetData SETs each key in the instance's Redis.
func (s *Store) SetData(id string, values map[string]string) error {
	d, err := s.dataOf(id)
	if err != nil {
		return err
	}
	return d.Set(values)
}

// GetData returns every string key of the instance's Redis.
func (s *Store) GetData(id string) (map[string]string, error) {
	d, err := s.dataOf(id)
	if err != nil {
		return nil, err
	}
	return d.GetAll()
}

// FlushData empties the instance's Redis.
func (s *Store) FlushData(id string) error {
	d, err := s.dataOf(id)
	if err != nil {
		return err
	}
	return d.Flush()
}
