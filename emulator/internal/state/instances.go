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

// InstanceView is the ShowInstance response: the fields clients read plus plausible
// values for the rest, typed as the SDK models type them.
type InstanceView struct {
	InstanceID           string         `json:"instance_id"`
	Name                 string         `json:"name"`
	Engine               string         `json:"engine"`
	EngineVersion        string         `json:"engine_version"`
	CacheMode            string         `json:"cache_mode"`
	Status               string         `json:"status"`
	SubStatus            string         `json:"sub_status"`
	ProductType          string         `json:"product_type"`
	StorageType          string         `json:"storage_type"`
	Capacity             int            `json:"capacity"`
	MaxMemory            int            `json:"max_memory"`
	UsedMemory           int            `json:"used_memory"`
	IP                   string         `json:"ip"`
	Port                 int            `json:"port"`
	SpecCode             string         `json:"spec_code"`
	CreatedAt            string         `json:"created_at"`
	LaunchedAt           string         `json:"launched_at"`
	UpdateAt             string         `json:"update_at"`
	ServiceUpgrade       bool           `json:"service_upgrade"`
	ServiceTaskID        string         `json:"service_task_id"`
	ShardingCount        int            `json:"sharding_count"`
	ReplicaCount         int            `json:"replica_count"`
	InstanceBackupPolicy map[string]any `json:"instance_backup_policy"`
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
	replicas, shards := 2, 1
	if in.CacheMode == "single" {
		replicas = 1
	}
	if in.CacheMode == "cluster" || in.CacheMode == "proxy" {
		shards = 3
	}
	created := ids.Timestamp(in.CreatedAt)
	return InstanceView{
		InstanceID: in.ID, Name: in.Name, Engine: "Redis", EngineVersion: "6.0",
		CacheMode: in.CacheMode, Status: in.Status, SubStatus: "normal",
		ProductType: "generic", StorageType: "DRAM", Capacity: 1, MaxMemory: 1024, UsedMemory: 2,
		IP: "127.0.0.1", Port: port, SpecCode: "redis.ha.xu1.large.r2.1",
		CreatedAt: created, LaunchedAt: created, UpdateAt: created,
		ShardingCount: shards, ReplicaCount: replicas,
		InstanceBackupPolicy: map[string]any{
			"backup_policy_id": "", "created_at": created, "updated_at": created, "tenant_id": in.ProjectID,
			"policy": map[string]any{"backup_type": "manual"},
		},
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
		BackupsStarted: in.BackupsStarted, Backups: len(in.Backups), Restores: len(in.Restores),
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
