#include "crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <new>

namespace dcs::core {
namespace {

// With the built-in default provider these calls only fail when an allocation fails. The
// core's contract lets std::bad_alloc (and nothing else) escape, and the C layer maps it to
// DCS_NOMEM, so that is what a failure becomes.
[[noreturn]] void fail_out_of_memory() { throw std::bad_alloc(); }

void check(int openssl_result) {
    if (openssl_result != 1) fail_out_of_memory();
}

// HMAC with an empty key must still be given a valid address.
const unsigned char* key_bytes(std::string_view key) {
    static const unsigned char kEmpty = 0;
    return key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
}

}  // namespace

void to_lower_hex(const unsigned char* bytes, size_t length, char* out) {
    static constexpr char kDigits[] = "0123456789abcdef";
    for (size_t i = 0; i < length; ++i) {
        out[2 * i] = kDigits[bytes[i] >> 4];
        out[2 * i + 1] = kDigits[bytes[i] & 0x0F];
    }
}

std::string sha256_hex(std::string_view data) {
    const HmacSha256Key unused_key{std::string_view()};
    std::string hex(kSha256HexLength, '\0');
    unused_key.new_contexts()->sha256_hex(data, hex.data());
    return hex;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    const HmacSha256Key hmac_key(key);
    std::string hex(kSha256HexLength, '\0');
    hmac_key.new_contexts()->hmac_hex(data, hex.data());
    return hex;
}

HmacSha256Key::HmacSha256Key(std::string_view key) {
    // Fetched explicitly, once: EVP_sha256() and HMAC() would look both up on every call.
    md_ = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
    mac_ = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    keyed_ = mac_ != nullptr ? EVP_MAC_CTX_new(mac_) : nullptr;
    if (md_ == nullptr || keyed_ == nullptr) {
        EVP_MAC_CTX_free(keyed_);
        EVP_MAC_free(mac_);
        EVP_MD_free(md_);
        fail_out_of_memory();
    }
    char digest_name[] = "SHA2-256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_end()};
    // Keying computes the inner and outer pad blocks; every signature starts from them.
    if (EVP_MAC_init(keyed_, key_bytes(key), key.size(), params) != 1) {
        EVP_MAC_CTX_free(keyed_);
        EVP_MAC_free(mac_);
        EVP_MD_free(md_);
        fail_out_of_memory();
    }
}

HmacSha256Key::~HmacSha256Key() {
    EVP_MAC_CTX_free(keyed_);
    EVP_MAC_free(mac_);
    EVP_MD_free(md_);
}

std::unique_ptr<HmacSha256Key::Contexts> HmacSha256Key::new_contexts() const {
    EVP_MD_CTX* md_ctx = EVP_MD_CTX_new();
    EVP_MAC_CTX* mac_ctx = nullptr;
    {
        std::lock_guard<std::mutex> lock(keyed_mu_);
        mac_ctx = EVP_MAC_CTX_dup(keyed_);
    }
    if (md_ctx == nullptr || mac_ctx == nullptr) {
        EVP_MD_CTX_free(md_ctx);
        EVP_MAC_CTX_free(mac_ctx);
        fail_out_of_memory();
    }
    // Not make_unique: the constructor is private to this class.
    return std::unique_ptr<Contexts>(new Contexts(md_, md_ctx, mac_ctx));
}

HmacSha256Key::Contexts::~Contexts() {
    EVP_MAC_CTX_free(mac_ctx_);
    EVP_MD_CTX_free(md_ctx_);
}

void HmacSha256Key::Contexts::sha256_hex(std::string_view data, char* out) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    // Re-initialising a context that already holds this digest reuses its allocation.
    check(EVP_DigestInit_ex2(md_ctx_, md_, nullptr));
    check(EVP_DigestUpdate(md_ctx_, data.data(), data.size()));
    check(EVP_DigestFinal_ex(md_ctx_, digest, &length));
    to_lower_hex(digest, length, out);
}

void HmacSha256Key::Contexts::hmac_hex(std::string_view data, char* out) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t length = 0;
    // No key: restart from the pads computed when the key was set, instead of re-keying.
    check(EVP_MAC_init(mac_ctx_, nullptr, 0, nullptr));
    check(
        EVP_MAC_update(mac_ctx_, reinterpret_cast<const unsigned char*>(data.data()), data.size()));
    check(EVP_MAC_final(mac_ctx_, mac, &length, sizeof mac));
    to_lower_hex(mac, length, out);
}

}  // namespace dcs::core
