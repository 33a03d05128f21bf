/*
 * dcs.h - the stable C ABI of libdcs (libdcs.so.1).
 *
 * libdcs restores Huawei Cloud DCS (managed Redis) instances from their backups
 * (POST /v2/{project_id}/instances/{instance_id}/restores) and offers the calls a
 * real restore needs around it: list backups, create and delete a backup, list and
 * get restore records, show an instance, and wait for a restore to finish.
 *
 * Conventions (they hold for every function below):
 *  - Every fallible function returns a dcs_status: DCS_OK (0) or a positive error.
 *    The last parameter is `dcs_error **out_err`, which may be NULL. On failure,
 *    if out_err is not NULL, *out_err receives an error object the caller frees with
 *    dcs_error_free(). On success *out_err is set to NULL.
 *  - Output parameters are written only on DCS_OK.
 *  - Input strings are NUL-terminated UTF-8, borrowed for the duration of the call.
 *  - Strings the library allocates (char **out_...) are freed with dcs_string_free().
 *  - Getters return borrowed strings that live as long as the object they came
 *    from. They never return NULL: an absent value is "".
 *  - Every *_free function accepts NULL.
 *  - No C++ exception ever crosses this boundary.
 *
 * Thread safety:
 *  - dcs_client: safe for concurrent calls from any number of threads. Its
 *    configuration is fixed at creation; connections come from an internal pool.
 *  - dcs_client_options, dcs_call_options, dcs_list_options, dcs_wait_options:
 *    one thread at a time. A call copies what it needs, so they may be reused or
 *    freed as soon as the call that takes them returns.
 *  - dcs_error and the records and lists: immutable once returned; they may be read
 *    from several threads at once.
 *  - dcs_cancel_token: dcs_cancel_token_cancel() and dcs_cancel_token_is_cancelled()
 *    may be called from any thread at any time. The token is reference counted
 *    internally, so freeing it while a call still uses it is safe.
 *
 * Ownership of callbacks: the log callback runs on the thread that makes the call
 * that logs; the wait progress callback runs on the thread that called
 * dcs_wait_for_restore(). Neither may call back into the same client's wait.
 */
#ifndef DCS_DCS_H
#define DCS_DCS_H

#include <stddef.h>
#include <stdint.h>

/* The version of libdcs. These three numbers are its only source: CMake reads them (the
 * library's file name, libdcs.pc, the CMake package, dcsctl, the Debian packages), the
 * library reports them (User-Agent, dcs_version_string) and the Python package's metadata
 * is read from them (scripts/version.sh prints them for the other tools). */
#define DCS_VERSION_MAJOR 1
#define DCS_VERSION_MINOR 2
#define DCS_VERSION_PATCH 0
#define DCS_VERSION_NUMBER (DCS_VERSION_MAJOR * 10000 + DCS_VERSION_MINOR * 100 + DCS_VERSION_PATCH)
/* "MAJOR.MINOR.PATCH" as a string literal, made from the numbers above. */
#define DCS_VERSION_STRING              \
    DCS_VERSION_STR_(DCS_VERSION_MAJOR) \
    "." DCS_VERSION_STR_(DCS_VERSION_MINOR) "." DCS_VERSION_STR_(DCS_VERSION_PATCH)
#define DCS_VERSION_STR_(x) DCS_VERSION_STR2_(x)
#define DCS_VERSION_STR2_(x) #x

#if defined(DCS_STATIC)
#define DCS_API
#elif defined(_WIN32)
#if defined(DCS_BUILDING_LIBRARY)
#define DCS_API __declspec(dllexport)
#else
#define DCS_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define DCS_API __attribute__((visibility("default")))
#else
#define DCS_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------- */
/* Status codes. Append-only: values are never renumbered or reused.         */
/* ------------------------------------------------------------------------- */

typedef int dcs_status;

enum {
    DCS_OK = 0,
    DCS_E_INVALID_ARGUMENT = 1, /* rejected before any network I/O: nothing was sent */
    DCS_E_AUTH = 2,             /* 401/403: bad credentials, signature, project or permission */
    DCS_E_NOT_FOUND = 3,        /* 404, or the record asked for does not exist */
    DCS_E_THROTTLED = 4,        /* 429 after the retries the call allowed */
    DCS_E_BUSY = 5,             /* the instance is busy (DCS.4096, DCS.4097, ...) after retries */
    DCS_E_SERVER = 6,           /* 5xx from the service */
    DCS_E_TRANSPORT = 7,        /* DNS, connect, TLS or connection failure */
    DCS_E_TIMEOUT = 8,          /* the call's deadline passed */
    DCS_E_CANCELLED = 9,        /* the call's cancel token was cancelled */
    DCS_E_BAD_RESPONSE = 10,    /* unparseable, truncated or oversized response */
    DCS_E_INTERNAL = 11,        /* a bug in libdcs */
    DCS_E_NOMEM = 12,           /* out of memory */
    DCS_E_REJECTED = 13, /* any other 4xx: the service refused the request (see service code) */
    DCS_E_PRECONDITION =
        14, /* the instance or backup cannot take a restore (pre-flight or service) */
    DCS_E_RESTORE_FAILED = 15 /* the restore record ended in "failed" (service code: dcs.08.000x) */
};

/* Highest status value this version of the library can return. */
#define DCS_STATUS_MAX 15

/* A static, never-NULL name for a status, e.g. "not found". */
DCS_API const char *dcs_status_str(dcs_status status);

/* ------------------------------------------------------------------------- */
/* Version and global state                                                  */
/* ------------------------------------------------------------------------- */

/* The run-time library version as DCS_VERSION_NUMBER encodes it (10000*major+100*minor+patch). */
DCS_API int dcs_version_number(void);
/* The run-time library version, e.g. "1.0.0". Static storage. */
DCS_API const char *dcs_version_string(void);
/* The libraries the HTTP transport runs on, as libcurl names them, e.g.
 * "libcurl/8.5.0 OpenSSL/3.0.13 zlib/1.3 nghttp2/1.59.0": for a program's version report or a
 * support ticket. Static storage, never NULL. */
