// What a Client is configured with, and the conversions that hand its numbers to libdcs
// unchanged, so that libdcs alone judges their ranges.

package dcs

import "time"

// #include <dcs/dcs.h>
import "C"

// LogLevel is the severity of a libdcs log line; larger is more verbose.
type LogLevel int

// Log levels, from the least to the most verbose.
const (
	LogError LogLevel = C.DCS_LOG_ERROR
	LogWarn  LogLevel = C.DCS_LOG_WARN
	LogInfo  LogLevel = C.DCS_LOG_INFO
	LogDebug LogLevel = C.DCS_LOG_DEBUG
)

// String returns "error", "warn", "info" or "debug".
func (l LogLevel) String() string {
	switch l {
	case LogError:
		return "error"
	case LogWarn:
		return "warn"
	case LogInfo:
		return "info"
	case LogDebug:
		return "debug"
	}
	return "unknown"
}

// Config configures a Client. The zero value of a field means "not set": libdcs's default
// applies, or, unless IgnoreEnvironment is true, the environment variable the official
// Huawei Cloud SDKs read:
//
//	AccessKey, SecretKey   HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK
//	SecurityToken          HUAWEICLOUD_SDK_SECURITY_TOKEN
//	ProjectID              HUAWEICLOUD_SDK_PROJECT_ID
//	Region, Endpoint       DCS_REGION, DCS_ENDPOINT (only when both fields are empty)
//
// When neither SDK key variable is set, the Huawei Terraform provider's HW_ACCESS_KEY,
// HW_SECRET_KEY, HW_SECURITY_TOKEN, HW_PROJECT_ID and HW_REGION_NAME are read instead (one
// set or the other, never a mix of both).
//
// Credentials are taken as a unit: when AccessKey is set, SecurityToken is never filled
// from the environment, so a token of another identity cannot join explicit keys.
type Config struct {
	// Region, e.g. "cn-north-4": the endpoint is then https://dcs.{region}.myhuaweicloud.com
	// (or HUAWEICLOUD_SDK_REGION_DCS_{REGION} when set, as in the official SDKs).
	Region string
	// Endpoint is an explicit base URL (http:// or https://, no path); it wins over Region.
	Endpoint string
	// AccessKey and SecretKey are the AK/SK pair that signs every request.
	AccessKey string
	SecretKey string
	// SecurityToken makes AccessKey/SecretKey temporary credentials.
	SecurityToken string
	// ProjectID is the project the instances belong to.
	ProjectID string
	// CAFile is a PEM bundle of trusted CAs; the system store is used otherwise.
	CAFile string
	// Insecure turns TLS certificate and host name verification off. Test endpoints only.
	Insecure bool
	// Proxy is an HTTP(S) proxy URL for every request, e.g. "http://user:pass@proxy:3128".
	// Left empty, the environment decides, read once by NewClient: https_proxy/HTTPS_PROXY
	// for https endpoints, http_proxy/HTTP_PROXY for http ones (HTTP_PROXY not under CGI),
	// all_proxy/ALL_PROXY, and no_proxy/NO_PROXY for hosts that bypass it. Logs never show
	// the proxy's user info.
	Proxy string
	// NoProxy connects directly whatever the environment says (with Proxy it is an
	// ErrInvalidArgument).
	NoProxy bool
	// CADir is a directory of trusted CA certificates in OpenSSL's hashed form (openssl
	// rehash), beside CAFile; it must exist and be a directory.
	CADir string
	// Timeout is the default deadline of a call without a context deadline, retries
	// included (libdcs default: 2 minutes). WaitForRestore does not use it.
	Timeout time.Duration
	// ConnectTimeout limits connection set-up (libdcs default: 10 seconds).
	ConnectTimeout time.Duration
	// MaxAttempts is the number of attempts per call, the first included (default 4, 1-100).
	MaxAttempts int
	// AttemptTimeout limits each request of a call (0-7 days). Zero is automatic: a quarter
	// of the call's timeout, at least 1 second (or the call's timeout, if shorter) and at
	// most 60 seconds. A request the service accepted but never answers then ends in time
	// for the call to retry a read, or to find out whether a restore started. An attempt of
	// RestoreInstance/StartRestore takes at most half of what is left of the call.
	AttemptTimeout time.Duration
	// ReconcileWindow is how long StartRestore and RestoreInstance look, after an ambiguous
	// attempt (no answer, a closed connection, a 5xx, an unreadable 2xx), for the restore that
	// attempt may have started before giving up "unresolved" (0-1 hour). Zero means libdcs's
	// default, 30 seconds. Set it to the longest delay with which your service lists a new
	// restore record. The call's deadline bounds it too.
	ReconcileWindow time.Duration
	// MaxResponseBytes is the largest response body accepted (libdcs default: 1 MiB; 1 KiB to
	// 1 GiB); a larger one fails the call with ErrBadResponse.
	MaxResponseBytes int64
	// UserAgentSuffix is appended to the User-Agent, e.g. "terraform-provider-dcs/1.0".
	UserAgentSuffix string
	// Logger receives libdcs's log lines, which never contain a secret. It is called on
	// the goroutine of the call that logs, possibly from many goroutines at once. A panic
	// in it is recovered and the line dropped.
	Logger func(level LogLevel, msg string)
	// LogLevel is the most verbose level Logger receives; zero means LogInfo.
	LogLevel LogLevel
	// IgnoreEnvironment leaves unset fields unset instead of reading the environment. The
	// proxy variables are still followed, as by Go's own net/http (NoProxy turns them off):
	// they describe the network, not the service.
	IgnoreEnvironment bool

	// CredentialsProvider, when set, gives the credentials instead of AccessKey/SecretKey
	// (and the environment's keys): libdcs asks it again before they expire.
	CredentialsProvider CredentialsProvider
	// UseProfile, when no keys are set, reads them from the official SDKs' profile file:
	// ProfileFile, else $HUAWEICLOUD_SDK_CREDENTIALS_FILE, else ~/.huaweicloud/credentials
	// (skipped when absent), section ProfileName (default "basic"), keys ak, sk,
	// security_token and project_id (which fills an unset ProjectID).
	UseProfile  bool
	ProfileFile string
	ProfileName string
	// UseMetadata, when no keys are set and no profile gave any, fetches temporary
	// credentials from the ECS metadata service (MetadataEndpoint, default
	// http://169.254.169.254; a test may point it at dcs-emulator), refreshed before expiry.
	UseMetadata      bool
	MetadataEndpoint string
}

