/// The signature update: read the input with qpdf, append the objects as text, patch the
/// ByteRange and the CMS into their placeholders.
#include "pdf/pdf_signer.hpp"

// qpdf 11 without its old PointerHolder: std::shared_ptr everywhere.
#define POINTERHOLDER_TRANSITION 4

#include <openssl/evp.h>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <vector>

#include "crypto/digest.hpp"

namespace pratu::pdf {

namespace {

constexpr std::size_t kByteRangeDigits = 10;  // up to 9,999,999,999 octets
constexpr int kThaiOffsetSeconds = 7 * 3600;

Error refused(std::string detail) {
  return Error{ErrorCode::invalid_input, "errors.invalid_input", std::move(detail), {}, 0};
}

// The offset the last `startxref` gives, once it points at a classic `xref` table.
Result<std::size_t> last_classic_xref(std::string_view pdf) {
  const std::size_t tail = pdf.size() > 1024 ? pdf.size() - 1024 : 0;
  const std::size_t keyword = pdf.rfind("startxref");
  if (keyword == std::string_view::npos || keyword < tail) {
    return refused("no startxref at the end of the file");
  }
  std::size_t at = keyword + 9;
  while (at < pdf.size() && (pdf[at] == ' ' || pdf[at] == '\r' || pdf[at] == '\n')) ++at;
  std::size_t offset = 0;
  const auto [end, error] = std::from_chars(pdf.data() + at, pdf.data() + pdf.size(), offset);
  if (error != std::errc() || end == pdf.data() + at || offset >= pdf.size()) {
    return refused("startxref does not give an offset in the file");
  }
  if (pdf.substr(offset, 4) != "xref") {
    return refused("the file ends with a cross-reference stream; write it with a classic table");
  }
  return offset;
}

std::string name(const std::string& key) { return QPDFObjectHandle::newName(key).unparse(); }

std::string text(const std::string& utf8) {
  return QPDFObjectHandle::newUnicodeString(utf8).unparse();
}

std::string reference(QPDFObjGen id) {
  return std::to_string(id.getObj()) + " " + std::to_string(id.getGen()) + " R";
}

// `dictionary`'s entries as PDF text, except `skip`; references stay references.
std::string entries_except(QPDFObjectHandle dictionary, std::string_view skip) {
  std::string out;
  for (const auto& key : dictionary.getKeys()) {
    if (key == skip) continue;
    out += name(key) + " " + dictionary.getKey(key).unparse() + "\n";
  }
  return out;
}

// The items of an array (direct or referenced), as PDF text, then `added`.
std::string array_with(QPDFObjectHandle array, const std::string& added) {
  std::string out = "[";
  if (array.isArray()) {
    for (auto& item : array.getArrayAsVector()) out += item.unparse() + " ";
  }
  return out + added + "]";
}

std::string hex_upper(std::string_view bytes) {
  std::string out = crypto::to_hex(bytes);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return static_cast<char>(c >= 'a' && c <= 'f' ? c - 'a' + 'A' : c);
  });
  return out;
}