DCS_API const char *dcs_transport_version_string(void);

/* Reference-counted global initialisation (libcurl, OpenSSL). dcs_client_new() calls it
 * lazily, so calling it is optional; call it once early if other threads start libcurl
 * users at the same time. Each successful dcs_global_init() pairs with one cleanup. */
DCS_API dcs_status dcs_global_init(void);
DCS_API void dcs_global_cleanup(void);

/* Frees a string allocated by libdcs. NULL-safe. */
DCS_API void dcs_string_free(char *s);

/* ------------------------------------------------------------------------- */
/* Errors                                                                    */
/* ------------------------------------------------------------------------- */

typedef struct dcs_error dcs_error;

/* Whether the failed request may have reached the service. */
enum {
    DCS_SENT_NO = 0,   /* provably not: validation, DNS or connect failure */
    DCS_SENT_YES = 1,  /* the service answered */
    DCS_SENT_MAYBE = 2 /* unknown: timeout after sending, connection reset, ... */
};

DCS_API dcs_status dcs_error_status(const dcs_error *err);
/* A human-readable, single-line description. Never contains a secret key,
 * security token or Authorization header. */
DCS_API const char *dcs_error_message(const dcs_error *err);
/* HTTP status of the last response, 0 if there was none. */
DCS_API int dcs_error_http_status(const dcs_error *err);
/* The service's error_code ("DCS.4097", "111400087", or a record's "dcs.08.0002"). */
DCS_API const char *dcs_error_service_code(const dcs_error *err);
/* The service's error_msg. */
DCS_API const char *dcs_error_service_message(const dcs_error *err);
/* The service's error_ext_msg. */
DCS_API const char *dcs_error_service_ext_message(const dcs_error *err);
/* The X-Request-Id response header of the last response, for support tickets. */
DCS_API const char *dcs_error_request_id(const dcs_error *err);
/* One of DCS_SENT_*. */
DCS_API int dcs_error_request_sent(const dcs_error *err);
DCS_API void dcs_error_free(dcs_error *err);

/* ------------------------------------------------------------------------- */
/* Logging                                                                   */
/* ------------------------------------------------------------------------- */

enum { DCS_LOG_ERROR = 1, DCS_LOG_WARN = 2, DCS_LOG_INFO = 3, DCS_LOG_DEBUG = 4 };

/* A log line: never contains a secret key, security token or Authorization header.
 * `message` is valid only during the callback. */
typedef void (*dcs_log_fn)(void *user_data, int level, const char *message);

/* ------------------------------------------------------------------------- */
/* Cancellation                                                              */
/* ------------------------------------------------------------------------- */

typedef struct dcs_cancel_token dcs_cancel_token;

DCS_API dcs_status dcs_cancel_token_new(dcs_cancel_token **out, dcs_error **out_err);
/* Cancels every call using this token, now and later; an in-flight request, a
 * backoff sleep or a wait returns DCS_E_CANCELLED within 100 ms. Idempotent. */
DCS_API void dcs_cancel_token_cancel(dcs_cancel_token *token);
DCS_API int dcs_cancel_token_is_cancelled(const dcs_cancel_token *token);
DCS_API void dcs_cancel_token_free(dcs_cancel_token *token);
/* Also cancels the token when a call using it sees the byte `signo` arrive on `fd`.
 * `fd` is the read end of a non-blocking self-pipe into which a signal handler writes one
 * byte per signal caught, holding the signal number (Python's signal.set_wakeup_fd() and
 * many event loops use this convention). While a call with this token runs, libdcs watches
 * fd and reads (consumes) the bytes that arrive; a byte equal to signo cancels the token.
 * fd = -1 stops watching (signo is then ignored). The caller keeps ownership of fd: change
 * the watch, or close fd, only while no call uses the token. Otherwise signo must be 1..64
 * and fd 0 or more, else DCS_E_INVALID_ARGUMENT. Since 1.2.0. */
DCS_API dcs_status dcs_cancel_token_watch_fd(dcs_cancel_token *token, int fd, int signo,
                                             dcs_error **out_err);

/* ------------------------------------------------------------------------- */
/* Limits (the setters below refuse values beyond them)                      */
/* ------------------------------------------------------------------------- */

/* The longest duration accepted, in milliseconds (7 days): a client's or a call's timeout, an
 * attempt timeout, the connect timeout, a wait's poll intervals. */
#define DCS_MAX_TIMEOUT_MS INT64_C(604800000)
/* The longest reconcile window accepted, in milliseconds (1 hour). */
#define DCS_MAX_RECONCILE_WINDOW_MS INT64_C(3600000)

/* ------------------------------------------------------------------------- */
/* Client options                                                            */
/* ------------------------------------------------------------------------- */

typedef struct dcs_client_options dcs_client_options;

DCS_API dcs_status dcs_client_options_new(dcs_client_options **out, dcs_error **out_err);
DCS_API void dcs_client_options_free(dcs_client_options *opts);

/* Fills every option that is still unset from the official SDKs' environment variables:
 * HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_PROJECT_ID,
 * HUAWEICLOUD_SDK_SECURITY_TOKEN, and libdcs's own DCS_REGION and DCS_ENDPOINT (only when
 * neither a region nor an endpoint is set). The security token is taken only when both keys
 * come from the environment, so explicit keys never pick up a token issued for others.
 * Then, for what is still unset, the Huawei Cloud Terraform provider's HW_ACCESS_KEY,
 * HW_SECRET_KEY, HW_SECURITY_TOKEN, HW_PROJECT_ID and HW_REGION_NAME. The keys and the token
 * come from one set: HUAWEICLOUD_SDK_* when either of its keys is set, else HW_*. */
DCS_API dcs_status dcs_client_options_load_env(dcs_client_options *opts, dcs_error **out_err);

