/// RFC 3161 with OpenSSL's TS API: requests in DER, replies checked, a local authority.
#include "crypto/timestamp.hpp"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <ctime>

#include "common/files.hpp"
#include "crypto/der.hpp"
#include "crypto/openssl_handles.hpp"

namespace pratu::crypto {

namespace {

constexpr std::string_view kSha256 = "2.16.840.1.101.3.4.2.1";
constexpr std::size_t kNonceBytes = 8;
constexpr std::size_t kSerialPrefixBytes = 8;

std::string string_of(const ASN1_STRING* value) {
  if (value == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                     static_cast<std::size_t>(ASN1_STRING_length(value)));
}

// True when the TSTInfo's imprint is SHA-256 of the same octets.
bool imprint_matches(TS_TST_INFO* info, std::string_view sha256_imprint) {
  TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(info);
  if (imprint == nullptr) return false;
  const X509_ALGOR* algorithm = TS_MSG_IMPRINT_get_algo(imprint);
  if (algorithm == nullptr || OBJ_obj2nid(algorithm->algorithm) != NID_sha256) return false;
  return string_of(TS_MSG_IMPRINT_get_msg(imprint)) == sha256_imprint;
}

std::int64_t seconds_of(const ASN1_GENERALIZEDTIME* time) {
  std::tm parts{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &parts) != 1) return 0;
  return static_cast<std::int64_t>(timegm(&parts));
}

std::string one_line(X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
    return {};
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string der_of_token(PKCS7* token) {
  unsigned char* der = nullptr;
  const int length = i2d_PKCS7(token, &der);
  if (length <= 0) return {};
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

Pkcs7Ptr token_from_der(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  return Pkcs7Ptr(d2i_PKCS7(nullptr, &p, static_cast<long>(der.size())));
}

}  // namespace

TimestampRequest make_timestamp_request(std::string_view sha256_imprint, Random& random) {
  TimestampRequest out;
  out.nonce = random.bytes(kNonceBytes);
  out.nonce.erase(0, out.nonce.find_first_not_of('\0'));  // as the TSTInfo's INTEGER holds it
  if (out.nonce.empty()) out.nonce = "\x01";
  const std::string message_imprint = der::sequence(
      {der::sequence({der::oid(kSha256), der::null()}), der::octet_string(sha256_imprint)});
  out.der = der::sequence(
      {der::integer(1), message_imprint, der::unsigned_integer(out.nonce), der::boolean(true)});
  return out;
}

Result<std::string> token_from_response(std::string_view response_der,
                                        std::string_view sha256_imprint,
                                        const TimestampRequest& request) {
  const auto* p = reinterpret_cast<const unsigned char*>(response_der.data());
  TsRespPtr response(d2i_TS_RESP(nullptr, &p, static_cast<long>(response_der.size())));
  if (!response) {
    ERR_clear_error();
    return Error::unavailable("timestamp: the reply is not a TimeStampResp");
  }
  const long status =
      ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(response.get())));
  if (status != TS_STATUS_GRANTED && status != TS_STATUS_GRANTED_WITH_MODS) {
    return Error::unavailable("timestamp: the authority refused, status " + std::to_string(status));
  }
  PKCS7* token = TS_RESP_get_token(response.get());
  TS_TST_INFO* info = TS_RESP_get_tst_info(response.get());
  if (token == nullptr || info == nullptr) {
    return Error::unavailable("timestamp: a granted reply without a token");
  }
  if (TS_TST_INFO_get_version(info) != 1) {
    return Error::unavailable("timestamp: the token is not version 1");
  }
  const ASN1_INTEGER* nonce = TS_TST_INFO_get_nonce(info);
  if (nonce == nullptr || ASN1_STRING_type(nonce) != V_ASN1_INTEGER ||
      string_of(nonce) != request.nonce) {
    return Error::unavailable("timestamp: the reply does not echo the request's nonce");
  }
  if (!imprint_matches(info, sha256_imprint)) {
    return Error::unavailable("timestamp: the token is for another imprint");
  }
  std::string der = der_of_token(token);
  if (der.empty()) return openssl_error("encoding the timestamp token");
  return der;
}

struct LocalTimestampAuthority::State {
  KeyPtr key;
  CertificatePtr certificate;
  CertificateStackPtr chain;  // sent with each token, after the TSA's own certificate
  std::unique_ptr<ASN1_OBJECT, OpensslFree<ASN1_OBJECT, ASN1_OBJECT_free>> policy;
  const Clock* clock = nullptr;
  Random* random = nullptr;
  std::string serial_prefix;  // random, fixed for this process
  std::atomic<std::uint64_t> counter{0};
  std::size_t token_size = 0;
};

namespace {

// TS_time_cb: the injected clock.
int clock_time(TS_RESP_CTX*, void* data, long* seconds, long* microseconds) {
  const auto* clock = static_cast<const Clock*>(data);
  const auto since_epoch =
      std::chrono::duration_cast<std::chrono::microseconds>(clock->now().time_since_epoch())
          .count();
  *seconds = static_cast<long>(since_epoch / 1'000'000);
  *microseconds = static_cast<long>(since_epoch % 1'000'000);
  return 1;
}

}  // namespace

