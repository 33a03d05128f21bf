// Per-resource regions: which endpoint and project serve a region other than the
// provider's, and the one client per region that the resource and data sources share.

package provider

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// RegionSettings is one entry of the provider's `regions` map: where a region other than the
// provider's own is served. Empty fields take the defaults (the region's public endpoint,
// the provider's project).
type RegionSettings struct {
	Endpoint  string
	ProjectID string
}

// regionalAPI is the provider data when the provider configured it: the provider's own
// client, and the client of any other region a resource or data source names.
type regionalAPI interface {
	API
	// Region is the provider's own region; "" when only an endpoint was configured.
	Region() string
	// ForRegion returns the client for region; "" and the provider's own region give the
	// provider's client. It fails when the region cannot be served (see regionConfig).
	ForRegion(region string) (API, error)
}

// regionalClients implements regionalAPI: the provider's client, and one client per other
// region, made on first use and then shared (libdcs clients are safe for concurrent use).
type regionalClients struct {
	API
	base    ClientConfig
	regions map[string]RegionSettings
	connect Connector

	mu       sync.Mutex
	byRegion map[string]API
}

var _ regionalAPI = (*regionalClients)(nil)

func newRegionalClients(own API, base ClientConfig, regions map[string]RegionSettings, connect Connector) *regionalClients {
	return &regionalClients{API: own, base: base, regions: regions, connect: connect, byRegion: map[string]API{}}
}

func (c *regionalClients) Region() string { return c.base.Region }

func (c *regionalClients) ForRegion(region string) (API, error) {
	if region == "" || region == c.base.Region {
		return c.API, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if client, ok := c.byRegion[region]; ok {
		return client, nil
	}
	cfg, err := regionConfig(c.base, c.regions, region)
	if err != nil {
		return nil, err
	}
	client, err := c.connect(cfg)
	if err != nil {
		return nil, fmt.Errorf("cannot create the DCS client for region %q: %w", region, err)
	}
	c.byRegion[region] = client
	return client, nil
}

// regionConfig is the client configuration of a region other than the provider's: its
// `regions` entry's endpoint and project when set, else the region's public endpoint
// (https://dcs.{region}.myhuaweicloud.com, or HUAWEICLOUD_SDK_REGION_DCS_{REGION}, which
// libdcs reads) and the provider's project. The credentials are the provider's: Huawei Cloud
// keys are valid in every region. A provider with an explicit `endpoint` cannot tell which
// endpoint serves another region, so the region then needs an entry with one.
func regionConfig(base ClientConfig, regions map[string]RegionSettings, region string) (ClientConfig, error) {
	cfg := base
	cfg.Region = region
	cfg.Endpoint = ""
	settings, listed := regions[region]
	if settings.Endpoint != "" {
		cfg.Endpoint = settings.Endpoint
	}
	if settings.ProjectID != "" {
		cfg.ProjectID = settings.ProjectID
	}
	if cfg.Endpoint == "" && base.Endpoint != "" {
		why := "it has no entry in `regions`"
		if listed {
			why = "its entry in `regions` sets no `endpoint`"
		}
		return ClientConfig{}, fmt.Errorf("region %q differs from the provider's (%s), whose `endpoint` is explicit (%s), and %s: "+
			"the provider cannot tell which endpoint serves it. Add `regions = { %q = { endpoint = \"...\" } }` to the provider block%s",
			region, orNone(base.Region), base.Endpoint, why, region, knownRegions(regions))
	}
	return cfg, nil
}

// orNone is s, or "none" when s is empty.
func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// knownRegions lists the regions of the `regions` map for an error message.
func knownRegions(regions map[string]RegionSettings) string {
	if len(regions) == 0 {
		return "."
	}
	names := make([]string, 0, len(regions))
	for name := range regions {
		names = append(names, name)
	}
	sort.Strings(names)
	return " (it lists " + strings.Join(names, ", ") + ")."
}

// apiFor returns the client for a resource's or data source's region ("" for the
// provider's), and the region it reads from ("" when the provider has none). Provider data
// that is a bare API (the unit tests' fakes) serves every region itself.
func apiFor(client API, region string) (API, string, error) {
	regional, ok := client.(regionalAPI)
	if !ok {
		return client, region, nil
	}
	api, err := regional.ForRegion(region)
	if region == "" {
		region = regional.Region()
	}
	return api, region, err
}

// providerRegion is the provider's own region, "" when it has none or the client is a bare
// API.
func providerRegion(client API) string {
	if regional, ok := client.(regionalAPI); ok {
		return regional.Region()
	}
	return ""
}