/* The options dcs_client_options_is_set() reports on: those dcs_client_options_load_env()
 * fills. Append-only. */
enum {
    DCS_CLIENT_OPTION_REGION = 1,
    DCS_CLIENT_OPTION_ENDPOINT = 2,
    DCS_CLIENT_OPTION_PROJECT_ID = 3,
    DCS_CLIENT_OPTION_ACCESS_KEY = 4,
    DCS_CLIENT_OPTION_SECRET_KEY = 5,
    DCS_CLIENT_OPTION_SECURITY_TOKEN = 6
};

/* Whether `option` (one of DCS_CLIENT_OPTION_*) holds a value, from a setter or from
 * dcs_client_options_load_env(): *out_set is 1, or 0 when it is unset (""). For a program that
 * layers a configuration of its own below the environment, as dcsctl does with its config
 * file. Values are never given back, so no secret leaves this way. DCS_E_INVALID_ARGUMENT for
 * an unknown option. */
DCS_API dcs_status dcs_client_options_is_set(const dcs_client_options *opts, int option,
                                             int *out_set, dcs_error **out_err);

/* The endpoint is https://dcs.{region}.myhuaweicloud.com, unless the environment variable
 * HUAWEICLOUD_SDK_REGION_DCS_{REGION} (upper case, '-' as '_') names others, a comma-separated
 * list tried in order, as the official SDKs do; without it the region must be one of the
 * official DCS regions (see dcs_client_options_set_ca_dir's block). An explicit endpoint wins
 * over the region. */
DCS_API dcs_status dcs_client_options_set_region(dcs_client_options *opts, const char *region,
                                                 dcs_error **out_err);
/* An explicit base URL: http:// or https://, any host and port, no path, query or user info. */
DCS_API dcs_status dcs_client_options_set_endpoint(dcs_client_options *opts, const char *url,
                                                   dcs_error **out_err);
DCS_API dcs_status dcs_client_options_set_credentials(dcs_client_options *opts,
                                                      const char *access_key,
                                                      const char *secret_key, dcs_error **out_err);
/* One key of the pair at a time, for a program that takes each from a different place (see
 * dcs_client_options_is_set). Checked in full by dcs_client_new, as the pair is. */
DCS_API dcs_status dcs_client_options_set_access_key(dcs_client_options *opts,
                                                     const char *access_key, dcs_error **out_err);
DCS_API dcs_status dcs_client_options_set_secret_key(dcs_client_options *opts,
                                                     const char *secret_key, dcs_error **out_err);
/* Temporary credentials: sent and signed as X-Security-Token. NULL clears it. */
DCS_API dcs_status dcs_client_options_set_security_token(dcs_client_options *opts,
                                                         const char *token, dcs_error **out_err);

/* ---- Credentials that outlive a long wait (1.2) -------------------------------------------- */
/* Where credentials come from, in this order: a provider callback; else the keys set above
 * (or by dcs_client_options_load_env); else, when turned on, the official SDKs' shared
 * profile file; else, when turned on, the ECS metadata service's temporary credentials.
 * Credentials that expire (a provider's, the metadata service's) are fetched when the client
 * first needs them and again before they expire: when less than a quarter of their lifetime,
 * at most 5 minutes, is left. So every poll of a 30-minute wait is signed with credentials
 * that still work. Concurrent calls share one fetch. Should the service still refuse them as
 * expired (401 APIGW.0307), the request is sent once more with fresh ones. */
typedef struct dcs_credentials dcs_credentials;

/* Fills `creds` with the keys to sign with: access and secret key required, the security
 * token of temporary credentials (NULL or "" for none), and when they expire in Unix seconds
 * (0 = never). The strings are copied. Only valid inside a dcs_credentials_fn. */
DCS_API dcs_status dcs_credentials_set(dcs_credentials *creds, const char *access_key,
                                       const char *secret_key, const char *security_token,
                                       int64_t expires_at, dcs_error **out_err);
/* Says why the provider could not give credentials; the call that needed them fails with
 * DCS_E_AUTH carrying this message (never put a secret in it). */
DCS_API void dcs_credentials_set_failure(dcs_credentials *creds, const char *message);

/* A credentials provider: returns 0 after dcs_credentials_set(), non-zero on failure. It is
 * called on the thread of the call that needs credentials, one call at a time per client,
 * and must not call the client itself. A failure (or returning 0 without setting keys) ends
 * that call with DCS_E_AUTH, nothing sent. */
typedef int (*dcs_credentials_fn)(void *user_data, dcs_credentials *creds);

/* Sets (or, with fn NULL, removes) the provider. It wins over every other source, keys
 * included; `user_data` must outlive every client created from these options. */
DCS_API dcs_status dcs_client_options_set_credentials_provider(dcs_client_options *opts,
                                                               dcs_credentials_fn fn,
                                                               void *user_data,
                                                               dcs_error **out_err);
/* Turns the profile file step on (non-zero) or off. `path` NULL or "" is the SDKs' file:
 * $HUAWEICLOUD_SDK_CREDENTIALS_FILE, else ~/.huaweicloud/credentials, skipped when absent;
 * `name` NULL or "" is its [basic] section, with keys ak, sk, security_token and project_id
 * (which fills an unset project id). A named file or section must exist and hold ak and sk:
 * DCS_E_INVALID_ARGUMENT from dcs_client_new otherwise. Read once, by dcs_client_new. */
DCS_API dcs_status dcs_client_options_use_credentials_profile(dcs_client_options *opts, int enable,
                                                              const char *path, const char *name,
                                                              dcs_error **out_err);
/* Turns the ECS metadata step on (non-zero) or off. `endpoint` NULL or "" is
 * http://169.254.169.254; another scheme://host[:port] serves tests (dcs-emulator answers
 * there). Temporary credentials come from GET /openstack/latest/securitykey, never through a
 * proxy; a failure is DCS_E_AUTH on the call that needed them. */
