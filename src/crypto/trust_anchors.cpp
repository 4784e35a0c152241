/// Trust anchors: the roots and intermediates, held once, turned into a store per check.
#include "crypto/trust_anchors.hpp"

#include <vector>

#include "common/files.hpp"
#include "crypto/openssl_handles.hpp"

namespace pratu::crypto {

struct TrustAnchors::Certificates {
  std::vector<CertificatePtr> roots;
  std::vector<CertificatePtr> intermediates;
};

TrustAnchors::TrustAnchors(std::shared_ptr<const Certificates> certificates)
    : certificates_(std::move(certificates)) {}

Result<TrustAnchors> TrustAnchors::from_pem(std::string_view roots_pem,
                                            std::string_view intermediates_pem) {
  auto certificates = std::make_shared<Certificates>();
  PRATU_TRY(roots, read_pem_certificates(roots_pem));
  for (auto& root : roots) {
    if (!is_self_signed(root.get())) {
      return Error::internal("a trust anchor is not a self-signed root certificate");
    }
    certificates->roots.push_back(std::move(root));
  }
  if (!intermediates_pem.empty()) {
    PRATU_TRY(intermediates, read_pem_certificates(intermediates_pem));
    certificates->intermediates = std::move(intermediates);
  }
  return TrustAnchors(std::move(certificates));
}

Result<TrustAnchors> TrustAnchors::from_files(const std::filesystem::path& roots,
                                              const std::filesystem::path& intermediates) {
  PRATU_TRY(roots_pem, read_file(roots));
  std::string intermediates_pem;
  if (!intermediates.empty()) {
    PRATU_TRY(text, read_file(intermediates));
    intermediates_pem = std::move(text);
  }
  return from_pem(roots_pem, intermediates_pem);
}

X509_STORE* TrustAnchors::new_store(std::int64_t at) const {
  StorePtr store(X509_STORE_new());
  if (!store) return nullptr;
  for (const auto& root : certificates_->roots) {
    if (X509_STORE_add_cert(store.get(), root.get()) != 1) return nullptr;
  }
  X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store.get()), static_cast<time_t>(at));
  return store.release();
}

STACK_OF(X509) * TrustAnchors::new_untrusted(const STACK_OF(X509) * extra) const {
  CertificateStackPtr stack(sk_X509_new_null());
  if (!stack) return nullptr;
  auto push = [&](X509* certificate) {
    if (X509_up_ref(certificate) != 1) return false;
    if (sk_X509_push(stack.get(), certificate) <= 0) {
      X509_free(certificate);
      return false;
    }
    return true;
  };
  for (const auto& certificate : certificates_->intermediates) {
    if (!push(certificate.get())) return nullptr;
  }
  for (int i = 0; extra != nullptr && i < sk_X509_num(extra); ++i) {
    if (!push(sk_X509_value(extra, i))) return nullptr;
  }
  return stack.release();
}

}  // namespace pratu::crypto
