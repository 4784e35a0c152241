#pragma once
/// RFC 3161 timestamps for PAdES B-T (shared/reference/standards.md §3.2): a timestamp
/// authority behind one interface, the request and reply as free functions, an authority that
/// answers in this process with OpenSSL's TS_RESP_CTX (for the demo, the tests and an HTTP
/// endpoint), and the check of a token against trust anchors.

#include <openssl/ts.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "crypto/trust_anchors.hpp"

namespace pratu::crypto {

/// Pratu's test timestamp policy, in the example arc ITU-T X.660 sets aside (2.999): for the
/// demo and the tests only; a production TSA has its own policy OID.
inline constexpr std::string_view kTestTimestampPolicy = "2.999.1.3161.1";

/// Gives a TimeStampToken (DER ContentInfo) for a SHA-256 message imprint.
class TimestampAuthority {
 public:
  virtual ~TimestampAuthority() = default;

  /// The DER TimeStampToken over `sha256_imprint` (32 octets); the reply has been checked
  /// (granted, nonce echoed, imprint the same). Thread-safe.
  virtual Result<std::string> timestamp(std::string_view sha256_imprint) = 0;

  /// About how many octets a token from this authority takes, to reserve room for it.
  virtual std::size_t token_size_hint() const { return 6144; }
};

/// A TimeStampReq and the nonce it carries.
struct TimestampRequest {
  std::string der;    // TimeStampReq{version 1, messageImprint sha256, nonce, certReq TRUE}
  std::string nonce;  // the nonce's unsigned big-endian octets
};

/// The request for `sha256_imprint` (32 octets) with a 64-bit nonce from `random`.
TimestampRequest make_timestamp_request(std::string_view sha256_imprint, Random& random);

/// The TimeStampToken (DER) of a DER TimeStampResp, once its status is granted (or granted
/// with modifications) and its TSTInfo echoes `request`'s nonce and carries `sha256_imprint`
/// as a SHA-256 imprint. The token's signature is not checked here: verify_timestamp_token.
Result<std::string> token_from_response(std::string_view response_der,
                                        std::string_view sha256_imprint,
                                        const TimestampRequest& request);

/// What LocalTimestampAuthority signs with.
struct LocalTimestampSettings {
  std::filesystem::path key;          // tsa.key: PEM private key
  std::filesystem::path certificate;  // tsa.pem: extendedKeyUsage critical timeStamping
  std::filesystem::path chain;        // tsa-chain.pem: intermediates sent with each token
  std::string policy_oid = std::string(kTestTimestampPolicy);
};

/// A timestamp authority in this process: TS_RESP_CTX with SHA-256 signatures and ESS cert
/// id v2, accuracy one second, the certificate and chain in every token, serial numbers from
/// a counter that starts at a random value. Loads its key and certificates once; thread-safe.
class LocalTimestampAuthority final : public TimestampAuthority {
 public:
  /// Loads the key and certificates of `settings`; `clock` gives genTime and `random` the
  /// serial numbers' start and the nonces; both must outlive this.
  static Result<std::unique_ptr<LocalTimestampAuthority>> load(
      const LocalTimestampSettings& settings, const Clock& clock, Random& random);
  ~LocalTimestampAuthority() override;

  /// Answers a DER TimeStampReq with a DER TimeStampResp, as a TSA's HTTP endpoint would: a
  /// malformed or unacceptable request gets a rejection, not an error.
  Result<std::string> respond(std::string_view request_der);

  Result<std::string> timestamp(std::string_view sha256_imprint) override;
  std::size_t token_size_hint() const override;

 private:
  struct State;
  explicit LocalTimestampAuthority(std::unique_ptr<State> state);
  static ASN1_INTEGER* next_serial(TS_RESP_CTX* context, void* data);
  std::unique_ptr<State> state_;
};

/// What verify_timestamp_token found.
struct TimestampCheck {
  bool ok = false;
  std::string why;            // when not ok: what failed, for the log
  std::int64_t gen_time = 0;  // seconds since the epoch, from the TSTInfo
  std::string tsa_subject;    // the TSA certificate's subject, one line, UTF-8
};

/// Checks a DER TimeStampToken: version 1, a SHA-256 imprint equal to `sha256_imprint`, the
/// signature, the ESS certificate id, and the TSA's chain to one of `anchors` at `now` with
/// the timeStamping purpose.
TimestampCheck verify_timestamp_token(std::string_view token_der, std::string_view sha256_imprint,
                                      const TrustAnchors& anchors, std::int64_t now);

}  // namespace pratu::crypto