DCS_API dcs_status dcs_client_options_use_credentials_metadata(dcs_client_options *opts, int enable,
                                                               const char *endpoint,
                                                               dcs_error **out_err);
/* ---- end of the credentials block ---------------------------------------------------------- */
DCS_API dcs_status dcs_client_options_set_project_id(dcs_client_options *opts,
                                                     const char *project_id, dcs_error **out_err);
/* A PEM bundle of trusted CAs; the system store is used otherwise. */
DCS_API dcs_status dcs_client_options_set_ca_file(dcs_client_options *opts, const char *path,
                                                  dcs_error **out_err);
/* Turns TLS certificate and host name verification off when `insecure` is non-zero.
 * Verification is on by default; only do this against a test endpoint. */
DCS_API dcs_status dcs_client_options_set_insecure(dcs_client_options *opts, int insecure,
                                                   dcs_error **out_err);
/* An HTTP(S) proxy URL for every request, e.g. "http://user:pass@proxy:3128"; NULL or ""
 * means no proxy at all, whatever the environment says. Options on which this is never
 * called follow the environment, as curl does (behaviour change:
 * before, they ignored it): https_proxy/HTTPS_PROXY for https endpoints, http_proxy/HTTP_PROXY
 * for http ones (HTTP_PROXY not under CGI, when REQUEST_METHOD is set), all_proxy/ALL_PROXY
 * for both, lower case first, and no_proxy/NO_PROXY for hosts that bypass it (curl's syntax:
 * names, domain suffixes, IP addresses, CIDR ranges, "*"). The environment is read once, by
 * dcs_client_new. An explicit proxy is used for every host (NO_PROXY does not apply). Logs
 * show a proxy URL with its user info replaced by "***". */
DCS_API dcs_status dcs_client_options_set_proxy(dcs_client_options *opts, const char *proxy_url,
                                                dcs_error **out_err);

/* ---- Network settings (1.2) ---------------------------------------------------------------- */
/* A directory of trusted CA certificates in OpenSSL's hashed form (c_rehash / openssl rehash),
 * beside or instead of the CA file. It must exist and be a directory:
 * DCS_E_INVALID_ARGUMENT otherwise, now and again when the client is created. NULL or ""
 * clears it.
 *
 * Related behaviour of dcs_client_new, with no new function: every endpoint of
 * HUAWEICLOUD_SDK_REGION_DCS_{REGION} (comma-separated) is kept, and an attempt that cannot
 * reach one (refused, DNS failure, no connection in time, failed TLS handshake: nothing was
 * sent) goes on to the next at once, starting from the one that last answered; a failure
 * after the request may have left is never taken to another endpoint, so a restore cannot
 * start twice. With neither an explicit endpoint nor that variable, a region not in the
 * official DCS region list fails at once with DCS_E_INVALID_ARGUMENT, naming the region and
 * the closest known one. */
DCS_API dcs_status dcs_client_options_set_ca_dir(dcs_client_options *opts, const char *path,
                                                 dcs_error **out_err);
/* ---- end of the network settings block ----------------------------------------------------- */
/* Connection set-up limit (default 10000 ms). */
DCS_API dcs_status dcs_client_options_set_connect_timeout_ms(dcs_client_options *opts, int64_t ms,
                                                             dcs_error **out_err);
/* Default deadline of a call, retries included (default 120000 ms); a call's own
 * timeout overrides it. dcs_wait_for_restore has its own default (see below). */
DCS_API dcs_status dcs_client_options_set_timeout_ms(dcs_client_options *opts, int64_t ms,
                                                     dcs_error **out_err);
/* Attempts per call, the first included (default 4, range 1-100). */
DCS_API dcs_status dcs_client_options_set_max_attempts(dcs_client_options *opts, int attempts,
                                                       dcs_error **out_err);
/* Each request's own time limit (0-7 days; 0, the default, is automatic: a quarter of the
 * call's timeout, at least 1 s and at most 60 s). A request the service accepts and never
 * answers then ends in time for the call to retry a read, or to find out whether a restore
 * started. A RestoreInstance attempt takes at most half of what is left of the call. */
DCS_API dcs_status dcs_client_options_set_attempt_timeout_ms(dcs_client_options *opts, int64_t ms,
                                                             dcs_error **out_err);
/* How long dcs_restore_instance looks for a restore that an ambiguous attempt may have
 * started before it gives up "unresolved" (0-3600000 ms, default 30000; 0 looks once). Set
 * it to the longest delay with which your service lists a new restore record. */
DCS_API dcs_status dcs_client_options_set_reconcile_window_ms(dcs_client_options *opts, int64_t ms,
                                                              dcs_error **out_err);
/* Largest response body accepted (default 1 MiB); larger gives DCS_E_BAD_RESPONSE. */
DCS_API dcs_status dcs_client_options_set_max_response_bytes(dcs_client_options *opts, size_t bytes,
                                                             dcs_error **out_err);
/* Text appended to the User-Agent, e.g. "terraform-provider-dcs/1.0". */
DCS_API dcs_status dcs_client_options_set_user_agent_suffix(dcs_client_options *opts,
                                                            const char *suffix,
                                                            dcs_error **out_err);
/* A log callback and the most verbose level it receives. NULL turns logging off. */
DCS_API dcs_status dcs_client_options_set_log_callback(dcs_client_options *opts, dcs_log_fn fn,
                                                       void *user_data, int max_level,
                                                       dcs_error **out_err);

/* ------------------------------------------------------------------------- */
/* Client                                                                    */
/* ------------------------------------------------------------------------- */

typedef struct dcs_client dcs_client;

/* Requires credentials, a project id, and a region or an endpoint. */
DCS_API dcs_status dcs_client_new(const dcs_client_options *opts, dcs_client **out,
                                  dcs_error **out_err);
/* Frees the client and closes its connections. No call may be in flight. NULL-safe. */
DCS_API void dcs_client_free(dcs_client *client);

