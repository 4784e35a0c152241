-- Bills, what the banks tell Pratu, and the payments their word proves (docs/adr/0026,
-- docs/payments.md). Amounts are whole satang. A bill is opened in the transaction of the
-- step that enters a billing state; it is paid only by bank evidence (a confirmation, a
-- statement line) or an agency cashier, and only while it is awaiting.
-- Same meaning as postgres/0001_bills_and_payments.sql.
CREATE TABLE bills (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,         -- in URLs: /bills/{public_id}
  application_id INTEGER NOT NULL REFERENCES applications (id),
  application TEXT NOT NULL,              -- the application's public id
  reference TEXT NOT NULL,                -- the application's reference number
  service TEXT NOT NULL,
  agency TEXT NOT NULL,
  state TEXT NOT NULL,                    -- the workflow state that billed
  holder_user_id INTEGER NOT NULL REFERENCES users (id),
  biller_id TEXT NOT NULL,                -- 13-digit tax ID + 2-digit suffix
  ref1 TEXT NOT NULL,                     -- the bill number with its check digit
  ref2 TEXT NOT NULL,                     -- the last day to pay, YYMMDD in the Buddhist era
  total_satang INTEGER NOT NULL CHECK (total_satang >= 0),
  due_date TEXT NOT NULL,                 -- YYYY-MM-DD, Thailand's last day to pay
  status TEXT NOT NULL CHECK (status IN ('awaiting', 'paid', 'cancelled')),
  created_at INTEGER NOT NULL,
  paid_at INTEGER,
  UNIQUE (biller_id, ref1)
) STRICT;
CREATE INDEX bills_application ON bills (application_id, created_at);
CREATE INDEX bills_holder ON bills (holder_user_id, created_at);

-- What a bill charges, line by line, as worked out when it was opened.
CREATE TABLE bill_lines (
  bill_id INTEGER NOT NULL REFERENCES bills (id),
  line INTEGER NOT NULL,
  code TEXT NOT NULL,
  label_th TEXT NOT NULL,
  label_en TEXT NOT NULL,
  unit_satang INTEGER NOT NULL,
  quantity INTEGER NOT NULL,
  unit_th TEXT NOT NULL,                  -- empty for a flat fee
  unit_en TEXT NOT NULL,
  amount_satang INTEGER NOT NULL CHECK (amount_satang >= 0),
  stamp_duty INTEGER NOT NULL CHECK (stamp_duty IN (0, 1)),
  item INTEGER NOT NULL,                  -- the group item it charges for, from 1; 0: none
  PRIMARY KEY (bill_id, line)
) STRICT;

-- The last bill number taken per agency and Buddhist-era year.
CREATE TABLE bill_sequences (
  agency TEXT NOT NULL,
  year INTEGER NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (agency, year)
) STRICT;

-- The banks that confirm payments, each with the secret its confirmations are signed with
-- (and the one before it while it is being changed).
CREATE TABLE bank_connections (
  code TEXT PRIMARY KEY,                  -- in the URL: /api/v1/banks/{code}/confirmations
  name TEXT NOT NULL,
  secret TEXT NOT NULL,
  previous_secret TEXT,
  created_at INTEGER NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1))
) STRICT;

-- Every authenticated confirmation, kept raw under the bank's own key before anything else,
-- with what came of it: a payment, or an exception for reconciliation, never lost.
CREATE TABLE bank_messages (
  id INTEGER PRIMARY KEY,
  bank TEXT NOT NULL REFERENCES bank_connections (code),
  transaction_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  body TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('paid', 'exception')),
  reason TEXT,                            -- an exception's: unknown_bill, wrong_amount, ...
  bill_id INTEGER REFERENCES bills (id),
  UNIQUE (bank, transaction_id)
) STRICT;
CREATE INDEX bank_messages_exceptions ON bank_messages (outcome, received_at);

-- One payment per bill: what paid it, how much, when.
CREATE TABLE payments (
  id INTEGER PRIMARY KEY,
  bill_id INTEGER NOT NULL UNIQUE REFERENCES bills (id),
  amount_satang INTEGER NOT NULL CHECK (amount_satang >= 0),
  paid_at INTEGER NOT NULL,               -- when the payer paid, as the bank says
  recorded_at INTEGER NOT NULL,
  channel TEXT NOT NULL,                  -- as the bank or the cashier gives it
  source TEXT NOT NULL CHECK (source IN ('bank', 'statement', 'cashier')),
  bank TEXT,
  transaction_id TEXT,
  message_id INTEGER REFERENCES bank_messages (id),
  cashier_user_id INTEGER REFERENCES users (id)
) STRICT;
CREATE INDEX payments_recorded ON payments (recorded_at);