// The numbers of a Config and of the options are libdcs's to judge: each is handed to it as
// it is, and one out of its range (a timeout over 7 days, 101 attempts, ...) is refused with
// ErrInvalidArgument by libdcs, never clamped here. Only a number that C cannot even hold is
// refused here, the same way, without calling libdcs.

// cInt is n as a C int, or ErrInvalidArgument when it does not fit one: the conversion would
// wrap it around (1<<32 + 4 attempts would become 4).
func cInt(name string, n int) (C.int, error) {
	if c := C.int(n); int(c) == n {
		return c, nil
	}
	return 0, invalidArgument(name + " is out of range: it does not fit in a C int")
}

// cSize is n as a C size_t, or ErrInvalidArgument when it does not fit one (a negative n).
func cSize(name string, n int64) (C.size_t, error) {
	if c := C.size_t(n); n >= 0 && int64(c) == n {
		return c, nil
	}
	return 0, invalidArgument(name + " is out of range: it does not fit in a C size_t")
}

// milliseconds converts a duration to whole milliseconds, rounding away from zero: a
// sub-millisecond duration does not become 0 ("no limit", "the default"), and a negative one
// stays negative, for libdcs to refuse rather than for this package to clamp.
func milliseconds(d time.Duration) int64 {
	ms := int64(d / time.Millisecond)
	switch rest := d % time.Millisecond; {
	case rest > 0:
		ms++
	case rest < 0:
		ms--
	}
	return ms
}