/* ------------------------------------------------------------------------- */
/* Per-call options (every call accepts NULL for the defaults)               */
/* ------------------------------------------------------------------------- */

typedef struct dcs_call_options dcs_call_options;

DCS_API dcs_status dcs_call_options_new(dcs_call_options **out, dcs_error **out_err);
DCS_API void dcs_call_options_free(dcs_call_options *opts);
/* The call's deadline, retries and backoff included. 0 = the client's default. */
DCS_API dcs_status dcs_call_options_set_timeout_ms(dcs_call_options *opts, int64_t ms,
                                                   dcs_error **out_err);
/* The call takes its own reference; NULL detaches the token. */
DCS_API dcs_status dcs_call_options_set_cancel_token(dcs_call_options *opts,
                                                     dcs_cancel_token *token, dcs_error **out_err);
/* Attempts for this call (1-100); 0 = the client's default. */
DCS_API dcs_status dcs_call_options_set_max_attempts(dcs_call_options *opts, int attempts,
                                                     dcs_error **out_err);
/* This call's per-request time limit (0-7 days); 0 = the client's. */
DCS_API dcs_status dcs_call_options_set_attempt_timeout_ms(dcs_call_options *opts, int64_t ms,
                                                           dcs_error **out_err);
/* dcs_restore_instance only: this call's reconcile window (0-3600000 ms); 0 = the client's. */
DCS_API dcs_status dcs_call_options_set_reconcile_window_ms(dcs_call_options *opts, int64_t ms,
                                                            dcs_error **out_err);
/* Wait out "the instance is busy" answers that start nothing (DCS.4096 backing up, DCS.4049
 * not running, DCS.4097 restoring for someone else, ...) with backoff until the call's
 * deadline, instead of giving up after the call's attempts. Off by default. */
DCS_API dcs_status dcs_call_options_set_wait_while_busy(dcs_call_options *opts, int enabled,
                                                        dcs_error **out_err);
/* dcs_restore_instance only: check before starting that the instance exists, is RUNNING
 * and is not single-node, and that the backup belongs to it, succeeded and supports
 * restore. Off by default; a failed check gives DCS_E_PRECONDITION and nothing starts. */
DCS_API dcs_status dcs_call_options_set_preflight(dcs_call_options *opts, int enabled,
                                                  dcs_error **out_err);

/* ------------------------------------------------------------------------- */
/* Checks a tool may run early (a Terraform plan): exactly what every call    */
/* checks before it sends anything                                            */
/* ------------------------------------------------------------------------- */

/* DCS_OK when `value` is an id libdcs accepts (instance, backup, restore, project: 1-64
 * characters of [A-Za-z0-9_-]), else DCS_E_INVALID_ARGUMENT with a message naming `name`
 * ("instance_id", say; NULL for "id"). */
DCS_API dcs_status dcs_validate_id(const char *name, const char *value, dcs_error **out_err);
/* DCS_OK when `value` is a remark libdcs accepts (at most 128 bytes of UTF-8 without control
 * characters), else DCS_E_INVALID_ARGUMENT. */
DCS_API dcs_status dcs_validate_remark(const char *value, dcs_error **out_err);

/* ------------------------------------------------------------------------- */
/* Restore: the heart of libdcs                                              */
/* ------------------------------------------------------------------------- */

/* Starts restoring `instance_id` from its backup `backup_id` and returns the new
 * restore record's id in *out_restore_id (free with dcs_string_free).
 *
 * The restore is asynchronous: follow it with dcs_wait_for_restore().
 * IDs must be 1-64 characters of [A-Za-z0-9_-]; `remark` (NULL for none) at most 128
 * bytes of UTF-8 without control characters.
 *
 * One restore per call. RestoreInstance is not idempotent, so:
 *  - the request is posted again only after an answer that proves nothing started: a 4xx
 *    busy code (DCS.4096, DCS.4049, ...), a 429, or a failure before any byte left (DNS,
 *    connect, TLS handshake). libcurl is never allowed to resend it on its own;
 *  - after an ambiguous failure (no answer within the attempt's time, a reset or closed
 *    connection, a 5xx, a 2xx whose body cannot be read) it is never posted again. The
 *    call lists the instance's restore records and adopts the earliest one of the same
 *    backup and remark created since the call began (by the service's clock, learnt from
 *    the Date header), for up to the reconcile window (default 30 s);
 *  - when nothing is listed within the window (or before the deadline), the call fails
 *    with the ambiguous error's status, request_sent DCS_SENT_MAYBE, and a message that
 *    begins "unresolved:" and says what to check. The restore may or may not have started:
 *    call dcs_find_restore() later, with the time just before this call, before deciding
 *    to restore again. This trades an occasional "unresolved" for never overwriting live
 *    data twice.
 * dcs_restore_instance_ext() also tells whether the id was adopted. */
DCS_API dcs_status dcs_restore_instance(dcs_client *client, const char *instance_id,
                                        const char *backup_id, const char *remark,
                                        const dcs_call_options *call, char **out_restore_id,
                                        dcs_error **out_err);

/* What dcs_restore_instance_ext() started. Immutable; free with dcs_restore_outcome_free. */
typedef struct dcs_restore_outcome dcs_restore_outcome;

/* As dcs_restore_instance(), with the outcome in an object. */
DCS_API dcs_status dcs_restore_instance_ext(dcs_client *client, const char *instance_id,
                                            const char *backup_id, const char *remark,
                                            const dcs_call_options *call, dcs_restore_outcome **out,
                                            dcs_error **out_err);
DCS_API const char *dcs_restore_outcome_restore_id(const dcs_restore_outcome *o);
/* 1 when the id came from the instance's restore records rather than from the answer to
 * this call's request (that answer was lost or unreadable), 0 when the service answered it. */
DCS_API int dcs_restore_outcome_adopted(const dcs_restore_outcome *o);
DCS_API void dcs_restore_outcome_free(dcs_restore_outcome *o);

