#include "domains/payments/counter_lookup.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>
#include <vector>

namespace pratu::payments {

namespace {

// Kedmanee's number row and the key beside it, unshifted (and "|", shifted): the Thai letter
// each key types, and what it types on a US keyboard.
constexpr std::array<std::pair<std::string_view, char>, 13> kKedmanee{{
    {"ๅ", '1'},
    {"/", '2'},
    {"-", '3'},
    {"ภ", '4'},
    {"ถ", '5'},
    {"ุ", '6'},
    {"ึ", '7'},
    {"ค", '8'},
    {"ต", '9'},
    {"จ", '0'},
    {"ข", '-'},
    {"ช", '='},
    {"ฅ", '|'},
}};
// Letters that only a Thai keyboard layout types into this box ("/" and "-" are ASCII too).
constexpr std::array<std::string_view, 11> kThaiOnly{"ๅ", "ภ", "ถ", "ุ",  "ึ", "ค",
                                                     "ต", "จ", "ข", "ช", "ฅ"};
// Thai digits ๐ to ๙: U+0E50 to U+0E59, in UTF-8 E0 B9 90 to E0 B9 99.
constexpr std::string_view kThaiDigitLead = "\xE0\xB9";

bool is_ref_char(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0 || (c >= 'A' && c <= 'Z');
}

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
  }
  return !s.empty();
}

bool is_separator(char c) { return c == '\r' || c == '\n' || c == ' ' || c == '\t'; }

}  // namespace

std::string from_thai_keyboard(std::string_view text) {
  bool thai_layout = false;
  for (std::string_view letter : kThaiOnly) {
    if (text.find(letter) != std::string_view::npos) thai_layout = true;
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::string_view rest = text.substr(i);
    if (rest.size() >= 3 && rest.substr(0, 2) == kThaiDigitLead &&
        static_cast<unsigned char>(rest[2]) >= 0x90 &&
        static_cast<unsigned char>(rest[2]) <= 0x99) {
      out += static_cast<char>('0' + (static_cast<unsigned char>(rest[2]) - 0x90));
      i += 3;
      continue;
    }
    bool mapped = false;
    if (thai_layout) {
      for (const auto& [thai, ascii] : kKedmanee) {
        if (rest.starts_with(thai)) {
          out += ascii;
          i += thai.size();
          mapped = true;
          break;
        }
      }
    }
    if (!mapped) out += text[i++];
  }
  return out;
}

CounterLookup read_counter_lookup(std::string_view text) {
  CounterLookup out;
  const std::string keys = from_thai_keyboard(text);
  std::string_view s = keys;
  while (!s.empty() && is_separator(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_separator(s.back())) s.remove_suffix(1);
  if (s.empty()) return out;

  if (s.front() != '|') {
    out.kind = CounterLookup::Kind::typed;
    for (char c : s) {
      if (c != ' ' && c != '-' && c != '\t') out.typed.push_back(c);
    }
    return out;
  }
  // "|biller<CR>ref1<CR>ref2<CR>amount": each CR (or CR LF, or the space the page's script puts
  // for it) parts two fields; an empty Ref. 2 leaves two in a row.
  std::vector<std::string> parts(1);
  for (std::size_t i = 1; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;  // one separator
    if (is_separator(c)) {
      parts.emplace_back();
    } else {
      parts.back().push_back(c);
    }
  }
  out.biller_id = parts[0];
  out.kind = CounterLookup::Kind::partial;
  if (parts.size() < 2) return out;
  out.kind = CounterLookup::Kind::barcode;
  out.ref1 = parts[1];
  if (parts.size() > 2) out.ref2 = parts[2];
  if (parts.size() > 3 && all_digits(parts[3]) && parts[3].size() <= 15) {
    out.amount_satang = std::stoll(parts[3]);
  }
  // Not a barcode Pratu could have printed: searched for as typed, which finds nothing.
  const bool refs_ok = !out.ref1.empty() && out.ref1.size() <= 20 &&
                       std::all_of(out.ref1.begin(), out.ref1.end(), is_ref_char) &&
                       out.ref2.size() <= 20 &&
                       std::all_of(out.ref2.begin(), out.ref2.end(), is_ref_char);
  if (out.biller_id.size() != 15 || !all_digits(out.biller_id) || !refs_ok || parts.size() > 4) {
    out = {};
    out.kind = CounterLookup::Kind::typed;
    out.typed = std::string(s);
  }
  return out;
}

}  // namespace pratu::payments
