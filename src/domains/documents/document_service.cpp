#include "domains/documents/document_service.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "common/civil_date.hpp"
#include "common/unicode_text.hpp"
#include "platform/notices.hpp"
#include "web/access.hpp"

namespace pratu::documents {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxReason = 500;  // characters

// The length in bytes of the UTF-8 sequence that starts with `lead`.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

// Whether the code point at `text[at]` is a Thai mark that sits on the letter before it.
bool is_thai_mark(std::string_view text, std::size_t at) {
  if (at + 3 > text.size() || static_cast<unsigned char>(text[at]) != 0xE0 ||
      (static_cast<unsigned char>(text[at + 1]) != 0xB8 &&
       static_cast<unsigned char>(text[at + 1]) != 0xB9)) {
    return false;
  }
  const char32_t cp = 0x0E00 + ((static_cast<unsigned char>(text[at + 1]) & 0x01) << 6) +
                      (static_cast<unsigned char>(text[at + 2]) & 0x3F);
  return cp == 0x0E31 || (cp >= 0x0E34 && cp <= 0x0E3A) || (cp >= 0x0E47 && cp <= 0x0E4E);
}

}  // namespace

std::optional<Delivery> delivery_of(std::string_view key) {
  for (auto d : {Delivery::download, Delivery::post, Delivery::counter}) {
    if (delivery_key(d) == key) return d;
  }
  return std::nullopt;
}

std::string_view delivery_key(Delivery delivery) {
  switch (delivery) {
    case Delivery::download: return "download";
    case Delivery::post: return "post";
    case Delivery::counter: return "counter";
  }
  return "download";
}

bool is_tracking_number(std::string_view text) {
  if (text.size() != 13 || text.substr(11) != "TH") return false;
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!upper(text[0]) || !upper(text[1])) return false;
  static constexpr int kWeights[8] = {8, 6, 4, 2, 3, 5, 9, 7};
  int sum = 0;
  for (int i = 0; i < 8; ++i) {
    if (!digit(text[2 + i])) return false;
    sum += (text[2 + i] - '0') * kWeights[i];
  }
  if (!digit(text[10])) return false;
  int check = 11 - sum % 11;
  if (check == 10) check = 0;
  if (check == 11) check = 5;
  return text[10] - '0' == check;
}

std::optional<StatusAction> status_action_of(std::string_view key) {
  if (key == "suspend") return StatusAction::suspend;
  if (key == "reinstate") return StatusAction::reinstate;
  if (key == "revoke") return StatusAction::revoke;
  return std::nullopt;
}

std::string masked_name(std::string_view name) {
  std::string out;
  std::size_t at = 0;
  while (at < name.size()) {
    if (name[at] == ' ') {
      out += ' ';
      ++at;
      continue;
    }
    // A word: its first letter with the marks on it, then one dot for each letter hidden.
    std::size_t end = at + sequence_length(static_cast<unsigned char>(name[at]));
    while (end < name.size() && is_thai_mark(name, end)) end += 3;
    out.append(name.substr(at, std::min(end, name.size()) - at));
    at = std::min(end, name.size());
    while (at < name.size() && name[at] != ' ') {
      if (!is_thai_mark(name, at)) out += "\xE2\x80\xA2";  // •
      at += sequence_length(static_cast<unsigned char>(name[at]));
    }
  }
  return out;
}

DocumentService::DocumentService(storage::Database& db, const Clock& clock, std::string public_url)
    : db_(db), clock_(clock), public_url_(std::move(public_url)) {
  while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
}

std::string DocumentService::download_url(const IssuedDocument& document) {
  return "/documents/issued/" + document.number;
}

std::string DocumentService::verify_url(const IssuedDocument& document) const {
  return public_url_ + "/verify/" + document.number + "?c=" + document.code;
}

std::string DocumentService::today() const { return iso_date(thai_date(clock_.now_seconds())); }

