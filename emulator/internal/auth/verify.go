// The gateway's authentication of a signed request (date, credential, token, body hash,
// signature), with a message of its own for each failure.

package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"slices"
	"time"
)

// DateLayout is the X-Sdk-Date format.
const DateLayout = "20060102T150405Z"

// MaxClockSkew is how far X-Sdk-Date may be from the emulator's clock, as on the gateway.
const MaxClockSkew = 15 * time.Minute

// The gateway's 401 codes (API Request Signing Guide, "Error Codes"): APIGW.0301
// "Incorrect IAM authentication information" for every signing fault, APIGW.0307 "The
// token must be updated." for expired temporary credentials.
const (
	CodeIAMAuth      = "APIGW.0301"
	CodeTokenExpired = "APIGW.0307"
)

// Credential is an AK/SK pair bound to one project, optionally temporary.
type Credential struct {
	AccessKey     string `json:"ak"`
	SecretKey     string `json:"sk"`
	ProjectID     string `json:"project_id"`
	SecurityToken string `json:"security_token,omitempty"`
	// ExpiresAt (RFC 3339) ends temporary credentials; after it every request is 401
	// APIGW.0307. Empty: never.
	ExpiresAt string `json:"expires_at,omitempty"`
}

// Expiry parses ExpiresAt; the zero time means never.
func (c Credential) Expiry() (time.Time, error) {
	if c.ExpiresAt == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339, c.ExpiresAt)
}

// Error is an authentication failure; Code and Message are safe to return to the client.
type Error struct{ Code, Message string }

func (e *Error) Error() string { return e.Code + ": " + e.Message }

const iamPrefix = "Incorrect IAM authentication information: "

func fail(msg string) *Error { return &Error{Code: CodeIAMAuth, Message: iamPrefix + msg} }

// Verifier checks signatures against a credential lookup and a clock.
type Verifier struct {
	Lookup func(accessKey string) (Credential, bool)
	Now    func() time.Time
}

// Result is what a verified request carries on.
type Result struct {
	Credential    Credential
	SignedHeaders []string
}

// StringToSign builds the string the client signed.
func StringToSign(sdkDate, canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return Algorithm + "\n" + sdkDate + "\n" + hex.EncodeToString(sum[:])
}

// Sign returns the hex HMAC-SHA256 of the string to sign keyed with the SK directly.
func Sign(secretKey, stringToSign string) string {
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write([]byte(stringToSign))
	return hex.EncodeToString(mac.Sum(nil))
}

// Verify authenticates r with its already-read body. It accepts exactly what the
// official signers produce: lower-case, sorted, distinct SignedHeaders that are all in
// the request; a lower-case hex signature; a security token only when signed; a body
// hash that is the hash of the body received. Each failure has its own message so a
// client author can tell what went wrong, as the real gateway's messages do.
func (v *Verifier) Verify(r *http.Request, body []byte) (Result, *Error) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return Result{}, fail("Authorization header is missing")
	}
	authz, err := ParseAuthorization(header)
	if err != nil {
		return Result{}, fail(err.Error())
	}
	sdkDate := r.Header.Get("X-Sdk-Date")
	if sdkDate == "" {
		return Result{}, fail("X-Sdk-Date header is missing")
	}
	date, err := time.Parse(DateLayout, sdkDate)
	if err != nil {
		return Result{}, fail("X-Sdk-Date is malformed, want yyyyMMddTHHmmssZ")
	}
	if skew := v.Now().Sub(date); skew > MaxClockSkew || skew < -MaxClockSkew {
		return Result{}, fail("X-Sdk-Date is more than 15 minutes away from the server time")
	}
	if !slices.Contains(authz.SignedHeaders, "x-sdk-date") {
		return Result{}, fail("x-sdk-date is not among the signed headers")
	}
	cred, ok := v.Lookup(authz.AccessKey)
	if !ok {
		return Result{}, fail("Get secretKey failed: access key " + authz.AccessKey + " is unknown")
	}
	if expiry, err := cred.Expiry(); err == nil && !expiry.IsZero() && !v.Now().Before(expiry) {
		return Result{}, &Error{Code: CodeTokenExpired, Message: "The token must be updated. The temporary access key expired at " + cred.ExpiresAt}
	}
	if e := checkSecurityToken(r, authz, cred); e != nil {
		return Result{}, e
	}
	if r.Header.Get("X-Project-Id") != "" && !slices.Contains(authz.SignedHeaders, "x-project-id") {
		return Result{}, fail("X-Project-Id is sent but not signed")
	}
	if e := checkContentHash(r, body); e != nil {
		return Result{}, e
	}
	canonical, err := CanonicalRequest(r, body, authz.SignedHeaders)
	if err != nil {
		return Result{}, fail(err.Error())
	}
	want := Sign(cred.SecretKey, StringToSign(sdkDate, canonical))
	if !hmac.Equal([]byte(want), []byte(authz.Signature)) {
		return Result{}, fail("verify aksk signature fail")
	}
	return Result{Credential: cred, SignedHeaders: authz.SignedHeaders}, nil
}

// checkSecurityToken: a token on the wire must be signed; temporary credentials need
// their own token; permanent credentials take none.
func checkSecurityToken(r *http.Request, authz Authorization, cred Credential) *Error {
	got, sent := r.Header.Get("X-Security-Token"), len(r.Header.Values("X-Security-Token")) > 0
	signed := slices.Contains(authz.SignedHeaders, "x-security-token")
	if sent && !signed {
		return fail("X-Security-Token is sent but not signed")
	}
	if cred.SecurityToken == "" {
		if sent {
			return fail("a security token is sent with a permanent access key")
		}
		return nil
	}
	if !sent || got == "" {
		return fail("temporary credentials need a signed X-Security-Token header")
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(cred.SecurityToken)) != 1 {
		return fail("the security token does not match the access key")
	}
	return nil
}

// checkContentHash: an X-Sdk-Content-Sha256 other than UNSIGNED-PAYLOAD must be the
// lower-case hex SHA-256 of the body received, or the signature would vouch for other bytes.
func checkContentHash(r *http.Request, body []byte) *Error {
	v := r.Header.Get("X-Sdk-Content-Sha256")
	if v == "" || v == "UNSIGNED-PAYLOAD" || len(body) == 0 {
		return nil
	}
	sum := sha256.Sum256(body)
	if v != hex.EncodeToString(sum[:]) {
		return fail("X-Sdk-Content-Sha256 is not the SHA-256 of the body")
	}
	return nil
}
