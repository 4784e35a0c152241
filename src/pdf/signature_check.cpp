/// The check of a signed PDF: qpdf finds the signature dictionaries, the raw bytes are held to
/// what they say, and crypto checks each CMS.
#include "pdf/signature_check.hpp"

// qpdf 11 without its old PointerHolder: std::shared_ptr everywhere.
#define POINTERHOLDER_TRANSITION 4

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <algorithm>
#include <set>

#include "crypto/digest.hpp"

namespace pratu::pdf {

namespace {

constexpr int kMaxFieldDepth = 32;      // /Kids nesting a real form never comes near
constexpr int kMaxFieldNodes = 10'000;  // fields and widgets visited, at most

// A signature dictionary and the name of the field whose value it is.
struct FoundSignature {
  std::string field_name;
  QPDFObjectHandle dictionary;
};

class FieldWalk {
 public:
  // False when the form is larger or deeper than any real one.
  bool walk(QPDFObjectHandle fields) { return visit_array(fields, "", false, 0); }
  std::vector<FoundSignature>& found() { return found_; }

 private:
  bool visit_array(QPDFObjectHandle array, const std::string& parent, bool parent_sig, int depth) {
    if (!array.isArray()) return true;
    const int n = array.getArrayNItems();
    for (int i = 0; i < n; ++i) {
      if (!visit(array.getArrayItem(i), parent, parent_sig, depth)) return false;
    }
    return true;
  }

  bool visit(QPDFObjectHandle field, const std::string& parent, bool parent_sig, int depth) {
    if (depth > kMaxFieldDepth || ++nodes_ > kMaxFieldNodes) return false;
    if (!field.isDictionary()) return true;
    if (field.isIndirect() && !seen_.insert(field.getObjGen()).second) return true;  // a loop
    std::string full_name = parent;
    QPDFObjectHandle partial = field.getKey("/T");
    if (partial.isString()) {
      full_name += (full_name.empty() ? "" : ".") + partial.getUTF8Value();
    }
    QPDFObjectHandle type = field.getKey("/FT");
    const bool is_sig = type.isName() ? type.getName() == "/Sig" : parent_sig;  // /FT inherits
    QPDFObjectHandle value = field.getKey("/V");
    if (is_sig && value.isDictionary()) {
      const bool repeated = value.isIndirect() && !values_.insert(value.getObjGen()).second;
      if (!repeated) found_.push_back({full_name, value});
    }
    return visit_array(field.getKey("/Kids"), full_name, is_sig, depth + 1);
  }

