#include "domains/documents/document_issuer.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

#include "common/civil_date.hpp"
#include "common/log.hpp"
#include "domains/documents/document_repository.hpp"
#include "domains/documents/document_sheet.hpp"
#include "domains/documents/receipt_sheet.hpp"
#include "pdf/pdf_a3.hpp"
#include "platform/notices.hpp"
#include "platform/outbox.hpp"

namespace pratu::documents {

namespace json = boost::json;

namespace {

// The XML file a document carries inside (PDF/A-3's associated file).
pdf::Attachment xml_file(std::string name, std::string description,
                         pdf::FileRelationship relationship, std::string bytes, std::int64_t at) {
  pdf::Attachment file;
  file.file_name = std::move(name);
  file.mime_type = "application/xml";
  file.description = std::move(description);
  file.relationship = relationship;
  file.bytes = std::move(bytes);
  file.modified_at = at;
  return file;
}

}  // namespace

std::string verification_code(Random& random, std::size_t n) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const std::string bytes = random.bytes(n);
  std::string out;
  out.reserve(n);
  for (unsigned char b : bytes) out += kAlphabet[b % kAlphabet.size()];
  return out;
}

std::string document_number(std::string_view prefix, int year, std::int64_t sequence) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(sequence));
  return std::string(prefix) + "-" + std::to_string(year) + "-" + digits;
}

std::string last_valid_day(std::string_view from,
                           const std::optional<platform::DocumentValidity>& validity) {
  if (!validity || validity->count <= 0) return {};
  auto day = parse_iso_date(from);
  if (!day) return {};
  using namespace std::chrono;
  sys_days end;
  if (validity->unit == "days") {
    end = sys_days(*day) + days(validity->count);
  } else {
    const months span =
        validity->unit == "years" ? months(12 * validity->count) : months(validity->count);
    year_month_day moved = *day + span;
    // 31 January plus a month is the last day of February.
    if (!moved.ok()) moved = moved.year() / moved.month() / last;
    end = sys_days(moved);
  }
  return iso_date(year_month_day(end - days(1)));
}

DocumentIssuer::DocumentIssuer(storage::Database& db, const storage::BlobStore& blobs,
                               const Clock& clock, Random& random,
                               const platform::DocumentSource& source,
                               const platform::AgencyDirectory& agencies,
                               const web::Translations& t, SigningKeys& keys,
                               SignerRevocations& revocations, std::string public_url,
                               std::string worker)
    : db_(db),
      blobs_(blobs),
      clock_(clock),
      random_(random),
      source_(source),
      agencies_(agencies),
      t_(t),
      keys_(keys),
      revocations_(revocations),
      public_url_(std::move(public_url)),
      worker_(std::move(worker)) {
  while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
}

std::string DocumentIssuer::verify_url(const IssuedDocument& document) const {
  return public_url_ + "/verify/" + document.number + "?c=" + document.code;
}

Result<IssuedDocument> DocumentIssuer::issue(std::string_view application) {
  // 1. The content, and the number: taken once, kept by a retry.
  std::optional<platform::DocumentContent> content;
  PRATU_TRY(document,
            db_.write_value<IssuedDocument>([&](storage::Connection& c) -> Result<IssuedDocument> {
              PRATU_TRY(read, source_.content(c, application));
              content = std::move(read);
              PRATU_TRY(existing, repository::by_application(c, content->application_id));
              if (existing) return *existing;
              const std::int64_t now = clock_.now_seconds();
              const auto today = thai_date(now);
              const int be_year = static_cast<int>(today.year()) + 543;
              PRATU_TRY(sequence, repository::next_sequence(c, content->number_prefix, be_year));
              IssuedDocument d;
              d.number = document_number(content->number_prefix, be_year, sequence);
              d.code = verification_code(random_);
              d.application_id = content->application_id;
              d.service = content->service;
              d.agency = content->agency;
              d.holder_user_id = content->holder_user_id;
              d.holder_name = content->holder_name;
              d.kind = content->kind;
              d.title_th = content->title.th;
              d.title_en = content->english ? content->title.en : std::string();
              d.issued_at = now;
              d.valid_from = iso_date(today);
              d.valid_until = last_valid_day(d.valid_from, content->validity);
              d.postal_address = content->postal_address;
              d.replaces = content->replaces;
              PRATU_TRY(id, repository::insert(c, d));
              d.id = id;
              return d;
            }));
  if (document.status != DocumentStatus::issuing) return document;

  // 2. Drawn and signed, outside any transaction; never with a withdrawn key.
  PRATU_CHECK(check_signer(document.agency));
  const platform::BilingualText agency = agency_name(document.agency);
  const DocumentFacts facts{*content, document, verify_url(document), agency};
  Drawing drawing;
  drawing.info = document_info(document, agency.th);
  drawing.info.properties = {
      {"documentNumber", document.number, "The number the issuing agency gave the document"},
      {"documentType", document.kind, "licence, certificate or permit"},
      {"dataVersion", "1", "The version of the embedded data's schema (urn:pratu:document:1)"}};
  drawing.data = xml_file(kDataFileName, "The document's data (urn:pratu:document:1)",
                          pdf::FileRelationship::data, document_xml(facts), document.issued_at);
  drawing.layout = document_layout(facts, t_);
  drawing.notice_topic = "documents.issued";
  drawing.notice = json::object{{"user_id", document.holder_user_id},
                                {"application", content->application},
                                {"service", document.service},
                                {"number", document.number}};
  return sign_and_keep(std::move(document), std::move(drawing));
}

