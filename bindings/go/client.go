// The Client's life cycle: building the C client from a Config, and freeing it only once
// no call is still using it.

package dcs

import (
	"context"
	"runtime"
	"runtime/cgo"
	"sync"
)

// #include <dcs/dcs.h>
import "C"

// Client is a connection to the DCS API: credentials, endpoint and a pool of connections.
// It is safe for use by many goroutines at once. Close it when done.
type Client struct {
	// mu guards handle; inFlight counts the calls using it, so that Close frees the C
	// client only after the last one has returned. A call does not hold mu while it runs,
	// so a callback may call the client again without deadlocking against Close.
	mu       sync.Mutex
	handle   *C.dcs_client
	inFlight sync.WaitGroup
	// logger keeps the Config.Logger alive for C; zero when there is none.
	logger cgo.Handle
	// provider keeps the Config.CredentialsProvider alive for C; zero when there is none.
	provider cgo.Handle

	// closing is done when Close starts; every call in flight is cancelled through it.
	// A context rather than a channel, so that calls can use context.AfterFunc.
	closing   context.Context
	markClose context.CancelFunc
	closeOnce sync.Once
}

// NewClient creates a client. It needs credentials, a project id, and a region or an
// endpoint, from cfg or (see Config) the environment. Nothing is sent until the first call.
func NewClient(cfg Config) (*Client, error) {
	opts, err := newClientOptions(cfg)
	if err != nil {
		return nil, err
	}
	defer C.dcs_client_options_free(opts.handle)

	var handle *C.dcs_client
	var cerr *C.dcs_error
	if status := C.dcs_client_new(opts.handle, &handle, &cerr); status != C.DCS_OK {
		opts.release()
		return nil, takeError(status, cerr)
	}
	closing, markClose := context.WithCancel(context.Background())
	c := &Client{handle: handle, logger: opts.logger, provider: opts.provider, closing: closing, markClose: markClose}
	// Only a backstop for a forgotten Close: finalizers run late or never.
	runtime.SetFinalizer(c, (*Client).Close)
	return c, nil
}

// Close cancels the calls in flight, waits for them to return and frees the client.
// It is idempotent and always returns nil; later calls return ErrClosed.
func (c *Client) Close() error {
	c.closeOnce.Do(c.markClose)
	c.mu.Lock()
	handle := c.handle
	c.handle = nil
	c.mu.Unlock()
	if handle == nil {
		return nil
	}
	c.inFlight.Wait()
	C.dcs_client_free(handle)
	// The C client is gone, so nothing can log any more.
	if c.logger != 0 {
		c.logger.Delete()
		c.logger = 0
	}
	if c.provider != 0 {
		c.provider.Delete()
		c.provider = 0
	}
	runtime.SetFinalizer(c, nil)
	return nil
}

// acquire returns the C client for one call, which must call release when done; nil
// once the client is closed.
func (c *Client) acquire() *C.dcs_client {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.handle != nil {
		c.inFlight.Add(1)
	}
	return c.handle
}

func (c *Client) release() {
	c.inFlight.Done()
}

// clientOptions is a dcs_client_options being built, and the callback handles it refers to.
type clientOptions struct {
	handle   *C.dcs_client_options
	logger   cgo.Handle
	provider cgo.Handle
}

// release frees what the options own when no client took them over.
func (o *clientOptions) release() {
	if o.logger != 0 {
		o.logger.Delete()
		o.logger = 0
	}
	if o.provider != 0 {
		o.provider.Delete()
		o.provider = 0
	}
}

