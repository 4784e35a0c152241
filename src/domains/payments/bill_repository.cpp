#include "domains/payments/bill_repository.hpp"

namespace pratu::payments::repository {

namespace {

using storage::Row;
using storage::Value;

Value null_if_zero(std::int64_t v) { return v == 0 ? Value{nullptr} : Value{v}; }
Value null_if_empty(const std::string& s) { return s.empty() ? Value{nullptr} : Value{s}; }

constexpr const char* kBillColumns =
    "id, public_id, application_id, application, reference, service, agency, state, "
    "holder_user_id, biller_id, ref1, ref2, total_satang, due_date, status, created_at, paid_at";

Bill bill_of(const Row& r) {
  Bill b;
  b.id = r.int64(0);
  b.public_id = r.text(1);
  b.application_id = r.int64(2);
  b.application = r.text(3);
  b.reference = r.text(4);
  b.service = r.text(5);
  b.agency = r.text(6);
  b.state = r.text(7);
  b.holder_user_id = r.int64(8);
  b.biller_id = r.text(9);
  b.ref1 = r.text(10);
  b.ref2 = r.text(11);
  b.total_satang = r.int64(12);
  b.due_date = r.text(13);
  b.status = bill_status_of(r.text(14));
  b.created_at = r.int64(15);
  b.paid_at = r.int64(16);
  return b;
}

Result<void> read_lines(storage::Connection& c, Bill& b) {
  PRATU_TRY(rows, c.query("SELECT code, label_th, label_en, unit_satang, quantity, unit_th, "
                          "unit_en, amount_satang, stamp_duty, item FROM bill_lines "
                          "WHERE bill_id = $1 ORDER BY line",
                          {b.id}));
  for (const Row& r : rows) {
    b.lines.push_back({r.text(0), r.text(1), r.text(2), r.int64(3), r.int64(4), r.text(5),
                       r.text(6), r.int64(7), r.int64(8) != 0, static_cast<int>(r.int64(9))});
  }
  return {};
}

Result<std::optional<Bill>> one_bill(storage::Connection& c, const std::string& where,
                                     std::vector<Value> params, bool with_lines) {
  PRATU_TRY(row, c.query_one(std::string("SELECT ") + kBillColumns + " FROM bills WHERE " + where,
                             params));
  if (!row) return std::optional<Bill>{};
  Bill b = bill_of(*row);
  if (with_lines) PRATU_CHECK(read_lines(c, b));
  return std::optional<Bill>(std::move(b));
}

}  // namespace

Result<std::int64_t> next_sequence(storage::Connection& c, std::string_view agency, int year) {
  PRATU_TRY(row, c.query_one("INSERT INTO bill_sequences (agency, year, last) VALUES ($1, $2, 1) "
                             "ON CONFLICT (agency, year) DO UPDATE SET "
                             "last = bill_sequences.last + 1 RETURNING last",
                             {std::string(agency), std::int64_t{year}}));
  if (!row) return Error::internal("bill_sequences upsert returned no row");
  return row->int64(0);
}

Result<std::int64_t> insert(storage::Connection& c, const Bill& b) {
  PRATU_TRY(row,
            c.query_one(
                "INSERT INTO bills (public_id, application_id, application, reference, "
                "service, agency, state, holder_user_id, biller_id, ref1, ref2, "
                "total_satang, due_date, status, created_at, paid_at) VALUES ($1, $2, $3, "
                "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
                {b.public_id, b.application_id, b.application, b.reference, b.service, b.agency,
                 b.state, b.holder_user_id, b.biller_id, b.ref1, b.ref2, b.total_satang, b.due_date,
                 std::string(bill_status_key(b.status)), b.created_at, null_if_zero(b.paid_at)}));
  if (!row) return Error::internal("bills insert returned no id");
  const std::int64_t id = row->int64(0);
  std::int64_t line = 0;
  for (const auto& l : b.lines) {
    PRATU_CHECK(c.execute(
        "INSERT INTO bill_lines (bill_id, line, code, label_th, label_en, unit_satang, quantity, "
        "unit_th, unit_en, amount_satang, stamp_duty, item) VALUES ($1, $2, $3, $4, $5, $6, $7, "
        "$8, $9, $10, $11, $12)",
        {id, ++line, l.code, l.label_th, l.label_en, l.unit_satang, l.quantity, l.unit_th,
         l.unit_en, l.amount_satang, std::int64_t{l.stamp_duty ? 1 : 0}, std::int64_t{l.item}}));
  }
  return id;
}

Result<std::optional<Bill>> by_public_id(storage::Connection& c, std::string_view public_id) {
  return one_bill(c, "public_id = $1", {std::string(public_id)}, true);
}

Result<std::optional<Bill>> by_reference(storage::Connection& c, std::string_view biller_id,
                                         std::string_view ref1) {
  // A payment is matched on the bill's references and total: its lines are not read.
  return one_bill(c, "biller_id = $1 AND ref1 = $2", {std::string(biller_id), std::string(ref1)},
                  false);
}

Result<std::vector<Bill>> of_application(storage::Connection& c, std::string_view application) {
  PRATU_TRY(rows,
            c.query(std::string("SELECT ") + kBillColumns +
                        " FROM bills WHERE application = $1 ORDER BY created_at DESC, id DESC",
                    {std::string(application)}));
  std::vector<Bill> out;
  for (const Row& r : rows) out.push_back(bill_of(r));
  return out;
}

Result<bool> mark_paid(storage::Connection& c, std::int64_t id, std::int64_t now) {
  PRATU_TRY(changed, c.execute("UPDATE bills SET status = 'paid', paid_at = $1 "
                               "WHERE id = $2 AND status = 'awaiting'",
                               {now, id}));
  return changed == 1;
}

Result<std::optional<std::int64_t>> insert_message(storage::Connection& c, const BankMessage& m) {
  PRATU_TRY(row, c.query_one("INSERT INTO bank_messages (bank, transaction_id, received_at, body, "
                             "outcome, reason, bill_id) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                             "ON CONFLICT (bank, transaction_id) DO NOTHING RETURNING id",
                             {m.bank, m.transaction_id, m.received_at, m.body, m.outcome,
                              null_if_empty(m.reason), null_if_zero(m.bill_id)}));
  if (!row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>(row->int64(0));
}

Result<std::optional<BankMessage>> message(storage::Connection& c, std::string_view bank,
                                           std::string_view transaction_id) {
  PRATU_TRY(row, c.query_one("SELECT bank, transaction_id, received_at, body, outcome, reason, "
                             "bill_id FROM bank_messages WHERE bank = $1 AND transaction_id = $2",
                             {std::string(bank), std::string(transaction_id)}));
  if (!row) return std::optional<BankMessage>{};
  return std::optional<BankMessage>(BankMessage{row->text(0), row->text(1), row->int64(2),
                                                row->text(3), row->text(4), row->text(5),
                                                row->int64(6)});
}

Result<std::int64_t> insert_payment(storage::Connection& c, const Payment& p) {
  PRATU_TRY(row, c.query_one("INSERT INTO payments (bill_id, amount_satang, paid_at, recorded_at, "
                             "channel, source, bank, transaction_id, message_id, cashier_user_id, "
                             "method_reference) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                             "$11) RETURNING id",
                             {p.bill_id, p.amount_satang, p.paid_at, p.recorded_at, p.channel,
                              p.source, null_if_empty(p.bank), null_if_empty(p.transaction_id),
                              null_if_zero(p.message_id), null_if_zero(p.cashier_user_id),
                              null_if_empty(p.method_reference)}));
  if (!row) return Error::internal("payments insert returned no id");
  return row->int64(0);
}

Result<RecordedPayment> record_bank_payment(storage::Connection& c, const BankMessage& m,
                                            Payment p) {
  // Step by step: on PostgreSQL pay_awaiting_bill does the common case in one statement, and
  // this runs only for what it left (a repeat of the bank's key, a bill paid meanwhile).
  RecordedPayment out;
  PRATU_TRY(kept, insert_message(c, m));
  out.message_id = kept;
  if (!kept) return out;
  // Only while awaiting: of concurrent payers of one bill, the row lock lets one through.
  PRATU_TRY(marked, mark_paid(c, m.bill_id, p.recorded_at));
  if (!marked) return out;
  p.message_id = *kept;
  PRATU_TRY(payment_id, insert_payment(c, p));
  out.payment_id = payment_id;
  return out;
}

Result<std::optional<PaidAtOnce>> pay_awaiting_bill(storage::Connection& c,
                                                    std::string_view biller_id,
                                                    std::string_view ref1, std::string_view ref2,
                                                    const BankMessage& m, Payment p) {
  if (c.dialect() != storage::Dialect::postgres) return std::optional<PaidAtOnce>{};
  // Keeps the message, marks the bill paid while awaiting, records the payment and queues its
  // receipt's number, each only if the step before happened, with the bill's read ahead of
  // them: the bill's row comes back only if it matched, and then the message was kept unless
  // its key was there.
  PRATU_TRY(
      row,
      c.query_one(
          std::string("WITH b AS (SELECT ") + kBillColumns +
              " FROM bills WHERE biller_id = $10 AND ref1 = $11 AND ref2 = $12 "
              "AND total_satang = $6::bigint AND status = 'awaiting'), "
              "kept AS (INSERT INTO bank_messages (bank, transaction_id, received_at, body, "
              "outcome, reason, bill_id) SELECT $1::text, $2::text, $3::bigint, $4::text, "
              "'paid', NULL, b.id FROM b "
              "ON CONFLICT (bank, transaction_id) DO NOTHING RETURNING id, bill_id), "
              "marked AS (UPDATE bills SET status = 'paid', paid_at = $5::bigint FROM kept "
              "WHERE bills.id = kept.bill_id AND bills.status = 'awaiting' RETURNING bills.id), "
              "paid AS (INSERT INTO payments (bill_id, amount_satang, paid_at, recorded_at, "
              "channel, source, bank, transaction_id, message_id) SELECT marked.id, "
              "$6::bigint, $7::bigint, $5::bigint, $8::text, $9::text, $1::text, $2::text, "
              "kept.id FROM kept, marked RETURNING id), "
              "queued AS (INSERT INTO receipts_to_number (payment_id) SELECT id FROM paid) "
              "SELECT b.*, (SELECT id FROM kept), (SELECT id FROM paid) FROM b",
          {m.bank, m.transaction_id, m.received_at, m.body, p.recorded_at, p.amount_satang,
           p.paid_at, p.channel, p.source, std::string(biller_id), std::string(ref1),
           std::string(ref2)}));
  constexpr int kKept = 17;  // after kBillColumns
  if (!row || row->is_null(kKept)) return std::optional<PaidAtOnce>{};
  PaidAtOnce out;
  out.bill = bill_of(*row);
  out.recorded.message_id = row->int64(kKept);
  out.recorded.payment_id = row->is_null(kKept + 1) ? 0 : row->int64(kKept + 1);
  return std::optional<PaidAtOnce>(std::move(out));
}

namespace {

constexpr const char* kBankColumns =
    "code, name, secret, previous_secret, enabled, client_certificate_sha256, "
    "previous_client_certificate_sha256";

BankConnection bank_of(const Row& r) {
  return BankConnection{r.text(0),       r.text(1), r.text(2), r.text(3),
                        r.int64(4) != 0, r.text(5), r.text(6)};
}

}  // namespace

Result<std::optional<BankConnection>> bank(storage::Connection& c, std::string_view code) {
  PRATU_TRY(row, c.query_one(std::string("SELECT ") + kBankColumns +
                                 " FROM bank_connections WHERE code = $1",
                             {std::string(code)}));
  if (!row) return std::optional<BankConnection>{};
  return std::optional<BankConnection>(bank_of(*row));
}

Result<std::vector<BankConnection>> banks(storage::Connection& c) {
  PRATU_TRY(
      rows,
      c.query(std::string("SELECT ") + kBankColumns + " FROM bank_connections ORDER BY code", {}));
  std::vector<BankConnection> out;
  for (const Row& r : rows) out.push_back(bank_of(r));
  return out;
}

Result<bool> end_secret_rotation(storage::Connection& c, std::string_view code) {
  PRATU_TRY(changed, c.execute("UPDATE bank_connections SET previous_secret = NULL, "
                               "previous_client_certificate_sha256 = NULL WHERE code = $1",
                               {std::string(code)}));
  return changed == 1;
}

Result<bool> pin_client_certificate(storage::Connection& c, std::string_view code,
                                    std::string_view sha256) {
  if (sha256.empty()) {
    PRATU_TRY(changed, c.execute("UPDATE bank_connections SET client_certificate_sha256 = NULL, "
                                 "previous_client_certificate_sha256 = NULL WHERE code = $1",
                                 {std::string(code)}));
    return changed == 1;
  }
  // The one pinned until now stays accepted, unless it is this one again.
  PRATU_TRY(changed,
            c.execute("UPDATE bank_connections SET previous_client_certificate_sha256 = CASE "
                      "WHEN client_certificate_sha256 IS NOT NULL AND "
                      "client_certificate_sha256 <> $1 THEN client_certificate_sha256 "
                      "ELSE previous_client_certificate_sha256 END, "
                      "client_certificate_sha256 = $1 WHERE code = $2",
                      {std::string(sha256), std::string(code)}));
  return changed == 1;
}

Result<bool> enable_bank(storage::Connection& c, std::string_view code, bool enabled) {
  PRATU_TRY(changed, c.execute("UPDATE bank_connections SET enabled = $1 WHERE code = $2",
                               {std::int64_t{enabled ? 1 : 0}, std::string(code)}));
  return changed == 1;
}

Result<void> put_bank(storage::Connection& c, const BankConnection& b, std::int64_t now) {
  PRATU_CHECK(
      c.execute("INSERT INTO bank_connections (code, name, secret, created_at, enabled) "
                "VALUES ($1, $2, $3, $4, 1) ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
                "previous_secret = bank_connections.secret, secret = excluded.secret",
                {b.code, b.name, b.secret, now}));
  return {};
}

}  // namespace pratu::payments::repository