Result<IssuedDocument> DocumentIssuer::issue_receipt(std::string_view number) {
  if (receipts_ == nullptr) return Error::unavailable("no module keeps receipts");
  // 1. The receipt as the payments module numbered it, and its row here under that number.
  std::optional<platform::ReceiptContent> content;
  PRATU_TRY(document,
            db_.write_value<IssuedDocument>([&](storage::Connection& c) -> Result<IssuedDocument> {
              PRATU_TRY(read, receipts_->receipt(c, number));
              content = std::move(read);
              PRATU_TRY(existing, repository::by_number(c, content->number));
              if (existing) return *existing;
              const std::int64_t now = clock_.now_seconds();
              IssuedDocument d;
              d.number = content->number;
              d.code = verification_code(random_);
              d.application_id = content->application_id;
              d.service = content->service;
              d.agency = content->agency;
              d.holder_user_id = content->holder_user_id;
              d.holder_name = content->payer_name;
              d.kind = "receipt";
              d.title_th = t_.text(web::Locale::th, "documents.receipt.title");
              d.title_en = t_.text(web::Locale::en, "documents.receipt.title");
              d.issued_at = now;
              d.valid_from = iso_date(thai_date(content->paid_at));
              d.replaces = content->replaces;
              PRATU_TRY(id, repository::insert(c, d));
              d.id = id;
              return d;
            }));
  if (document.status != DocumentStatus::issuing) return document;

  // 2. Drawn and signed as a licence is.
  PRATU_CHECK(check_signer(document.agency));
  const platform::BilingualText agency = agency_name(document.agency);
  platform::BilingualText service{content->service, content->service};
  if (services_ != nullptr) {
    if (const auto* info = services_->service(content->service)) {
      service = {info->name_th, info->name_en.empty() ? info->name_th : info->name_en};
    }
  }
  const ReceiptFacts facts{*content, document, verify_url(document), agency, service};
  Drawing drawing;
  drawing.info = document_info(document, agency.th);
  drawing.info.properties = {
      {"documentNumber", document.number, "The receipt's number: agency, fiscal year, book"},
      {"documentType", "receipt", "An e-receipt for a payment to a government agency"},
      {"dataVersion", "2", "ETDA Receipt_CrossIndustryInvoice 2 with Pratu's payment data"}};
  drawing.data =
      xml_file(kReceiptDataFileName, "The receipt's data (ETDA e-Tax Receipt, T01)",
               pdf::FileRelationship::alternative, receipt_xml(facts), document.issued_at);
  drawing.layout = receipt_layout(facts, t_);
  drawing.notice_topic = "documents.receipt_issued";
  drawing.notice = json::object{{"user_id", document.holder_user_id},
                                {"application", content->application},
                                {"service", document.service},
                                {"number", document.number},
                                {"amount_satang", content->total_satang}};
  if (content->cancelled) {
    drawing.cancelled_at = content->cancelled_at;
    drawing.cancel_reason = content->cancel_reason;
  }
  return sign_and_keep(std::move(document), std::move(drawing));
}

Result<void> DocumentIssuer::check_signer(const std::string& agency) {
  PRATU_TRY(serial, keys_.signer_serial(agency));
  PRATU_TRY(withdrawn, revocations_.withdrawn_at(serial));
  if (withdrawn) {
    return Error::unavailable("the signing key of agency " + agency +
                              " was withdrawn; install its new key");
  }
  return ok();
}

platform::BilingualText DocumentIssuer::agency_name(const std::string& agency) const {
  return {agencies_.agency_name(agency, web::Locale::th),
          agencies_.agency_name(agency, web::Locale::en)};
}

pdf::DocumentInfo DocumentIssuer::document_info(const IssuedDocument& document,
                                                const std::string& agency) {
  pdf::DocumentInfo info;
  info.title = document.title_th;
  info.author = agency;
  info.subject = document.number;
  info.keywords = document.number + ", " + document.service;
  info.title_en = document.title_en;
  info.creator_tool = "Pratu";
  info.created_at = document.issued_at;
  info.language = "th-TH";
  return info;
}