// TS_serial_cb: the random prefix and the next counter value, 128 bits, positive.
ASN1_INTEGER* LocalTimestampAuthority::next_serial(TS_RESP_CTX* context, void* data) {
  auto* state = static_cast<State*>(data);
  const std::uint64_t n = state->counter.fetch_add(1, std::memory_order_relaxed);
  std::string bytes = state->serial_prefix;
  for (int shift = 56; shift >= 0; shift -= 8) bytes.push_back(static_cast<char>(n >> shift));
  BignumPtr number(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                             static_cast<int>(bytes.size()), nullptr));
  ASN1_INTEGER* serial = number ? BN_to_ASN1_INTEGER(number.get(), nullptr) : nullptr;
  if (serial == nullptr) {
    TS_RESP_CTX_set_status_info(context, TS_STATUS_REJECTION, "no serial number");
    TS_RESP_CTX_add_failure_info(context, TS_INFO_ADD_INFO_NOT_AVAILABLE);
  }
  return serial;
}

LocalTimestampAuthority::LocalTimestampAuthority(std::unique_ptr<State> state)
    : state_(std::move(state)) {}

LocalTimestampAuthority::~LocalTimestampAuthority() = default;

Result<std::unique_ptr<LocalTimestampAuthority>> LocalTimestampAuthority::load(
    const LocalTimestampSettings& settings, const Clock& clock, Random& random) {
  auto state = std::make_unique<State>();
  PRATU_TRY(key, load_private_key(settings.key.string()));
  state->key = std::move(key);
  PRATU_TRY(certificate_pem, read_file(settings.certificate));
  PRATU_TRY(certificates, read_pem_certificates(certificate_pem));
  state->certificate = std::move(certificates.front());
  if (X509_check_private_key(state->certificate.get(), state->key.get()) != 1) {
    return openssl_error("the timestamp key is not its certificate's");
  }
  if (X509_check_purpose(state->certificate.get(), X509_PURPOSE_TIMESTAMP_SIGN, 0) != 1) {
    ERR_clear_error();
    return Error::internal("the timestamp certificate is not for timestamping");
  }
  const std::string own_der = der_of(state->certificate.get());
  state->token_size = own_der.size();
  state->chain.reset(sk_X509_new_null());
  if (!state->chain) return openssl_error("allocating the chain");
  if (!settings.chain.empty()) {
    PRATU_TRY(chain_pem, read_file(settings.chain));
    PRATU_TRY(chain, read_pem_certificates(chain_pem));
    for (auto& certificate : chain) {
      const std::string der = der_of(certificate.get());
      if (der == own_der || is_self_signed(certificate.get())) continue;
      state->token_size += der.size();
      if (sk_X509_push(state->chain.get(), certificate.get()) <= 0) {
        return openssl_error("building the chain");
      }
      certificate.release();
    }
  }
  // The TSTInfo, ESS attributes and signature: well under 1.5 KiB for EC and RSA-4096 keys.
  state->token_size += 1536;
  state->policy.reset(OBJ_txt2obj(settings.policy_oid.c_str(), 1));
  if (!state->policy) return Error::internal("not a policy OID: " + settings.policy_oid);
  state->clock = &clock;
  state->random = &random;
  state->serial_prefix = random.bytes(kSerialPrefixBytes);
  state->serial_prefix[0] = static_cast<char>((state->serial_prefix[0] & 0x7f) | 0x40);
  std::uint64_t start = 0;
  for (char c : random.bytes(4)) start = (start << 8) | static_cast<unsigned char>(c);
  state->counter.store(start);
  return std::unique_ptr<LocalTimestampAuthority>(new LocalTimestampAuthority(std::move(state)));
}

