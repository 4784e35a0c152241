#include "domains/documents/signing_keys.hpp"

#include <fstream>
#include <sstream>

#include "common/files.hpp"
#include "pdf/pdf_signer.hpp"

namespace pratu::documents {

namespace {

// The hex (upper case) of a DER INTEGER's value octets, without the sign octet, as OpenSSL
// writes a serial number.
std::string serial_hex(std::string_view der) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (der.size() < 2) return {};
  std::size_t at = 2;
  if (static_cast<unsigned char>(der[1]) & 0x80) at += static_cast<unsigned char>(der[1]) & 0x7F;
  if (at + 1 < der.size() && der[at] == 0 && (static_cast<unsigned char>(der[at + 1]) & 0x80)) {
    ++at;
  }
  std::string out;
  for (; at < der.size(); ++at) {
    const auto b = static_cast<unsigned char>(der[at]);
    out += kHex[b >> 4];
    out += kHex[b & 0x0F];
  }
  return out;
}

// The first line of `path`, trimmed; empty when there is no such file.
std::string first_line(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

}  // namespace

SigningKeys::SigningKeys(std::filesystem::path pki_dir, const Clock& clock, Random& random,
                         std::unique_ptr<crypto::TimestampAuthority> timestamp)
    : dir_(std::move(pki_dir)), clock_(clock), random_(random), timestamp_(std::move(timestamp)) {}

SigningKeys::~SigningKeys() = default;

Result<crypto::Signer*> SigningKeys::signer(std::string_view agency) {
  std::lock_guard lock(mutex_);
  if (auto it = signers_.find(agency); it != signers_.end()) return it->second.get();
  const auto base = dir_ / "agencies" / std::string(agency);
  // A token's key is named by a pkcs11: URI in <code>.uri; otherwise the key file.
  std::string key = first_line(base.string() + ".uri");
  if (key.empty()) key = base.string() + ".key";
  auto loaded = crypto::FileSigner::load(key, base.string() + "-chain.pem");
  if (!loaded) {
    auto error = loaded.error();
    error.detail = "the signing key of agency " + std::string(agency) + ": " + error.detail;
    return error;
  }
  auto* signer = loaded->get();
  signers_.emplace(std::string(agency), std::move(*loaded));
  return signer;
}

Result<crypto::TimestampAuthority*> SigningKeys::timestamper() {
  std::lock_guard lock(mutex_);
  if (timestamp_) return timestamp_.get();
  crypto::LocalTimestampSettings settings;
  settings.key = dir_ / "tsa.key";
  settings.certificate = dir_ / "tsa.pem";
  settings.chain = dir_ / "tsa-chain.pem";
  PRATU_TRY(local, crypto::LocalTimestampAuthority::load(settings, clock_, random_));
  timestamp_ = std::move(local);
  return timestamp_.get();
}

Result<SignedPdf> SigningKeys::sign(std::string_view agency, std::string_view pdf,
                                    const SignatureText& text, std::int64_t at) {
  PRATU_TRY(signer, this->signer(agency));
  PRATU_TRY(tsa, timestamper());
  pdf::SignatureFields fields;
  fields.name = text.name;
  fields.reason = text.reason;
  fields.location = text.location;
  fields.signing_time = at;
  PRATU_TRY(signed_bytes, pdf::sign_pdf(pdf, *signer, tsa, fields));
  return SignedPdf{std::move(signed_bytes), serial_hex(signer->identity().serial_der)};
}

Result<std::string> SigningKeys::signer_serial(std::string_view agency) {
  PRATU_TRY(signer, this->signer(agency));
  return serial_hex(signer->identity().serial_der);
}

Result<std::string> SigningKeys::issuing_crl(const std::vector<crypto::RevokedCertificate>& revoked,
                                             std::int64_t now) {
  crypto::KeyAndCertificate issuer;
  auto key = read_file(dir_ / "issuing-ca.key");
  auto certificate = read_file(dir_ / "issuing-ca.pem");
  if (!key || !certificate) return Error::not_found("no issuing CA key in the key directory");
  issuer.key_pem = std::move(*key);
  issuer.certificate_pem = std::move(*certificate);
  // A new CRL each day at the latest; its number counts the withdrawals it lists.
  return crypto::make_crl(issuer, revoked, now, now + 24 * 3600,
                          static_cast<std::int64_t>(revoked.size()) + 1);
}

Result<const crypto::TrustAnchors*> SigningKeys::anchors() {
  std::lock_guard lock(mutex_);
  if (!anchors_) {
    // The signature carries its intermediates; an issuing CA kept beside the root helps too.
    const auto issuing = dir_ / "issuing-ca.pem";
    PRATU_TRY(loaded, crypto::TrustAnchors::from_files(
                          dir_ / "root-ca.pem",
                          std::filesystem::exists(issuing) ? issuing : std::filesystem::path()));
    anchors_.emplace(std::move(loaded));
  }
  return &*anchors_;
}

}  // namespace pratu::documents
