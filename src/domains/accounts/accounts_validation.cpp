#include "domains/accounts/accounts_validation.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <optional>

#include "common/text.hpp"
#include "common/thai_id.hpp"
#include "common/unicode_text.hpp"
#include "domains/accounts/accounts.hpp"

namespace pratu::accounts {

namespace {

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Zero-width, format and space characters: nothing a reader sees.
bool is_invisible(UChar32 c) { return u_charType(c) == U_FORMAT_CHAR || u_isUWhiteSpace(c); }

// Marks drawn on the character before them (Thai vowels and tone marks among them).
bool is_combining_mark(UChar32 c) {
  auto type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK;
}

}  // namespace

std::string trim(std::string_view text) { return std::string(pratu::trim(text, kAsciiWhitespace)); }

LoginName parse_login(std::string_view login) {
  std::string text = trim(login);
  if (text.find('@') != std::string::npos) {
    if (auto email = normalize_email(text)) return {LoginName::Kind::email, std::move(*email)};
    return {};
  }
  if (auto id = normalize_thai_id(text)) return {LoginName::Kind::national_id, std::move(*id)};
  return {};
}

std::optional<std::string> normalize_email(std::string_view email) {
  std::string text = trim(email);
  if (text.empty() || text.size() > kMaxEmailLength) return std::nullopt;
  auto at = text.find('@');
  if (at == std::string::npos || at == 0 || at > 64 ||
      text.find('@', at + 1) != std::string::npos) {
    return std::nullopt;
  }
  for (unsigned char c : text) {
    if (c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' ||
        c == ';' || c == ':' || c == '\\' || c == '"' || c == '[' || c == ']') {
      return std::nullopt;
    }
  }
  std::string_view local = std::string_view(text).substr(0, at);
  std::string_view domain = std::string_view(text).substr(at + 1);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return std::nullopt;
  }
  auto dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos || domain.front() == '-') {
    return std::nullopt;
  }
  if (!is_valid_utf8(text)) return std::nullopt;
  return ascii_lower(text);
}

std::optional<std::string> normalize_mobile(std::string_view mobile) {
  std::string digits;
  std::string text = trim(mobile);
  bool plus = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == '+' && i == 0) {
      plus = true;
    } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') {
      continue;
    } else {
      return std::nullopt;
    }
    if (digits.size() > 12) return std::nullopt;
  }
  // +66 81 234 5678 / 66812345678 / +66 081 234 5678: the country code replaces the leading 0.
  if (digits.size() >= 11 && digits.compare(0, 2, "66") == 0) {
    digits = digits.substr(2);
    if (digits.front() != '0') digits.insert(digits.begin(), '0');
  } else if (plus) {
    return std::nullopt;
  }
  if (digits.size() != 10 || digits[0] != '0' ||
      (digits[1] != '6' && digits[1] != '8' && digits[1] != '9')) {
    return std::nullopt;
  }
  return digits;
}

std::string format_mobile(std::string_view digits) {
  if (digits.size() != 10 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::string(digits);
  }
  return std::string(digits.substr(0, 3)) + "-" + std::string(digits.substr(3, 3)) + "-" +
         std::string(digits.substr(6));
}

bool is_title_code(std::string_view code) {
  return std::find(kTitleCodes.begin(), kTitleCodes.end(), code) != kTitleCodes.end();
}

bool is_acceptable_name(std::string_view name) {
  if (name.empty() || !is_valid_utf8(name)) return false;
  std::size_t code_points = 0;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7F || c == '<' || c == '>') return false;
    if ((c & 0xC0) != 0x80) ++code_points;
  }
  return code_points <= kMaxNameLength;
}

CheckedName check_name(std::string_view name) {
  std::string text = trim(name);
  if (text.empty()) return {{}, NameProblem::empty};
  if (!is_acceptable_name(text)) return {{}, NameProblem::invalid};
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return {{}, NameProblem::invalid};
  auto typed = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size())));
  icu::UnicodeString normal = nfc->normalize(typed, status);
  if (U_FAILURE(status)) return {{}, NameProblem::invalid};

  std::optional<UChar32> first_visible;
  for (std::int32_t i = 0; i < normal.length(); i = normal.moveIndex32(i, 1)) {
    UChar32 c = normal.char32At(i);
    if (is_bidi_control(static_cast<char32_t>(c))) return {{}, NameProblem::bidi_control};
    if (!first_visible && !is_invisible(c)) first_visible = c;
  }
  if (!first_visible) return {{}, NameProblem::invisible};
  if (is_combining_mark(*first_visible)) return {{}, NameProblem::starts_with_mark};
  std::string out;
  normal.toUTF8String(out);
  return {std::move(out), NameProblem::none};
}

std::string name_problem_key(std::string_view field, NameProblem problem) {
  std::string prefix = "accounts.errors." + std::string(field);
  switch (problem) {
    case NameProblem::none: return {};
    case NameProblem::empty: return prefix + "_required";
    case NameProblem::invalid: return prefix + "_invalid";
    case NameProblem::bidi_control: return prefix + "_bidi";
    case NameProblem::invisible: return prefix + "_invisible";
    case NameProblem::starts_with_mark: return prefix + "_starts_with_mark";
  }
  return prefix + "_invalid";
}

bool is_agency_code(std::string_view code) {
  if (code.size() < 2 || code.size() > 32) return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

}  // namespace pratu::accounts