Result<std::string> LocalTimestampAuthority::respond(std::string_view request_der) {
  // A context per request: TS_RESP_CTX holds the request and reply while it works.
  TsRespContextPtr context(TS_RESP_CTX_new_ex(nullptr, nullptr));
  if (!context) return openssl_error("allocating a timestamp context");
  TS_RESP_CTX* c = context.get();
  if (TS_RESP_CTX_set_signer_cert(c, state_->certificate.get()) != 1 ||
      TS_RESP_CTX_set_signer_key(c, state_->key.get()) != 1 ||
      TS_RESP_CTX_set_certs(c, state_->chain.get()) != 1 ||
      TS_RESP_CTX_set_def_policy(c, state_->policy.get()) != 1 ||
      TS_RESP_CTX_add_md(c, EVP_sha256()) != 1 || TS_RESP_CTX_add_md(c, EVP_sha384()) != 1 ||
      TS_RESP_CTX_add_md(c, EVP_sha512()) != 1 || TS_RESP_CTX_set_accuracy(c, 1, 0, 0) != 1 ||
      TS_RESP_CTX_set_signer_digest(c, EVP_sha256()) != 1 ||
      TS_RESP_CTX_set_ess_cert_id_digest(c, EVP_sha256()) != 1) {
    return openssl_error("setting up the timestamp context");
  }
  TS_RESP_CTX_set_serial_cb(c, next_serial, state_.get());
  TS_RESP_CTX_set_time_cb(c, clock_time, const_cast<Clock*>(state_->clock));
  BioPtr request(BIO_new_mem_buf(request_der.data(), static_cast<int>(request_der.size())));
  if (!request) return openssl_error("reading the timestamp request");
  TsRespPtr response(TS_RESP_create_response(c, request.get()));
  if (!response) return openssl_error("making the timestamp reply");
  ERR_clear_error();  // a rejected request leaves its reason queued; the reply carries it
  unsigned char* der = nullptr;
  const int length = i2d_TS_RESP(response.get(), &der);
  if (length <= 0) return openssl_error("encoding the timestamp reply");
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

Result<std::string> LocalTimestampAuthority::timestamp(std::string_view sha256_imprint) {
  if (sha256_imprint.size() != 32) return Error::internal("a SHA-256 imprint has 32 octets");
  const TimestampRequest request = make_timestamp_request(sha256_imprint, *state_->random);
  PRATU_TRY(response, respond(request.der));
  return token_from_response(response, sha256_imprint, request);
}

std::size_t LocalTimestampAuthority::token_size_hint() const { return state_->token_size; }

TimestampCheck verify_timestamp_token(std::string_view token_der, std::string_view sha256_imprint,
                                      const TrustAnchors& anchors, std::int64_t now) {
  TimestampCheck out;
  Pkcs7Ptr token = token_from_der(token_der);
  if (!token || !PKCS7_type_is_signed(token.get()) || token->d.sign == nullptr) {
    ERR_clear_error();
    out.why = "not a timestamp token";
    return out;
  }
  TstInfoPtr info(PKCS7_to_TS_TST_INFO(token.get()));
  if (!info) {
    ERR_clear_error();
    out.why = "the token holds no TSTInfo";
    return out;
  }
  out.gen_time = seconds_of(TS_TST_INFO_get_time(info.get()));
  CertificateStackPtr untrusted(anchors.new_untrusted(token->d.sign->cert));
  if (STACK_OF(X509)* signers = PKCS7_get0_signers(token.get(), untrusted.get(), 0)) {
    if (sk_X509_num(signers) == 1) {
      out.tsa_subject = one_line(X509_get_subject_name(sk_X509_value(signers, 0)));
    }
    sk_X509_free(signers);
  }
  ERR_clear_error();
  if (!imprint_matches(info.get(), sha256_imprint)) {
    out.why = "the timestamp is not over this signature (message imprint differs)";
    return out;
  }
  if (out.gen_time <= 0 || out.gen_time > now + 300) {
    out.why = "the timestamp's time is unreadable or in the future";
    return out;
  }

  // TS_RESP_verify_token does not look at the signature algorithm's name: only ECDSA and RSA
  // with the SHA-2 family are taken.
  STACK_OF(PKCS7_SIGNER_INFO)* signer_infos = PKCS7_get_signer_info(token.get());
  if (signer_infos == nullptr || sk_PKCS7_SIGNER_INFO_num(signer_infos) != 1) {
    out.why = "the token has not exactly one signer";
    return out;
  }
  X509_ALGOR* signature_algorithm = nullptr;
  PKCS7_SIGNER_INFO_get0_algs(sk_PKCS7_SIGNER_INFO_value(signer_infos, 0), nullptr, nullptr,
                              &signature_algorithm);
  if (!accepted_signature_algorithm(signature_algorithm)) {
    out.why = "the token's signature algorithm is not accepted";
    return out;
  }

  TsVerifyContextPtr context(TS_VERIFY_CTX_new());
  X509_STORE* store = anchors.new_store(now);
  if (!context || store == nullptr || !untrusted) {
    X509_STORE_free(store);
    out.why = "out of memory";
    return out;
  }
  TS_VERIFY_CTX_set_flags(context.get(),
                          TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_IMPRINT | TS_VFY_SIGNER);
  TS_VERIFY_CTX_set_store(context.get(), store);                // the context owns it now
  TS_VERIFY_CTX_set_certs(context.get(), untrusted.release());  // and these
  auto* imprint = static_cast<unsigned char*>(OPENSSL_malloc(sha256_imprint.size()));
  if (imprint == nullptr) {
    out.why = "out of memory";
    return out;
  }
  std::memcpy(imprint, sha256_imprint.data(), sha256_imprint.size());
  TS_VERIFY_CTX_set_imprint(context.get(), imprint, static_cast<long>(sha256_imprint.size()));
  if (TS_RESP_verify_token(context.get(), token.get()) != 1) {
    out.why = "the timestamp does not verify: " + take_openssl_errors();
    return out;
  }
  ERR_clear_error();
  out.ok = true;
  return out;
}

}  // namespace pratu::crypto