/* ------------------------------------------------------------------------- */
/* Restore records                                                           */
/* ------------------------------------------------------------------------- */

typedef struct dcs_restore_record dcs_restore_record;

DCS_API const char *dcs_restore_record_restore_id(const dcs_restore_record *r);
DCS_API const char *dcs_restore_record_backup_id(const dcs_restore_record *r);
/* "waiting", "restoring", "succeed" or "failed" (kept open: any other value is passed on). */
DCS_API const char *dcs_restore_record_status(const dcs_restore_record *r);
/* Progress as the service sends it, e.g. "42.00". */
DCS_API const char *dcs_restore_record_progress(const dcs_restore_record *r);
/* Progress in percent (0-100), -1 if the service sent none, an unparseable value or one
 * above 100 (the text getter still has what it sent). */
DCS_API double dcs_restore_record_progress_percent(const dcs_restore_record *r);
/* The failure code of a failed restore, e.g. "dcs.08.0002". */
DCS_API const char *dcs_restore_record_error_code(const dcs_restore_record *r);
DCS_API const char *dcs_restore_record_restore_remark(const dcs_restore_record *r);
DCS_API const char *dcs_restore_record_restore_name(const dcs_restore_record *r);
DCS_API const char *dcs_restore_record_backup_name(const dcs_restore_record *r);
DCS_API const char *dcs_restore_record_backup_remark(const dcs_restore_record *r);
/* Timestamps as the service sends them, e.g. "2017-07-18T21:41:35.182Z". */
DCS_API const char *dcs_restore_record_created_at(const dcs_restore_record *r);
DCS_API const char *dcs_restore_record_updated_at(const dcs_restore_record *r);
/* The same timestamps in milliseconds since the Unix epoch; -1 if absent or unparseable. */
DCS_API int64_t dcs_restore_record_created_at_ms(const dcs_restore_record *r);
DCS_API int64_t dcs_restore_record_updated_at_ms(const dcs_restore_record *r);
DCS_API void dcs_restore_record_free(dcs_restore_record *r);

typedef struct dcs_restore_list dcs_restore_list;

DCS_API size_t dcs_restore_list_count(const dcs_restore_list *list);
/* Borrowed: lives as long as the list. NULL when index >= count. */
DCS_API const dcs_restore_record *dcs_restore_list_at(const dcs_restore_list *list, size_t index);
DCS_API void dcs_restore_list_free(dcs_restore_list *list);

/* Filters for the list calls. Both list calls fetch every page. */
typedef struct dcs_list_options dcs_list_options;

DCS_API dcs_status dcs_list_options_new(dcs_list_options **out, dcs_error **out_err);
DCS_API void dcs_list_options_free(dcs_list_options *opts);
/* UTC, "yyyyMMddHHmmss" (14 digits). NULL clears. */
DCS_API dcs_status dcs_list_options_set_begin_time(dcs_list_options *opts, const char *begin_time,
                                                   dcs_error **out_err);
DCS_API dcs_status dcs_list_options_set_end_time(dcs_list_options *opts, const char *end_time,
                                                 dcs_error **out_err);

/* Every restore record of the instance (all pages; an empty 204 gives an empty list). */
DCS_API dcs_status dcs_list_restores(dcs_client *client, const char *instance_id,
                                     const dcs_list_options *filter, const dcs_call_options *call,
                                     dcs_restore_list **out, dcs_error **out_err);
/* One restore record by id; DCS_E_NOT_FOUND if the instance has none with that id. */
DCS_API dcs_status dcs_get_restore(dcs_client *client, const char *instance_id,
                                   const char *restore_id, const dcs_call_options *call,
                                   dcs_restore_record **out, dcs_error **out_err);

/* "Did my restore start?" - the answer to an "unresolved" dcs_restore_instance. Finds the
 * earliest restore record of `instance_id` for `backup_id` with `remark` (NULL = none, as
 * in dcs_restore_instance) created at or after `since_ms` (milliseconds since the Unix
 * epoch by your clock: take it just before the restore call; the library allows for the
 * service's clock as learnt from Date headers, or a minute without one).
 * DCS_OK with the record in *out, or DCS_E_NOT_FOUND when there is none. */
DCS_API dcs_status dcs_find_restore(dcs_client *client, const char *instance_id,
                                    const char *backup_id, const char *remark, int64_t since_ms,
                                    const dcs_call_options *call, dcs_restore_record **out,
                                    dcs_error **out_err);

/* ------------------------------------------------------------------------- */
/* Waiting for a restore                                                     */
/* ------------------------------------------------------------------------- */

/* Called after every poll with the record as it stands; `record` is borrowed for the
 * duration of the callback. Runs on the thread that called dcs_wait_for_restore. */
typedef void (*dcs_restore_progress_fn)(void *user_data, const dcs_restore_record *record);

typedef struct dcs_wait_options dcs_wait_options;

DCS_API dcs_status dcs_wait_options_new(dcs_wait_options **out, dcs_error **out_err);
DCS_API void dcs_wait_options_free(dcs_wait_options *opts);
/* When the first poll comes (default 5000 ms): this long after the client started (or
 * adopted) the restore, when it did; at once for a restore this client did not start,
 * which may have ended long ago. Later polls are aimed just after the end that the
 * service's progress and timestamps predict, and come no closer together than
 * min(this, 1000 ms) until that end is due; while the service shows no usable progress
 * (a "waiting" record), intervals grow by half from this one. */
DCS_API dcs_status dcs_wait_options_set_poll_interval_ms(dcs_wait_options *opts, int64_t ms,
                                                         dcs_error **out_err);
/* Longest interval between two polls (default 30000 ms). */
DCS_API dcs_status dcs_wait_options_set_max_poll_interval_ms(dcs_wait_options *opts, int64_t ms,
                                                             dcs_error **out_err);
