#pragma once
/// What a cashier types or scans into the counter's search (docs/payments.md, "The counter"):
/// a Ref. 1 as printed, a bill's id, or the Bank of Thailand's bill-payment barcode off the
/// printed bill. A barcode scanner types like a keyboard: the carriage returns between the
/// barcode's parts come as Enter (the page's script turns them into spaces; without script the
/// first one sends the form with the biller's part alone), and with the keyboard set to Thai
/// (Kedmanee) every key comes as the Thai letter on it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pratu::payments {

struct CounterLookup {
  enum class Kind {
    empty,    // nothing but spaces
    typed,    // a Ref. 1 or a bill's id: `typed`
    barcode,  // a scanned barcode with its Ref. 1 at least: `biller_id`, `ref1`, ...
    partial,  // a barcode's first part alone: its Ref. 1 never came
  };
  Kind kind = Kind::empty;
  std::string typed;      // without spaces, dashes and tabs
  std::string biller_id;  // 15 digits
  std::string ref1, ref2;
  std::optional<std::int64_t> amount_satang;  // when the barcode's last part came
};

/// Reads `text` as the counter's search box holds it.
CounterLookup read_counter_lookup(std::string_view text);

/// `text` as its keys read on an English (US) keyboard when it was typed on a Thai (Kedmanee)
/// one: "ฅจ๙๙" becomes "|099". Only when it holds a Thai letter of the number row or "ฅ", which
/// no reference or bill id has; Thai digits become Arabic ones in any case.
std::string from_thai_keyboard(std::string_view text);

}  // namespace pratu::payments