Result<IssuedDocument> DocumentIssuer::sign_and_keep(IssuedDocument document, Drawing drawing) {
  PRATU_TRY(drawn, pdf::render_pdf_a3(drawing.layout, drawing.info, {drawing.data}));
  const std::string agency = agency_name(document.agency).th;
  SignatureText text;
  text.name = agency;
  text.reason = document.title_th + " " + document.number;
  text.location = agency;
  PRATU_TRY(signed_pdf, keys_.sign(document.agency, drawn, text, clock_.now_seconds()));
  PRATU_TRY(blob, blobs_.put(signed_pdf.bytes, "application/pdf"));

  // 3. Kept, and the holder told, in one transaction.
  const std::int64_t now = clock_.now_seconds();
  const bool cancelled = drawing.cancelled_at != 0;
  auto kept = db_.write([&](storage::Connection& c) -> Result<void> {
    PRATU_CHECK(
        c.execute("INSERT INTO blobs (sha256, size_bytes, media_type, created_at) "
                  "VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING",
                  {blob.sha256, blob.size_bytes, blob.media_type, now}));
    PRATU_TRY(signed_now, repository::mark_signed(c, document.id, blob.sha256, blob.size_bytes,
                                                  signed_pdf.signer_serial, now));
    if (!signed_now) return ok();  // another node finished it meanwhile
    PRATU_CHECK(repository::add_event(
        c, document.id,
        {now, "issued", 0, "", json::serialize(json::object{{"sha256", blob.sha256}})}));
    if (cancelled) {
      // Cancelled before it was drawn: issued all the same, and cancelled since.
      PRATU_CHECK(repository::change_status(c, document.id, DocumentStatus::valid,
                                            DocumentStatus::cancelled, drawing.cancelled_at,
                                            drawing.cancel_reason));
      PRATU_CHECK(repository::add_event(
          c, document.id, {drawing.cancelled_at, "cancelled", 0, drawing.cancel_reason, "{}"}));
    }
    return platform::notify(c, drawing.notice_topic, drawing.notice, now, platform::kPortalAndMail);
  });
  if (!kept) return kept.error();
  document.status = cancelled ? DocumentStatus::cancelled : DocumentStatus::valid;
  document.status_since = cancelled ? drawing.cancelled_at : now;
  document.sha256 = blob.sha256;
  document.size_bytes = blob.size_bytes;
  document.signer_serial = signed_pdf.signer_serial;
  log::info("document issued", {},
            {{"number", document.number},
             {"agency", document.agency},
             {"kind", document.kind},
             {"bytes", std::to_string(blob.size_bytes)}});
  return document;
}

Result<IssueCounts> DocumentIssuer::run_once(int batch, int threads, int lease_seconds,
                                             int retry_seconds) {
  const std::int64_t now = clock_.now_seconds();
  PRATU_TRY(jobs, db_.write_value<std::vector<platform::outbox::OutboxJob>>(
                      [&](storage::Connection& c) {
    return platform::outbox::claim_due(
        c, {std::string(platform::kIssueDocumentTopic), std::string(platform::kIssueReceiptTopic)},
        worker_, now, now + lease_seconds, batch);
  }));
  IssueCounts counts;
  if (jobs.empty()) return counts;
  std::vector<std::string> errors(jobs.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < jobs.size(); i = next++) {
      // {"application": ...} asks for an application's document, {"receipt": ...} for a
      // receipt.
      std::string application, receipt;
      try {
        const auto payload = json::parse(jobs[i].payload);
        const auto& o = payload.as_object();
        if (const auto* a = o.if_contains("application"); a && a->is_string()) {
          application = std::string(a->get_string());
        }
        if (const auto* r = o.if_contains("receipt"); r && r->is_string()) {
          receipt = std::string(r->get_string());
        }
      } catch (const std::exception&) {
      }
      const bool wants_receipt = jobs[i].topic == platform::kIssueReceiptTopic;
      if (wants_receipt ? receipt.empty() : application.empty()) {
        errors[i] = wants_receipt ? "payload names no receipt" : "payload names no application";
        continue;
      }
      auto issued = wants_receipt ? issue_receipt(receipt) : issue(application);
      if (!issued)
        errors[i] = issued.error().detail.empty() ? "issue failed" : issued.error().detail;
    }
  };
  // Threads of their own, below the page workers' priority, so pages keep their latency while
  // a backlog is issued.
  std::vector<std::thread> pool;
  const int count = std::max(1, std::min<int>(threads, static_cast<int>(jobs.size())));
  for (int i = 0; i < count; ++i) {
    pool.emplace_back([&] {
      if (niceness_ > 0) {
        (void)setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), niceness_);
        // Linux's idle class: a page worker that wakes up takes the core at once.
        sched_param idle{};
        (void)sched_setscheduler(0, SCHED_IDLE, &idle);
      }
      work();
    });
  }
  for (auto& t : pool) t.join();

  const std::int64_t finished = clock_.now_seconds();
  auto finished_rows = db_.write([&](storage::Connection& c) -> Result<void> {
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      const auto& job = jobs[i];
      if (errors[i].empty()) {
        PRATU_CHECK(platform::outbox::finish_sent(c, job, worker_, finished));
        ++counts.issued;
      } else {
        const std::int64_t delay = static_cast<std::int64_t>(retry_seconds)
                                   << std::min(job.attempts - 1, 10);
        PRATU_CHECK(platform::outbox::finish_retry(c, job, worker_, finished + delay, errors[i]));
        ++counts.failed;
        log::warn("document not issued yet", {},
                  {{"job", std::to_string(job.id)}, {"error", errors[i]}});
      }
    }
    return ok();
  });
  if (!finished_rows) return finished_rows.error();
  return counts;
}

}  // namespace pratu::documents