std::string DocumentService::state_on(const IssuedDocument& document, std::string_view today) {
  if (document.status == DocumentStatus::valid && document.expired_on(today)) return "expired";
  return std::string(status_key(document.status));
}

Result<IssuedDocument> DocumentService::for_person(const web::Principal& who,
                                                   std::string_view number) {
  PRATU_TRY(found, db_.read_value<std::optional<IssuedDocument>>(
                       [&](storage::Connection& c) { return repository::by_number(c, number); }));
  const bool holder = found && found->holder_user_id == who.user_id;
  // The agency's staff see its documents; a clerk, who does not read applications
  // (docs/adr/0032), only its receipts.
  const bool staff =
      found && who.agency_code == found->agency &&
      (web::is_agency_role(who.role) || (who.role == web::Role::clerk && found->kind == "receipt"));
  if (!holder && !staff) return Error::not_found("document " + std::string(number));
  return *found;
}

Result<PublicView> DocumentService::public_view(std::string_view number, std::string_view code) {
  std::optional<IssuedDocument> found;
  std::string replaced_by;
  PRATU_CHECK(db_.read([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(read, repository::by_number(c, number));
    found = std::move(read);
    if (!found) return ok();
    PRATU_TRY(replacement, repository::replaced_by(c, number));
    replaced_by = std::move(replacement);
    return ok();
  }));
  if (!found || found->status == DocumentStatus::issuing) {
    return Error::not_found("document " + std::string(number));
  }
  PublicView view;
  view.document = std::move(*found);
  view.replaced_by = std::move(replaced_by);
  const auto& d = view.document;
  // Compared in constant time: the code stands in for the holder's permission.
  view.code_matches = code.size() == d.code.size() && !code.empty();
  if (view.code_matches) {
    unsigned char diff = 0;
    for (std::size_t i = 0; i < code.size(); ++i) {
      diff |= static_cast<unsigned char>(code[i] ^ d.code[i]);
    }
    view.code_matches = diff == 0;
  }
  view.holder_shown = view.code_matches ? d.holder_name : masked_name(d.holder_name);
  const std::string today = this->today();
  view.state = state_on(d, today);
  view.since = d.status_since;
  if (view.state == "expired") {
    if (auto last = parse_iso_date(d.valid_until)) {
      const auto after = std::chrono::sys_days(*last) + std::chrono::days(1);
      // Midnight in Thailand (UTC+7) of the day after its last.
      view.since =
          std::chrono::duration_cast<std::chrono::seconds>(after.time_since_epoch()).count() -
          7 * 3600;
    }
  }
  return view;
}

Result<std::optional<IssuedDocument>> DocumentService::by_file(std::string_view sha256) {
  return db_.read_value<std::optional<IssuedDocument>>(
      [&](storage::Connection& c) { return repository::by_sha256(c, sha256); });
}

Result<std::vector<repository::DocumentEvent>> DocumentService::history(
    const IssuedDocument& document) {
  return db_.read_value<std::vector<repository::DocumentEvent>>(
      [&](storage::Connection& c) { return repository::events(c, document.id); });
}