std::string padded(std::size_t value, std::size_t width) {
  std::string digits = std::to_string(value);
  return std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

// What sign_pdf needs to know of the input, read with qpdf.
struct Input {
  std::size_t last_xref = 0;
  QPDFObjGen catalog_id;
  std::string catalog;  // the updated Catalog's body, with the AcroForm and the new field
  QPDFObjGen page_id;
  std::string page;      // the updated first page's body, with the widget in /Annots
  int size = 0;          // the trailer's /Size: the first free object number
  std::string first_id;  // the first /ID string, empty when the file has none
  std::string info;      // the trailer's /Info value, empty when none
};

Result<Input> read_input(std::string_view pdf, const SignatureFields& fields) {
  PRATU_TRY(last_xref, last_classic_xref(pdf));
  Input in;
  in.last_xref = last_xref;
  try {
    QPDF qpdf;
    qpdf.setSuppressWarnings(true);
    qpdf.setAttemptRecovery(false);
    qpdf.processMemoryFile("document", pdf.data(), pdf.size());
    if (qpdf.isEncrypted()) return refused("the PDF is encrypted");
    QPDFObjectHandle trailer = qpdf.getTrailer();
    if (trailer.hasKey("/XRefStm")) return refused("the PDF has a cross-reference stream");
    QPDFObjectHandle size = trailer.getKey("/Size");
    if (!size.isInteger() || size.getIntValue() <= 0 || size.getIntValue() > 8'000'000) {
      return refused("the trailer's /Size is not a usable object count");
    }
    in.size = static_cast<int>(size.getIntValue());
    QPDFObjectHandle catalog = qpdf.getRoot();
    if (!catalog.isIndirect() || !catalog.isDictionary()) return refused("no Catalog object");
    const auto& pages = qpdf.getAllPages();
    if (pages.empty()) return refused("the PDF has no page");
    QPDFObjectHandle page = pages.front();
    if (!page.isIndirect()) return refused("the first page is not an indirect object");
    in.catalog_id = catalog.getObjGen();
    in.page_id = page.getObjGen();
    if (in.catalog_id.getObj() >= in.size || in.page_id.getObj() >= in.size) {
      return refused("the trailer's /Size is below the objects' numbers");
    }
    const std::string widget = reference(QPDFObjGen(in.size + 1, 0));

    // The AcroForm, keeping what it had and every field; a field of the same name is refused.
    QPDFObjectHandle form = catalog.getKey("/AcroForm");
    QPDFObjectHandle existing_fields =
        form.isDictionary() ? form.getKey("/Fields") : QPDFObjectHandle::newNull();
    if (existing_fields.isArray()) {
      for (auto& field : existing_fields.getArrayAsVector()) {
        if (field.isDictionary() && field.getKey("/T").isString() &&
            field.getKey("/T").getUTF8Value() == fields.field_name) {
          return refused("a field named " + fields.field_name + " is already in the PDF");
        }
      }
    }
    std::string acroform = "<<\n";
    if (form.isDictionary()) {
      for (const auto& key : form.getKeys()) {
        if (key == "/Fields" || key == "/SigFlags") continue;
        acroform += name(key) + " " + form.getKey(key).unparse() + "\n";
      }
    }
    acroform += "/Fields " + array_with(existing_fields, widget) + "\n/SigFlags 3\n>>";
    in.catalog = "<<\n" + entries_except(catalog, "/AcroForm") + "/AcroForm " + acroform + "\n>>";
    in.page = "<<\n" + entries_except(page, "/Annots") + "/Annots " +
              array_with(page.getKey("/Annots"), widget) + "\n>>";

    QPDFObjectHandle id = trailer.getKey("/ID");
    if (id.isArray() && id.getArrayNItems() >= 1 && id.getArrayItem(0).isString()) {
      in.first_id = id.getArrayItem(0).getStringValue();
    }
    if (trailer.hasKey("/Info")) in.info = trailer.getKey("/Info").unparse();
  } catch (const QPDFExc& e) {
    if (e.getErrorCode() == qpdf_e_password) return refused("the PDF is encrypted");
    return refused(std::string("qpdf cannot read the PDF: ") + e.what());
  } catch (const std::exception& e) {
    return refused(std::string("qpdf cannot read the PDF: ") + e.what());
  }
  return in;
}

// SHA-256 of the two ranges of `file` a ByteRange names.
std::string digest_outside(std::string_view file, std::size_t gap_start, std::size_t gap_end) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  const bool done = context != nullptr && EVP_DigestInit_ex(context, EVP_sha256(), nullptr) == 1 &&
                    EVP_DigestUpdate(context, file.data(), gap_start) == 1 &&
                    EVP_DigestUpdate(context, file.data() + gap_end, file.size() - gap_end) == 1 &&
                    EVP_DigestFinal_ex(context, digest, &length) == 1;
  EVP_MD_CTX_free(context);
  return done ? std::string(reinterpret_cast<const char*>(digest), length) : std::string();
}

