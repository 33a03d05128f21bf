// SHA-256 and HMAC-SHA256 as the request signer needs them, rendered as lower-case hex.
//
// OpenSSL 3 makes the convenient one-shot calls (EVP_Digest with EVP_sha256(), HMAC()) look
// the algorithm up, allocate and key a context on every call: more work than hashing a few
// hundred bytes. HmacSha256Key does that once per key instead: it fetches SHA2-256 and HMAC
// once, computes the key's HMAC pads once, and hands out Contexts that are reset, not rebuilt,
// for each signature.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

// OpenSSL's opaque types, so that this header does not pull in <openssl/evp.h>.
struct evp_md_st;
struct evp_md_ctx_st;
struct evp_mac_st;
struct evp_mac_ctx_st;

namespace dcs::core {

// Hex digits of a SHA-256 digest (and of an HMAC-SHA256).
constexpr size_t kSha256HexLength = 64;

// Writes the 2 * `length` lower-case hex digits of `bytes` to `out`.
void to_lower_hex(const unsigned char* bytes, size_t length, char* out);

// Lower-case hex SHA-256 of `data`. Convenience for one-off use; signing uses Contexts.
std::string sha256_hex(std::string_view data);

// Lower-case hex HMAC-SHA256 of `data` under `key`. Convenience for one-off use.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// One HMAC key with the algorithms fetched and the key schedule computed. Thread-safe: many
// threads may call new_contexts() at once; each Contexts belongs to one thread at a time.
// Failures inside OpenSSL can only be allocation failures here and throw std::bad_alloc.
class HmacSha256Key {
   public:
    explicit HmacSha256Key(std::string_view key);
    ~HmacSha256Key();
    HmacSha256Key(const HmacSha256Key&) = delete;
    HmacSha256Key& operator=(const HmacSha256Key&) = delete;

    // The digest contexts of one signature at a time: a SHA-256 context and a copy of the
    // keyed HMAC context (it shares nothing mutable with the key or other copies). Reused
    // across signatures; not thread-safe.
    class Contexts {
       public:
        ~Contexts();
        Contexts(const Contexts&) = delete;
        Contexts& operator=(const Contexts&) = delete;

        // SHA-256 of `data` as kSha256HexLength hex digits written to `out`.
        void sha256_hex(std::string_view data, char* out);
        // HMAC-SHA256 of `data` under the key, as kSha256HexLength hex digits written to `out`.
        void hmac_hex(std::string_view data, char* out);

       private:
        friend class HmacSha256Key;
        Contexts(const evp_md_st* md, evp_md_ctx_st* md_ctx, evp_mac_ctx_st* mac_ctx)
            : md_(md), md_ctx_(md_ctx), mac_ctx_(mac_ctx) {}
        const evp_md_st* md_;  // owned by the HmacSha256Key, which outlives its Contexts
        evp_md_ctx_st* md_ctx_;
        evp_mac_ctx_st* mac_ctx_;
    };

    // A fresh set of contexts for this key. The key must outlive it.
    [[nodiscard]] std::unique_ptr<Contexts> new_contexts() const;

   private:
    evp_md_st* md_ = nullptr;
    evp_mac_st* mac_ = nullptr;
    evp_mac_ctx_st* keyed_ = nullptr;  // the template every Contexts copies
    // OpenSSL documents no thread safety for copying one context from several threads.
    mutable std::mutex keyed_mu_;
};

}  // namespace dcs::core