Result<IssuedDocument> DocumentService::change_status(const web::Principal& who,
                                                      std::string_view number, StatusAction action,
                                                      std::string_view reason) {
  PRATU_TRY(document, for_person(who, number));
  if (!web::is_agency_role(who.role) || who.agency_code != document.agency) {
    return Error::not_found("document " + std::string(number));
  }
  auto text = nfc_trimmed(reason);
  if (!text || text->empty())
    return Error::invalid({{"reason", "documents.errors.reason_required"}});
  if (code_point_count(*text) > kMaxReason) {
    return Error::invalid({{"reason", "documents.errors.reason_too_long"}});
  }
  DocumentStatus from = DocumentStatus::valid, to = DocumentStatus::suspended;
  std::string kind;
  if (document.kind == "receipt") {
    // A receipt is cancelled by the agency's finance side, never suspended or revoked here.
    return Error::invalid({{"action", "documents.errors.receipt_status"}},
                          "documents.errors.status_not_now");
  }
  switch (action) {
    case StatusAction::suspend:
      from = DocumentStatus::valid, to = DocumentStatus::suspended, kind = "suspended";
      break;
    case StatusAction::reinstate:
      from = DocumentStatus::suspended, to = DocumentStatus::valid, kind = "reinstated";
      break;
    case StatusAction::revoke:
      from = document.status, to = DocumentStatus::revoked, kind = "revoked";
      break;
  }
  if (document.status != from || document.status == DocumentStatus::revoked ||
      document.status == DocumentStatus::issuing) {
    return Error::invalid({{"action", "documents.errors.status_" + kind}},
                          "documents.errors.status_not_now");
  }
  const std::int64_t now = clock_.now_seconds();
  auto written = db_.write([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(changed, repository::change_status(c, document.id, from, to, now, *text));
    if (!changed) {
      return Error{
          ErrorCode::conflict, "documents.errors.changed_meanwhile", "status changed", {}, 0};
    }
    PRATU_CHECK(repository::add_event(c, document.id, {now, kind, who.user_id, *text, "{}"}));
    json::object payload{{"user_id", document.holder_user_id},
                         {"service", document.service},
                         {"number", document.number},
                         {"status", kind}};
    return platform::notify(c, "documents.status_changed", payload, now, platform::kPortalAndMail);
  });
  if (!written) return written.error();
  document.status = to;
  document.status_since = now;
  document.status_reason = *text;
  return document;
}

void describe_delivery(const IssuedDocument& d, platform::IssuedDocumentSummary& s) {
  s.delivery = d.delivery;
  s.can_post = !d.postal_address.empty();
  s.delivered = d.delivered_at != 0;
  s.tracking_number = d.tracking_number;
  if (d.kind == "receipt") return;  // downloaded; no printed copy is sent
  if (d.status == DocumentStatus::valid && d.delivered_at == 0) {
    s.delivery_url = "/documents/issued/" + d.number + "/delivery";
  }
}

Result<IssuedDocument> DocumentService::choose_delivery(const web::Principal& who,
                                                        std::string_view number,
                                                        Delivery delivery) {
  PRATU_TRY(document, for_person(who, number));
  if (document.holder_user_id != who.user_id) return Error::not_found("document");
  if (document.status != DocumentStatus::valid || document.delivered_at != 0 ||
      document.kind == "receipt") {
    return Error::invalid({{"delivery", "documents.errors.delivery_closed"}});
  }
  if (delivery == Delivery::post && document.postal_address.empty()) {
    return Error::invalid({{"delivery", "documents.errors.no_address"}});
  }
  const std::string key(delivery_key(delivery));
  const std::int64_t now = clock_.now_seconds();
  auto written = db_.write([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(changed, repository::choose_delivery(c, document.id, key));
    if (!changed) return Error::invalid({{"delivery", "documents.errors.delivery_closed"}});
    json::object detail{{"delivery", key}};
    if (delivery == Delivery::post) detail["address"] = document.postal_address;
    return repository::add_event(
        c, document.id, {now, "delivery_chosen", who.user_id, "", json::serialize(detail)});
  });
  if (!written) return written.error();
  document.delivery = key;
  return document;
}

