// Why SHA256_Init/Update/Final, which OpenSSL 3 marks deprecated, and not EVP:
// - Start-up. The first EVP_MD_fetch/EVP_MAC_fetch of a process activates the default
//   provider and builds its method store: about 2.7 M instructions, measured with callgrind
//   on dcsctl (docs/bench/REPORT.md, dcsctl vs curl), a one-shot command's largest cost
//   after the dynamic loader. The compression functions need no provider at all.
// - Per call. EVP_DigestInit_ex2/Update/Final and EVP_MAC_init/update/final dispatch
//   through the provider and re-check their context on every step; a signature hashes a
//   few hundred bytes, so that bookkeeping was a large share of signing.
// - HMAC is a fixed construction over the digest (RFC 2104): precomputing the pad states
//   here is what EVP_MAC's re-init does internally, without the indirection.
// They are the same OpenSSL code for the blocks themselves (SHA extensions or AVX2 chosen
// at run time), so nothing is hand-rolled but the HMAC wiring, which the RFC 4231 vectors
// in tests/core/test_signer.cpp pin down. The cost: a FIPS provider would not be used for
// these digests; the signature is an API-gateway MAC, not a FIPS-validated operation.
#define OPENSSL_SUPPRESS_DEPRECATED 1  // before any OpenSSL header: see above

#include "crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <array>
#include <cstring>

namespace dcs::core {
namespace {

constexpr size_t kBlockSize = SHA256_CBLOCK;  // 64 bytes
constexpr unsigned char kInnerPad = 0x36;
constexpr unsigned char kOuterPad = 0x5c;

using Digest = std::array<unsigned char, SHA256_DIGEST_LENGTH>;

// Of public data (the canonical request, a body): nothing to wipe afterwards.
Digest sha256(std::string_view data) {
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, data.data(), data.size());
    Digest digest{};
    SHA256_Final(digest.data(), &ctx);
    return digest;
}

// The state after absorbing one block of the key (padded with zeros) XOR `pad`.
SHA256_CTX pad_state(const std::array<unsigned char, kBlockSize>& block_key, unsigned char pad) {
    std::array<unsigned char, kBlockSize> block{};
    for (size_t i = 0; i < kBlockSize; ++i) {
        block[i] = static_cast<unsigned char>(block_key[i] ^ pad);
    }
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, block.data(), block.size());
    OPENSSL_cleanse(block.data(), block.size());
    return ctx;
}

}  // namespace

struct HmacSha256Key::PadStates {
    SHA256_CTX inner;
    SHA256_CTX outer;
};

void to_lower_hex(const unsigned char* bytes, size_t length, char* out) {
    static constexpr char kDigits[] = "0123456789abcdef";
    for (size_t i = 0; i < length; ++i) {
        out[2 * i] = kDigits[bytes[i] >> 4];
        out[2 * i + 1] = kDigits[bytes[i] & 0x0F];
    }
}

void sha256_hex(std::string_view data, char* out) {
    const Digest digest = sha256(data);
    to_lower_hex(digest.data(), digest.size(), out);
}

std::string sha256_hex(std::string_view data) {
    std::string hex(kSha256HexLength, '\0');
    sha256_hex(data, hex.data());
    return hex;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    const HmacSha256Key hmac_key(key);
    std::string hex(kSha256HexLength, '\0');
    hmac_key.hmac_hex(data, hex.data());
    return hex;
}

HmacSha256Key::HmacSha256Key(std::string_view key) {
    // RFC 2104: a key longer than a block is replaced by its digest; shorter ones are
    // padded with zeros.
    std::array<unsigned char, kBlockSize> block_key{};
    if (key.size() > kBlockSize) {
        Digest digest = sha256(key);
        std::memcpy(block_key.data(), digest.data(), digest.size());
        OPENSSL_cleanse(digest.data(), digest.size());
    } else if (!key.empty()) {
        std::memcpy(block_key.data(), key.data(), key.size());
    }
    pads_ = std::make_unique<PadStates>(
        PadStates{pad_state(block_key, kInnerPad), pad_state(block_key, kOuterPad)});
    OPENSSL_cleanse(block_key.data(), block_key.size());
}

HmacSha256Key::~HmacSha256Key() { OPENSSL_cleanse(pads_.get(), sizeof *pads_); }

void HmacSha256Key::hmac_hex(std::string_view data, char* out) const {
    // H((K ^ opad) || H((K ^ ipad) || data)), each side resumed from its precomputed state.
    SHA256_CTX ctx = pads_->inner;
    SHA256_Update(&ctx, data.data(), data.size());
    Digest inner{};
    SHA256_Final(inner.data(), &ctx);
    ctx = pads_->outer;
    SHA256_Update(&ctx, inner.data(), inner.size());
    Digest mac{};
    SHA256_Final(mac.data(), &ctx);
    OPENSSL_cleanse(&ctx, sizeof ctx);
    to_lower_hex(mac.data(), mac.size(), out);
}

}  // namespace dcs::core