  std::vector<FoundSignature> found_;
  std::set<QPDFObjGen> seen_;
  std::set<QPDFObjGen> values_;
  int nodes_ = 0;
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The octets of an even run of hex digits, or nullopt when it is anything else.
std::optional<std::string> decode_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = hex_value(hex[i]);
    const int low = hex_value(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
  }
  return out;
}

// The length of the DER SEQUENCE `der` starts with (tag, length and content), when it fits.
std::optional<std::size_t> sequence_length(std::string_view der) {
  if (der.size() < 2 || der[0] != '\x30') return std::nullopt;
  const auto first = static_cast<unsigned char>(der[1]);
  std::size_t header = 2;
  std::size_t length = first;
  if (first >= 0x80) {
    const std::size_t octets = first & 0x7f;
    if (octets == 0 || octets > 4 || der.size() < 2 + octets) return std::nullopt;
    header += octets;
    length = 0;
    for (std::size_t i = 0; i < octets; ++i) {
      length = (length << 8) | static_cast<unsigned char>(der[2 + i]);
    }
  }
  if (length > der.size() - header) return std::nullopt;
  return header + length;
}

SignatureOutcome outcome_of(crypto::CmsOutcome outcome) {
  switch (outcome) {
    case crypto::CmsOutcome::valid: return SignatureOutcome::valid;
    case crypto::CmsOutcome::bad_signature: return SignatureOutcome::bad_signature;
    case crypto::CmsOutcome::digest_mismatch: return SignatureOutcome::modified;
    case crypto::CmsOutcome::untrusted_signer: return SignatureOutcome::untrusted_signer;
    case crypto::CmsOutcome::bad_timestamp: return SignatureOutcome::bad_timestamp;
  }
  return SignatureOutcome::bad_signature;
}

// Checks one signature dictionary against the raw `bytes`.
SignatureDetails check_one(std::string_view bytes, const FoundSignature& found,
                           const crypto::TrustAnchors& anchors, std::int64_t now) {
  SignatureDetails out;
  out.field_name = found.field_name;
  QPDFObjectHandle dictionary = found.dictionary;
  auto fail = [&](std::string why) {
    out.outcome = SignatureOutcome::bad_signature;
    out.why = std::move(why);
    return out;
  };
  if (QPDFObjectHandle m = dictionary.getKey("/M"); m.isString()) {
    out.signing_time = m.getUTF8Value();
  }
  QPDFObjectHandle sub_filter = dictionary.getKey("/SubFilter");
  const std::string filter = sub_filter.isName() ? sub_filter.getName() : "";
  if (filter != "/ETSI.CAdES.detached" && filter != "/adbe.pkcs7.detached") {
    return fail("a /SubFilter not checked here: " + filter);
  }

  // ByteRange: [0 b c d] with the gap [b, c) inside the file and the rest to c + d.
  QPDFObjectHandle range = dictionary.getKey("/ByteRange");
  if (!range.isArray() || range.getArrayNItems() != 4) return fail("no four-number /ByteRange");
  const auto size = static_cast<std::int64_t>(bytes.size());
  for (int i = 0; i < 4; ++i) {
    QPDFObjectHandle item = range.getArrayItem(i);
    if (!item.isInteger()) return fail("a /ByteRange entry is not an integer");
    out.byte_range[static_cast<std::size_t>(i)] = item.getIntValue();
  }
  const auto [a, b, c, d] = out.byte_range;
  if (a != 0 || b <= 0 || b > size || c <= b || c > size || d < 0 || d > size - c) {
    return fail("the /ByteRange does not describe two ranges of this file around a gap");
  }
  out.covers_whole_file = c + d == size;

  // The gap is exactly /Contents: '<', hex digits, '>', equal to the parsed string.
  const std::string_view gap =
      bytes.substr(static_cast<std::size_t>(b), static_cast<std::size_t>(c - b));
  if (gap.size() < 2 || gap.front() != '<' || gap.back() != '>') {
    return fail("the /ByteRange gap is not a hex string");
  }
  const auto cms = decode_hex(gap.substr(1, gap.size() - 2));
  if (!cms) return fail("the /ByteRange gap holds more than hex digits");
  QPDFObjectHandle contents = dictionary.getKey("/Contents");
  if (!contents.isString() || contents.getStringValue() != *cms) {
    return fail("the /ByteRange gap is not this signature's /Contents");
  }

  // The CMS, then zeros to the end of the room reserved for it.
  const auto used = sequence_length(*cms);
  if (!used) return fail("/Contents does not hold a DER signature");
  if (cms->find_first_not_of('\0', *used) != std::string::npos) {
    return fail("/Contents holds more than the signature and its zero padding");
  }

  const std::vector<std::string_view> parts = {
      bytes.substr(0, static_cast<std::size_t>(b)),
      bytes.substr(static_cast<std::size_t>(c), static_cast<std::size_t>(d))};
  const auto checked =
      crypto::verify_pades_cms(std::string_view(*cms).substr(0, *used), parts, anchors, now);
  out.outcome = outcome_of(checked.outcome);
  out.why = checked.why;
  out.signer = checked.signer;
  if (checked.timestamp) {
    out.timestamp_authority = checked.timestamp->tsa_subject;
    if (checked.timestamp->ok) out.timestamp_time = checked.timestamp->gen_time;
  }
  return out;
}

SignatureVerdict finish(SignatureVerdict verdict, SignatureOutcome outcome, std::string why) {
  verdict.outcome = outcome;
  verdict.why = std::move(why);
  return verdict;
}

}  // namespace

std::string_view to_string(SignatureOutcome outcome) {
  switch (outcome) {
    case SignatureOutcome::valid: return "valid";
    case SignatureOutcome::not_pdf: return "not_pdf";
    case SignatureOutcome::damaged: return "damaged";
    case SignatureOutcome::encrypted: return "encrypted";
    case SignatureOutcome::no_signature: return "no_signature";
    case SignatureOutcome::modified: return "modified";
    case SignatureOutcome::changed_after_signing: return "changed_after_signing";
    case SignatureOutcome::bad_signature: return "bad_signature";
    case SignatureOutcome::untrusted_signer: return "untrusted_signer";
    case SignatureOutcome::bad_timestamp: return "bad_timestamp";
  }
  return "damaged";
}

SignatureVerdict check_signed_pdf(std::string_view bytes, const crypto::TrustAnchors& anchors,
                                  std::int64_t now) {
  SignatureVerdict verdict;
  verdict.sha256 = crypto::sha256_hex(bytes);
  if (bytes.substr(0, 1024).find("%PDF-") == std::string_view::npos) {
    return finish(std::move(verdict), SignatureOutcome::not_pdf, "no %PDF- header");
  }
  try {
    QPDF qpdf;
    qpdf.setSuppressWarnings(true);
    qpdf.setAttemptRecovery(false);
    qpdf.processMemoryFile("upload", bytes.data(), bytes.size());
    if (qpdf.isEncrypted()) {
      return finish(std::move(verdict), SignatureOutcome::encrypted, "an /Encrypt dictionary");
    }
    FieldWalk walk;
    QPDFObjectHandle form = qpdf.getRoot().getKey("/AcroForm");
    if (form.isDictionary() && !walk.walk(form.getKey("/Fields"))) {
      return finish(std::move(verdict), SignatureOutcome::damaged, "a form too large or deep");
    }
    if (walk.found().empty()) {
      return finish(std::move(verdict), SignatureOutcome::no_signature, "no signature field");
    }
    for (const auto& found : walk.found()) {
      verdict.signatures.push_back(check_one(bytes, found, anchors, now));
    }
  } catch (const QPDFExc& e) {
    if (e.getErrorCode() == qpdf_e_password) {
      return finish(std::move(verdict), SignatureOutcome::encrypted, "needs a password");
    }
    return finish(std::move(verdict), SignatureOutcome::damaged, e.what());
  } catch (const std::exception& e) {
    return finish(std::move(verdict), SignatureOutcome::damaged, e.what());
  }

  // Each signature must hold for the revision it signed; the last must cover the whole file.
  std::stable_sort(verdict.signatures.begin(), verdict.signatures.end(),
                   [](const SignatureDetails& x, const SignatureDetails& y) {
    return x.byte_range[2] + x.byte_range[3] < y.byte_range[2] + y.byte_range[3];
  });
  for (const auto& signature : verdict.signatures) {
    if (signature.outcome != SignatureOutcome::valid) {
      return finish(std::move(verdict), signature.outcome,
                    signature.field_name + ": " + signature.why);
    }
  }
  if (!verdict.signatures.back().covers_whole_file) {
    return finish(std::move(verdict), SignatureOutcome::changed_after_signing,
                  "the file goes on after the last signature's range");
  }
  return finish(std::move(verdict), SignatureOutcome::valid, {});
}

}  // namespace pratu::pdf