func newClientOptions(cfg Config) (_ *clientOptions, err error) {
	opts := &clientOptions{}
	var cerr *C.dcs_error
	if status := C.dcs_client_options_new(&opts.handle, &cerr); status != C.DCS_OK {
		return nil, takeError(status, cerr)
	}
	defer func() {
		if err != nil {
			opts.release()
			C.dcs_client_options_free(opts.handle)
		}
	}()

	var args cStrings
	defer args.free()
	region := args.optional("Region", cfg.Region)
	endpoint := args.optional("Endpoint", cfg.Endpoint)
	accessKey := args.str("AccessKey", cfg.AccessKey)
	secretKey := args.str("SecretKey", cfg.SecretKey)
	token := args.optional("SecurityToken", cfg.SecurityToken)
	projectID := args.optional("ProjectID", cfg.ProjectID)
	caFile := args.optional("CAFile", cfg.CAFile)
	proxy := args.optional("Proxy", cfg.Proxy)
	if cfg.NoProxy && proxy != nil {
		return nil, invalidArgument("Proxy and NoProxy cannot both be set")
	}
	if cfg.NoProxy {
		proxy = args.str("Proxy", "") // "": no proxy, whatever the environment says
	}
	caDir := args.optional("CADir", cfg.CADir)
	suffix := args.optional("UserAgentSuffix", cfg.UserAgentSuffix)
	profileFile := args.optional("ProfileFile", cfg.ProfileFile)
	profileName := args.optional("ProfileName", cfg.ProfileName)
	metadataEndpoint := args.optional("MetadataEndpoint", cfg.MetadataEndpoint)
	if args.err != nil {
		return nil, args.err
	}
	attempts, err := cInt("MaxAttempts", cfg.MaxAttempts)
	if err != nil {
		return nil, err
	}
	responseCap, err := cSize("MaxResponseBytes", cfg.MaxResponseBytes)
	if err != nil {
		return nil, err
	}

	o := opts.handle
	steps := []struct {
		apply bool
		set   func(**C.dcs_error) C.dcs_status
	}{
		{region != nil, func(e **C.dcs_error) C.dcs_status { return C.dcs_client_options_set_region(o, region, e) }},
		{endpoint != nil, func(e **C.dcs_error) C.dcs_status { return C.dcs_client_options_set_endpoint(o, endpoint, e) }},
		{cfg.AccessKey != "" || cfg.SecretKey != "", func(e **C.dcs_error) C.dcs_status {
			return C.dcs_client_options_set_credentials(o, accessKey, secretKey, e)
		}},
		{token != nil, func(e **C.dcs_error) C.dcs_status { return C.dcs_client_options_set_security_token(o, token, e) }},
		{projectID != nil, func(e **C.dcs_error) C.dcs_status { return C.dcs_client_options_set_project_id(o, projectID, e) }},
		{caFile != nil, func(e **C.dcs_error) C.dcs_status { return C.dcs_client_options_set_ca_file(o, caFile, e) }},
		{cfg.Insecure, func(e **C.dcs_error) C.dcs_status { return C.dcs_client_options_set_insecure(o, 1, e) }},
		{proxy != nil, func(e **C.dcs_error) C.dcs_status { return C.dcs_client_options_set_proxy(o, proxy, e) }},
		{caDir != nil, func(e **C.dcs_error) C.dcs_status { return C.dcs_client_options_set_ca_dir(o, caDir, e) }},
		{cfg.Timeout != 0, func(e **C.dcs_error) C.dcs_status {
			return C.dcs_client_options_set_timeout_ms(o, C.int64_t(milliseconds(cfg.Timeout)), e)
		}},
		{cfg.ConnectTimeout != 0, func(e **C.dcs_error) C.dcs_status {
			return C.dcs_client_options_set_connect_timeout_ms(o, C.int64_t(milliseconds(cfg.ConnectTimeout)), e)
		}},
		{cfg.MaxAttempts != 0, func(e **C.dcs_error) C.dcs_status {
			return C.dcs_client_options_set_max_attempts(o, attempts, e)
		}},
		{cfg.AttemptTimeout != 0, func(e **C.dcs_error) C.dcs_status {
			return C.dcs_client_options_set_attempt_timeout_ms(o, C.int64_t(milliseconds(cfg.AttemptTimeout)), e)
		}},
		{cfg.ReconcileWindow != 0, func(e **C.dcs_error) C.dcs_status {
			return C.dcs_client_options_set_reconcile_window_ms(o, C.int64_t(milliseconds(cfg.ReconcileWindow)), e)
		}},
		{cfg.MaxResponseBytes != 0, func(e **C.dcs_error) C.dcs_status {
			return C.dcs_client_options_set_max_response_bytes(o, responseCap, e)
		}},
		{suffix != nil, func(e **C.dcs_error) C.dcs_status { return C.dcs_client_options_set_user_agent_suffix(o, suffix, e) }},
		{!cfg.IgnoreEnvironment, func(e **C.dcs_error) C.dcs_status { return C.dcs_client_options_load_env(o, e) }},
		// load_env fills each credential field on its own; explicit keys must not be
		// joined by the environment's security token, so set the token again.
		{!cfg.IgnoreEnvironment && cfg.AccessKey != "", func(e **C.dcs_error) C.dcs_status {
			return C.dcs_client_options_set_security_token(o, token, e)
		}},
		{cfg.UseProfile, func(e **C.dcs_error) C.dcs_status {
			return C.dcs_client_options_use_credentials_profile(o, 1, profileFile, profileName, e)
		}},
		{cfg.UseMetadata, func(e **C.dcs_error) C.dcs_status {
			return C.dcs_client_options_use_credentials_metadata(o, 1, metadataEndpoint, e)
		}},
	}
	for _, step := range steps {
		if !step.apply {
			continue
		}
		var cerr *C.dcs_error
		if status := step.set(&cerr); status != C.DCS_OK {
			return nil, takeError(status, cerr)
		}
	}

	if cfg.CredentialsProvider != nil {
		opts.provider = cgo.NewHandle(cfg.CredentialsProvider)
		if status, cerr := setCredentialsProvider(o, opts.provider); status != C.DCS_OK {
			return nil, takeError(status, cerr)
		}
	}
	if cfg.Logger != nil {
		level := cfg.LogLevel
		if level == 0 {
			level = LogInfo
		}
		opts.logger = cgo.NewHandle(cfg.Logger)
		if status, cerr := setLogCallback(o, opts.logger, level); status != C.DCS_OK {
			return nil, takeError(status, cerr)
		}
	}
	return opts, nil
}