Result<IssuedDocument> DocumentService::record_delivery(const web::Principal& who,
                                                        std::string_view number,
                                                        std::string_view tracking_number) {
  PRATU_TRY(document, for_person(who, number));
  if (!web::is_agency_role(who.role) || who.agency_code != document.agency) {
    return Error::not_found("document " + std::string(number));
  }
  if (document.delivery == "download" || document.delivered_at != 0) {
    return Error::invalid({{"tracking_number", "documents.errors.nothing_to_deliver"}});
  }
  std::string tracking;
  if (document.delivery == "post") {
    for (char ch : tracking_number) {
      if (ch == ' ' || ch == '-') continue;
      tracking += (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch;
    }
    if (!is_tracking_number(tracking)) {
      return Error::invalid({{"tracking_number", "documents.errors.tracking_number"}});
    }
  }
  const std::int64_t now = clock_.now_seconds();
  const std::string kind = document.delivery == "post" ? "posted" : "handed_over";
  auto written = db_.write([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(changed,
              repository::mark_delivered(c, document.id, document.delivery, tracking, now));
    if (!changed) {
      return Error{ErrorCode::conflict, "documents.errors.changed_meanwhile", "delivered", {}, 0};
    }
    json::object detail;
    if (!tracking.empty()) detail["tracking_number"] = tracking;
    PRATU_CHECK(repository::add_event(c, document.id,
                                      {now, kind, who.user_id, "", json::serialize(detail)}));
    json::object payload{{"user_id", document.holder_user_id},
                         {"service", document.service},
                         {"number", document.number},
                         {"delivery", kind}};
    if (!tracking.empty()) payload["tracking_number"] = tracking;
    return platform::notify(c, "documents.delivered", payload, now, platform::kPortalAndMail);
  });
  if (!written) return written.error();
  document.tracking_number = tracking;
  document.delivered_at = now;
  return document;
}

platform::IssuedDocumentSummary DocumentService::summary(const IssuedDocument& d) const {
  platform::IssuedDocumentSummary s;
  s.number = d.number;
  s.kind = d.kind;
  s.status = state_on(d, today());
  s.title_th = d.title_th;
  s.title_en = d.title_en;
  s.issued_at = d.issued_at;
  s.valid_until = d.valid_until;
  if (d.status != DocumentStatus::issuing) s.download_url = download_url(d);
  s.verify_url = verify_url(d);
  describe_delivery(d, s);
  return s;
}

Result<std::optional<platform::IssuedDocumentSummary>> DocumentService::of_application(
    std::int64_t application_id) {
  PRATU_TRY(found, db_.read_value<std::optional<IssuedDocument>>([&](storage::Connection& c) {
    return repository::by_application(c, application_id);
  }));
  if (!found) return std::optional<platform::IssuedDocumentSummary>();
  return std::optional<platform::IssuedDocumentSummary>(summary(*found));
}

Result<std::vector<platform::IssuedDocumentSummary>> DocumentService::of_holder(
    std::int64_t user_id) {
  PRATU_TRY(found, db_.read_value<std::vector<IssuedDocument>>(
                       [&](storage::Connection& c) { return repository::of_holder(c, user_id); }));
  std::vector<platform::IssuedDocumentSummary> out;
  out.reserve(found.size());
  for (const auto& d : found) out.push_back(summary(d));
  return out;
}

Result<std::optional<platform::IssuedDocumentSummary>> DocumentService::by_number(
    std::string_view number) {
  PRATU_TRY(found, db_.read_value<std::optional<IssuedDocument>>(
                       [&](storage::Connection& c) { return repository::by_number(c, number); }));
  if (!found) return std::optional<platform::IssuedDocumentSummary>();
  return std::optional<platform::IssuedDocumentSummary>(summary(*found));
}

Result<bool> DocumentService::cancel_receipt(storage::Connection& c, std::string_view number,
                                             std::string_view reason, std::int64_t now) {
  PRATU_TRY(found, repository::by_number(c, number));
  if (!found || found->kind != "receipt" || found->status != DocumentStatus::valid) return false;
  PRATU_TRY(changed,
            repository::change_status(c, found->id, DocumentStatus::valid,
                                      DocumentStatus::cancelled, now, std::string(reason)));
  if (!changed) return false;
  PRATU_CHECK(
      repository::add_event(c, found->id, {now, "cancelled", 0, std::string(reason), "{}"}));
  json::object payload{{"user_id", found->holder_user_id},
                       {"service", found->service},
                       {"number", found->number},
                       {"status", "cancelled"}};
  PRATU_CHECK(
      platform::notify(c, "documents.status_changed", payload, now, platform::kPortalAndMail));
  return true;
}

}  // namespace pratu::documents