// The update for `in`, with a /Contents placeholder of `contents_octets` octets, appended to
// `pdf`; sets the gap's offsets.
std::string with_update(std::string_view pdf, const Input& in, const SignatureFields& fields,
                        std::size_t contents_octets, std::size_t& gap_start, std::size_t& gap_end,
                        std::size_t& byte_range_at) {
  std::string out(pdf);
  if (out.back() != '\n' && out.back() != '\r') out += '\n';
  struct Written {
    QPDFObjGen id;
    std::size_t offset;
  };
  std::vector<Written> written;
  auto object = [&](QPDFObjGen id, const std::string& body) {
    written.push_back({id, out.size()});
    out += std::to_string(id.getObj()) + " " + std::to_string(id.getGen()) + " obj\n" + body +
           "\nendobj\n";
  };

  const QPDFObjGen signature_id(in.size, 0);
  const QPDFObjGen widget_id(in.size + 1, 0);
  const std::string zeros(kByteRangeDigits, '0');
  std::string signature = "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached\n";
  signature += "/ByteRange ";
  const std::size_t range_in_body = signature.size();
  signature += "[0 " + zeros + " " + zeros + " " + zeros + "]\n/Contents ";
  const std::size_t contents_in_body = signature.size();
  signature += "<" + std::string(2 * contents_octets, '0') + ">\n";
  signature += "/M " + text(pdf_date(fields.signing_time)) + "\n";
  if (!fields.name.empty()) signature += "/Name " + text(fields.name) + "\n";
  if (!fields.reason.empty()) signature += "/Reason " + text(fields.reason) + "\n";
  if (!fields.location.empty()) signature += "/Location " + text(fields.location) + "\n";
  if (fields.contact) signature += "/ContactInfo " + text(*fields.contact) + "\n";
  signature += ">>";

  const std::size_t header = (std::to_string(signature_id.getObj()) + " 0 obj\n").size();
  byte_range_at = out.size() + header + range_in_body;
  gap_start = out.size() + header + contents_in_body;
  gap_end = gap_start + 2 * contents_octets + 2;
  object(signature_id, signature);
  object(widget_id, "<< /Type /Annot /Subtype /Widget /FT /Sig /F 132 /Rect [0 0 0 0]\n/P " +
                        reference(in.page_id) + " /T " + text(fields.field_name) + " /V " +
                        reference(signature_id) + "\n>>");
  object(in.catalog_id, in.catalog);
  object(in.page_id, in.page);

  std::sort(written.begin(), written.end(),
            [](const Written& a, const Written& b) { return a.id.getObj() < b.id.getObj(); });
  const std::size_t xref_at = out.size();
  out += "xref\n";
  for (const auto& entry : written) {
    out += std::to_string(entry.id.getObj()) + " 1\n" + padded(entry.offset, 10) + " " +
           padded(static_cast<std::size_t>(entry.id.getGen()), 5) + " n \n";
  }
  // /ID: the first string stays; the second names this revision.
  const std::string first_id =
      in.first_id.empty() ? crypto::sha256_hex(std::string(pdf.substr(0, 4096))).substr(0, 32)
                          : crypto::to_hex(in.first_id);
  const std::string second_id =
      crypto::sha256_hex(first_id + std::to_string(pdf.size()) + std::to_string(in.last_xref) +
                         pdf_date(fields.signing_time) + fields.field_name)
          .substr(0, 32);
  out += "trailer\n<< /Size " + std::to_string(in.size + 2) + " /Root " + reference(in.catalog_id) +
         (in.info.empty() ? "" : " /Info " + in.info) + " /Prev " + std::to_string(in.last_xref) +
         "\n/ID [<" + first_id + "> <" + second_id + ">] >>\n";
  out += "startxref\n" + std::to_string(xref_at) + "\n%%EOF\n";
  return out;
}

}  // namespace

std::string pdf_date(std::int64_t seconds) {
  using namespace std::chrono;
  const sys_seconds local{std::chrono::seconds(seconds + kThaiOffsetSeconds)};
  const auto day = floor<days>(local);
  const year_month_day date{day};
  const hh_mm_ss time{local - day};
  char out[32];
  std::snprintf(out, sizeof out, "D:%04d%02u%02u%02d%02d%02d+07'00'", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return out;
}

Result<std::string> sign_pdf(std::string_view pdf, crypto::Signer& signer,
                             crypto::TimestampAuthority* tsa, const SignatureFields& fields) {
  if (pdf.substr(0, 5) != "%PDF-") return refused("not a PDF");
  constexpr std::size_t kLargest = 1'000'000'000;  // ByteRange has ten digits a number
  if (pdf.size() > kLargest) return refused("the PDF is larger than a signature can cover");
  if (fields.field_name.empty()) return refused("a signature field needs a name");
  PRATU_TRY(in, read_input(pdf, fields));

  // The CMS's size is known only once made; reserve an estimate and, in the rare case it is
  // short, once more with the size seen.
  std::size_t reserve = crypto::estimate_pades_cms_size(signer, tsa);
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::size_t gap_start = 0;
    std::size_t gap_end = 0;
    std::size_t byte_range_at = 0;
    std::string out = with_update(pdf, in, fields, reserve, gap_start, gap_end, byte_range_at);

    std::string range = "[0 " + std::to_string(gap_start) + " " + std::to_string(gap_end) + " " +
                        std::to_string(out.size() - gap_end);
    // "[0 ", three ten-digit fields with a space between each, "]": the placeholder's width.
    const std::size_t width = 3 + 3 * kByteRangeDigits + 2 + 1;
    range += std::string(width - range.size() - 1, ' ') + "]";
    out.replace(byte_range_at, width, range);

    const std::string digest = digest_outside(out, gap_start, gap_end);
    if (digest.empty()) return Error::internal("hashing the signed bytes failed");
    PRATU_TRY(cms, crypto::build_pades_cms(digest, signer, tsa));
    if (cms.size() <= reserve) {
      const std::string hex = hex_upper(cms);
      out.replace(gap_start + 1, hex.size(), hex);
      return out;
    }
    reserve = cms.size() + 2048;
  }
  return Error::internal("the signature did not fit the room reserved for it");
}

}  // namespace pratu::pdf
