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

// Credential is an AK/SK pair bound to one project, optionally temporary.
type Credential struct {
	AccessKey     string `json:"ak"`
	SecretKey     string `json:"sk"`
	ProjectID     string `json:"project_id"`
	SecurityToken string `json:"security_token,omitempty"`
}

// Error is an authentication failure; Message is safe to return to the client.
type Error struct{ Message string }

func (e *Error) Error() string { return e.Message }

func fail(msg string) *Error { return &Error{Message: msg} }

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

// Verify authenticates r with its already-read body. Each failure has its own message
// so a client author can tell what went wrong, as the real gateway's messages do.
func (v *Verifier) Verify(r *http.Request, body []byte) (Result, *Error) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return Result{}, fail("Incorrect IAM authentication information: Authorization header is missing")
	}
	authz, err := ParseAuthorization(header)
	if err != nil {
		return Result{}, fail("Incorrect IAM authentication information: " + err.Error())
	}
	sdkDate := r.Header.Get("X-Sdk-Date")
	if sdkDate == "" {
		return Result{}, fail("Incorrect IAM authentication information: X-Sdk-Date header is missing")
	}
	date, err := time.Parse(DateLayout, sdkDate)
	if err != nil {
		return Result{}, fail("Incorrect IAM authentication information: X-Sdk-Date is malformed, want yyyyMMddTHHmmssZ")
	}
	if skew := v.Now().Sub(date); skew > MaxClockSkew || skew < -MaxClockSkew {
		return Result{}, fail("Incorrect IAM authentication information: X-Sdk-Date is more than 15 minutes away from the server time")
	}
	if !slices.Contains(authz.SignedHeaders, "x-sdk-date") {
		return Result{}, fail("Incorrect IAM authentication information: x-sdk-date is not among the signed headers")
	}
	cred, ok := v.Lookup(authz.AccessKey)
	if !ok {
		return Result{}, fail("Incorrect IAM authentication information: access key " + authz.AccessKey + " is unknown")
	}
	if cred.SecurityToken != "" {
		got := r.Header.Get("X-Security-Token")
		if !slices.Contains(authz.SignedHeaders, "x-security-token") || got == "" {
			return Result{}, fail("Incorrect IAM authentication information: temporary credentials need a signed X-Security-Token header")
		}
		if subtle.ConstantTimeCompare([]byte(got), []byte(cred.SecurityToken)) != 1 {
			return Result{}, fail("Incorrect IAM authentication information: the security token does not match the access key")
		}
	}
	canonical, err := CanonicalRequest(r, body, authz.SignedHeaders)
	if err != nil {
		return Result{}, fail("Incorrect IAM authentication information: " + err.Error())
	}
	want := Sign(cred.SecretKey, StringToSign(sdkDate, canonical))
	if !hmac.Equal([]byte(want), []byte(authz.Signature)) {
		return Result{}, fail("Incorrect IAM authentication information: verify aksk signature fail")
	}
	return Result{Credential: cred, SignedHeaders: authz.SignedHeaders}, nil
}