/* After "succeed", also wait until the instance reports RUNNING twice in a row. */
DCS_API dcs_status dcs_wait_options_set_wait_for_instance(dcs_wait_options *opts, int enabled,
                                                          dcs_error **out_err);
DCS_API dcs_status dcs_wait_options_set_progress_callback(dcs_wait_options *opts,
                                                          dcs_restore_progress_fn fn,
                                                          void *user_data, dcs_error **out_err);

/* Polls the restore until it reaches "succeed" (DCS_OK, the final record in *out) or
 * "failed" (DCS_E_RESTORE_FAILED; the error's service code is the record's error_code).
 * The deadline is the call's timeout; if the call sets none it is 30 minutes, not the
 * client's default. Transient polling errors are retried until the deadline. `out` may
 * be NULL when the record is not wanted. */
DCS_API dcs_status dcs_wait_for_restore(dcs_client *client, const char *instance_id,
                                        const char *restore_id, const dcs_wait_options *wait,
                                        const dcs_call_options *call, dcs_restore_record **out,
                                        dcs_error **out_err);

/* ------------------------------------------------------------------------- */
/* Backups                                                                   */
/* ------------------------------------------------------------------------- */

typedef struct dcs_backup_record dcs_backup_record;

DCS_API const char *dcs_backup_record_backup_id(const dcs_backup_record *b);
DCS_API const char *dcs_backup_record_backup_name(const dcs_backup_record *b);
DCS_API const char *dcs_backup_record_instance_id(const dcs_backup_record *b);
/* Size in bytes; -1 if the service sent none. */
DCS_API int64_t dcs_backup_record_size(const dcs_backup_record *b);
/* "manual" or "auto". */
DCS_API const char *dcs_backup_record_backup_type(const dcs_backup_record *b);
/* "waiting", "backuping", "succeed", "failed", "expired" or "deleted". */
DCS_API const char *dcs_backup_record_status(const dcs_backup_record *b);
DCS_API const char *dcs_backup_record_progress(const dcs_backup_record *b);
/* Progress in percent (0-100), -1 if the service sent none, an unparseable value or one
 * above 100 (the text getter still has what it sent). */
DCS_API double dcs_backup_record_progress_percent(const dcs_backup_record *b);
DCS_API const char *dcs_backup_record_error_code(const dcs_backup_record *b);
DCS_API const char *dcs_backup_record_remark(const dcs_backup_record *b);
/* The service's string, "TRUE" or "FALSE". */
DCS_API const char *dcs_backup_record_is_support_restore(const dcs_backup_record *b);
/* 1 when is_support_restore says TRUE (in any case), else 0: the one rule every binding uses. */
DCS_API int dcs_backup_record_restorable(const dcs_backup_record *b);
/* "rdb" or "aof". */
DCS_API const char *dcs_backup_record_backup_format(const dcs_backup_record *b);
DCS_API const char *dcs_backup_record_period(const dcs_backup_record *b);
DCS_API const char *dcs_backup_record_created_at(const dcs_backup_record *b);
DCS_API const char *dcs_backup_record_updated_at(const dcs_backup_record *b);
DCS_API const char *dcs_backup_record_execution_at(const dcs_backup_record *b);
/* The timestamps above in milliseconds since the Unix epoch; -1 if absent or unparseable. */
DCS_API int64_t dcs_backup_record_created_at_ms(const dcs_backup_record *b);
DCS_API int64_t dcs_backup_record_updated_at_ms(const dcs_backup_record *b);
DCS_API int64_t dcs_backup_record_execution_at_ms(const dcs_backup_record *b);
DCS_API void dcs_backup_record_free(dcs_backup_record *b);

typedef struct dcs_backup_list dcs_backup_list;

DCS_API size_t dcs_backup_list_count(const dcs_backup_list *list);
DCS_API const dcs_backup_record *dcs_backup_list_at(const dcs_backup_list *list, size_t index);
DCS_API void dcs_backup_list_free(dcs_backup_list *list);

/* Every backup record of the instance (all pages; an empty 204 gives an empty list). */
DCS_API dcs_status dcs_list_backups(dcs_client *client, const char *instance_id,
                                    const dcs_list_options *filter, const dcs_call_options *call,
                                    dcs_backup_list **out, dcs_error **out_err);
/* Starts a manual backup (CopyInstance). `remark` and `backup_format` ("rdb" or "aof") may
 * be NULL. Not idempotent: retried only when nothing can have started. */
DCS_API dcs_status dcs_create_backup(dcs_client *client, const char *instance_id,
                                     const char *remark, const char *backup_format,
                                     const dcs_call_options *call, char **out_backup_id,
                                     dcs_error **out_err);
DCS_API dcs_status dcs_delete_backup(dcs_client *client, const char *instance_id,
                                     const char *backup_id, const dcs_call_options *call,
                                     dcs_error **out_err);

/* ------------------------------------------------------------------------- */
/* Instances                                                                 */
/* ------------------------------------------------------------------------- */

typedef struct dcs_instance dcs_instance;

DCS_API const char *dcs_instance_instance_id(const dcs_instance *i);
DCS_API const char *dcs_instance_name(const dcs_instance *i);
/* "RUNNING", "RESTORING", "CREATING", ... (kept open). */
DCS_API const char *dcs_instance_status(const dcs_instance *i);
DCS_API const char *dcs_instance_sub_status(const dcs_instance *i);
DCS_API const char *dcs_instance_engine(const dcs_instance *i);
DCS_API const char *dcs_instance_engine_version(const dcs_instance *i);
/* "single", "ha", "ha_rw_split", "proxy" or "cluster". */
DCS_API const char *dcs_instance_cache_mode(const dcs_instance *i);
DCS_API const char *dcs_instance_product_type(const dcs_instance *i);
DCS_API const char *dcs_instance_launched_at(const dcs_instance *i);
/* launched_at in milliseconds since the Unix epoch; -1 if absent or unparseable. */
DCS_API int64_t dcs_instance_launched_at_ms(const dcs_instance *i);
/* Capacity in GB; -1 if absent. */
DCS_API int64_t dcs_instance_capacity(const dcs_instance *i);
DCS_API void dcs_instance_free(dcs_instance *i);

DCS_API dcs_status dcs_show_instance(dcs_client *client, const char *instance_id,
                                     const dcs_call_options *call, dcs_instance **out,
                                     dcs_error **out_err);

/* ------------------------------------------------------------------------- */
/* Choosing a backup by time, and a restore's dry run (since 1.2.0)          */
/* ------------------------------------------------------------------------- */

/* Which backup to restore when it is not named by id: "the newest restorable backup taken
 * before 10:00 UTC". A backup is restorable when its status is "succeed" and its
 * is_support_restore TRUE. A new selector (or NULL where one is taken) picks the newest
 * restorable backup of the instance; each filter set narrows it. One thread at a time; a
 * call copies what it needs. Since 1.2.0. */
typedef struct dcs_backup_selector dcs_backup_selector;

DCS_API dcs_status dcs_backup_selector_new(dcs_backup_selector **out, dcs_error **out_err);
DCS_API void dcs_backup_selector_free(dcs_backup_selector *sel);
/* Only backups created strictly before `epoch_ms` (milliseconds since the Unix epoch, UTC,
 * at most 9999-12-31T23:59:59.999Z); -1 clears it. The listing asks the service for this
 * window (end_time), so that only its pages are fetched. Since 1.2.0. */
DCS_API dcs_status dcs_backup_selector_set_before_ms(dcs_backup_selector *sel, int64_t epoch_ms,
                                                     dcs_error **out_err);
/* Only "manual" or only "auto" backups; NULL clears it. Since 1.2.0. */
DCS_API dcs_status dcs_backup_selector_set_backup_type(dcs_backup_selector *sel,
                                                       const char *backup_type,
                                                       dcs_error **out_err);
/* Only the backup with this backup_name (compared exactly, at most 128 bytes); NULL clears
 * it. Since 1.2.0. */
DCS_API dcs_status dcs_backup_selector_set_backup_name(dcs_backup_selector *sel,
                                                       const char *backup_name,
                                                       dcs_error **out_err);
/* Only the backup with this id (for a dry run of a restore of a named backup); NULL clears
 * it. Since 1.2.0. */
DCS_API dcs_status dcs_backup_selector_set_backup_id(dcs_backup_selector *sel,
                                                     const char *backup_id, dcs_error **out_err);

/* The newest restorable backup of `instance_id` that `sel` (NULL = none) accepts, from
 * every page of the listing. DCS_E_NOT_FOUND, with a message naming the filters, when there
 * is none. Follow it with dcs_restore_instance(..., dcs_backup_record_backup_id(*out), ...).
 * Since 1.2.0. */
DCS_API dcs_status dcs_select_backup(dcs_client *client, const char *instance_id,
                                     const dcs_backup_selector *sel, const dcs_call_options *call,
                                     dcs_backup_record **out, dcs_error **out_err);

/* What a restore would do: the instance, the backup chosen, and every pre-flight check
 * (those of dcs_call_options_set_preflight), with its verdict. Immutable; free with
 * dcs_restore_plan_free. Since 1.2.0. */
typedef struct dcs_restore_plan dcs_restore_plan;

/* A dry run of a restore of `instance_id` from the backup `sel` (NULL = the newest
 * restorable) chooses: reads the instance and the backups, runs the pre-flight checks and
 * posts nothing. DCS_OK whenever the service answered, whether or not the checks pass (see
 * dcs_restore_plan_would_start); an error when it could not be asked (DCS_E_NOT_FOUND for
 * an unknown instance). Since 1.2.0. */
DCS_API dcs_status dcs_plan_restore(dcs_client *client, const char *instance_id,
                                    const dcs_backup_selector *sel, const dcs_call_options *call,
                                    dcs_restore_plan **out, dcs_error **out_err);
/* 1 when every check passed: the restore would be posted; else 0. Since 1.2.0. */
DCS_API int dcs_restore_plan_would_start(const dcs_restore_plan *p);
/* The instance as it stands (status, cache mode, ...). Borrowed; never NULL for a plan.
 * Since 1.2.0. */
DCS_API const dcs_instance *dcs_restore_plan_instance(const dcs_restore_plan *p);
/* The backup a restore would use; when no backup that passes the filters is restorable, the
 * newest that passes them (its checks say why it cannot be used); NULL when none passes
 * them. Borrowed. Since 1.2.0. */
DCS_API const dcs_backup_record *dcs_restore_plan_backup(const dcs_restore_plan *p);
/* How old that backup is, in milliseconds by the service's clock; -1 when there is no
 * backup or its created_at is unknown. Since 1.2.0. */
DCS_API int64_t dcs_restore_plan_backup_age_ms(const dcs_restore_plan *p);
/* The checks, in the order they are made: "instance_mode", "instance_running", then
 * "backup_found" and, when a backup was found, "backup_succeeded" and "backup_restorable".
 * Names are stable; more may be added. Since 1.2.0. */
DCS_API size_t dcs_restore_plan_check_count(const dcs_restore_plan *p);
/* The check's name, "" when index >= count. Since 1.2.0. */
DCS_API const char *dcs_restore_plan_check_name(const dcs_restore_plan *p, size_t index);
/* 1 when the check passed, 0 when it failed or index >= count. Since 1.2.0. */
DCS_API int dcs_restore_plan_check_passed(const dcs_restore_plan *p, size_t index);
/* One line saying what the check found, "" when index >= count. Since 1.2.0. */
DCS_API const char *dcs_restore_plan_check_detail(const dcs_restore_plan *p, size_t index);
DCS_API void dcs_restore_plan_free(dcs_restore_plan *p);

#ifdef __cplusplus
}
#endif

#endif /* DCS_DCS_H */
