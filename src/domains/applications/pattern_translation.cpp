#include "domains/applications/pattern_translation.hpp"

#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace pratu::applications {
namespace {

constexpr int kMaxDepth = 32;               // groups inside one another
constexpr std::int64_t kSampleRepeats = 6;  // characters a sample gives an open repetition
constexpr std::int64_t kUnbounded = -1;

// ICU's own definitions (its regex documentation), written out for ECMAScript, whose \s and
// \w mean something else and whose . matches \v, \f and U+0085.
constexpr std::string_view kSpaceMembers = "\\t\\n\\f\\r\\p{Z}";
constexpr std::string_view kWordMembers = "\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\u200c\\u200d";
constexpr std::string_view kAnyButLineEnd = "[^\\n\\v\\f\\r\\u0085\\u2028\\u2029]";

// Properties both dialects name alike: general categories and two binary properties.
constexpr std::array<std::string_view, 37> kSharedProperties = {
    "L",  "Lu", "Ll", "Lt", "Lm", "Lo", "M",  "Mn", "Mc", "Me",         "N",          "Nd", "Nl",
    "No", "P",  "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "S",          "Sm",         "Sc", "Sk",
    "So", "Z",  "Zs", "Zl", "Zp", "C",  "Cc", "Cf", "Co", "Alphabetic", "White_Space"};
// Scripts ICU lets a pattern name alone (\p{Thai}) and ECMAScript as Script=Thai.
constexpr std::array<std::string_view, 12> kScripts = {"Thai",    "Latin",  "Lao",      "Khmer",
                                                       "Myanmar", "Han",    "Hiragana", "Katakana",
                                                       "Hangul",  "Arabic", "Cyrillic", "Greek"};

// Characters a sample is made of, in the order it prefers them.
constexpr std::u32string_view kSampleCharacters =
    U"1234567890ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzกขคงจฉชซ _-.,/";

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::string utf8(std::u32string_view text) {
  std::string out;
  for (char32_t c : text) append_utf8(out, c);
  return out;
}

bool is_hex(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_ascii_alnum(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// A code point as ECMAScript writes it literally: `syntax` are the characters to escape.
std::string ecma_literal(char32_t c, std::u32string_view syntax) {
  std::string out;
  if (c < 0x20 || c == 0x7F || c == 0x85 || c == 0x2028 || c == 0x2029) {
    constexpr std::string_view kHex = "0123456789abcdef";
    out = "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(c >> shift) & 0xF];
    return out;
  }
  if (syntax.find(c) != std::u32string_view::npos) out += '\\';
  append_utf8(out, c);
  return out;
}

constexpr std::u32string_view kSyntax = U"^$\\.*+?()[]{}|/";
constexpr std::u32string_view kSetSyntax = U"\\]-^[";

// One atom of a pattern and how often it repeats.
struct Piece {
  enum class Kind { literal, set, group, lookaround };
  Kind kind = Kind::literal;
  char32_t literal = 0;
  std::string ecma;  // set: as ECMAScript writes it; group and lookaround: their opening "(?:"
  std::string icu;   // set: as the pattern wrote it, to ask ICU which characters it holds
  std::vector<std::vector<Piece>> branches;  // group and lookaround: the alternatives inside
  std::int64_t min = 1;
  std::int64_t max = 1;    // kUnbounded for * and +
  std::string quantifier;  // as written: "", "*", "{2,3}?"
};
using Branches = std::vector<std::vector<Piece>>;

class Parser {
 public:
  explicit Parser(std::string_view pattern) {
    const auto unicode = icu::UnicodeString::fromUTF8(
        icu::StringPiece(pattern.data(), static_cast<std::int32_t>(pattern.size())));
    text_.resize(static_cast<std::size_t>(unicode.countChar32()));
    UErrorCode status = U_ZERO_ERROR;
    unicode.toUTF32(reinterpret_cast<UChar32*>(text_.data()),
                    static_cast<std::int32_t>(text_.size()), status);
    if (U_FAILURE(status)) text_.clear();
  }

  std::optional<Branches> parse() {
    end_ = text_.size();
    // Matched against the whole answer, a leading ^ and a trailing $ change nothing.
    if (pos_ < end_ && text_[pos_] == '^') ++pos_;
    if (end_ > pos_ && text_[end_ - 1] == '$' && !escaped(end_ - 1)) --end_;
    auto out = alternation(0);
    if (!out || pos_ != end_ || text_.empty()) return std::nullopt;
    return out;
  }

 private:
  bool escaped(std::size_t at) const {
    std::size_t slashes = 0;
    while (at > slashes && text_[at - 1 - slashes] == '\\') ++slashes;
    return slashes % 2 == 1;
  }
  bool at(char32_t c) const { return pos_ < end_ && text_[pos_] == c; }
  bool take(std::u32string_view word) {
    if (pos_ + word.size() > end_ || text_.compare(pos_, word.size(), word) != 0) return false;
    pos_ += word.size();
    return true;
  }

  std::optional<Branches> alternation(int depth) {
    if (depth > kMaxDepth) return std::nullopt;
    Branches out(1);
    while (pos_ < end_ && !at(')')) {
      if (take(U"|")) {
        out.emplace_back();
        continue;
      }
      auto piece = atom(depth);
      if (!piece || !quantifier(*piece)) return std::nullopt;
      out.back().push_back(std::move(*piece));
    }
    return out;
  }

  std::optional<Piece> atom(int depth) {
    const char32_t c = text_[pos_];
    if (c == '(') return group(depth);
    if (c == '[') return set();
    if (c == '\\') return escape();
    if (c == '.') {
      ++pos_;
      return Piece{Piece::Kind::set, 0, std::string(kAnyButLineEnd), ".", {}, 1, 1, {}};
    }
    // Nothing to repeat, an anchor inside the pattern, or an interval ICU reads its own way.
    if (std::u32string_view(U"*+?{^$").find(c) != std::u32string_view::npos) return std::nullopt;
    ++pos_;
    return Piece{Piece::Kind::literal, c, {}, {}, {}, 1, 1, {}};
  }

  // The opening of a lookahead or lookbehind after its "(": the same in both dialects.
  std::optional<std::string> lookaround() {
    for (std::u32string_view opening : {U"?=", U"?!", U"?<=", U"?<!"}) {
      if (take(opening)) return utf8(opening);
    }
    return std::nullopt;
  }

  std::optional<Piece> group(int depth) {
    ++pos_;  // (
    Piece piece;
    piece.kind = Piece::Kind::group;
    if (take(U"?:")) {
      piece.ecma = "(?:";
    } else if (auto look = lookaround()) {
      piece.kind = Piece::Kind::lookaround;
      piece.ecma = "(" + *look;
    } else if (take(U"?<")) {
      std::string name;
      while (pos_ < end_ && is_ascii_alnum(text_[pos_])) append_utf8(name, text_[pos_++]);
      if (name.empty() || (name[0] >= '0' && name[0] <= '9') || !take(U">")) return std::nullopt;
      piece.ecma = "(?<" + name + ">";
    } else if (at('?')) {
      return std::nullopt;  // flags, comments, atomic groups: no ECMAScript twin
    } else {
      piece.ecma = "(";
    }
    auto inner = alternation(depth + 1);
    if (!inner || !take(U")")) return std::nullopt;
    piece.branches = std::move(*inner);
    return piece;
  }

  // \p{Name} or \P{Name} after the backslash and letter; nullopt for a name not shared.
  std::optional<std::string> property(bool negated) {
    if (!take(U"{")) return std::nullopt;
    std::string name;
    while (pos_ < end_ && text_[pos_] != '}') append_utf8(name, text_[pos_++]);
    if (!take(U"}")) return std::nullopt;
    for (std::string_view prefix : {"Script=", "sc="}) {
      if (name.starts_with(prefix)) name.erase(0, prefix.size());
    }
    std::string out = negated ? "\\P{" : "\\p{";
    if (std::find(kSharedProperties.begin(), kSharedProperties.end(), name) !=
        kSharedProperties.end()) {
      return out + name + "}";
    }
    if (std::find(kScripts.begin(), kScripts.end(), name) != kScripts.end()) {
      return out + "Script=" + name + "}";
    }
    return std::nullopt;
  }

  // \uhhhh, \Uhhhhhhhh, \x{h...}, \xhh after the backslash and letter.
  std::optional<char32_t> hex(std::size_t digits) {
    const bool braced = digits == 0;
    if (braced && !take(U"{")) return std::nullopt;
    char32_t value = 0;
    std::size_t count = 0;
    while (pos_ < end_ && is_hex(text_[pos_]) && (braced || count < digits) && count < 8) {
      const char32_t d = text_[pos_++];
      value = value * 16 + (d <= '9' ? d - '0' : (d | 0x20) - 'a' + 10);
      ++count;
    }
    if ((braced ? !take(U"}") || count == 0 : count != digits) || value > 0x10FFFF) {
      return std::nullopt;
    }
    return value;
  }

  // The character an escape stands for (after its backslash), if it stands for one.
  std::optional<char32_t> escaped_character() {
    const char32_t c = text_[pos_++];
    switch (c) {
      case 't': return U'\t';
      case 'n': return U'\n';
      case 'r': return U'\r';
      case 'f': return U'\f';
      case 'a': return char32_t{0x07};
      case 'e': return char32_t{0x1B};
      case 'u': return hex(4);
      case 'U': return hex(8);
      case 'x': return at('{') ? hex(0) : hex(2);
      default:
        // A backslash before anything but a letter or digit stands for that character.
        if (!is_ascii_alnum(c)) return c;
        return std::nullopt;
    }
  }

  // A class escape (\d, \s, \w, \p{...}) as the members of an ECMAScript set, or as a set of
  // its own outside one; nullopt if the backslash starts no class escape.
  std::optional<std::string> class_escape(bool inside_set, bool& is_class) {
    const char32_t c = text_[pos_];
    is_class = true;
    switch (c) {
      case 'd': ++pos_; return "\\p{Nd}";
      case 'D': ++pos_; return "\\P{Nd}";
      case 'p':
      case 'P': ++pos_; return property(c == 'P');
      case 's':
      case 'w':
        ++pos_;
        return inside_set ? std::string(c == 's' ? kSpaceMembers : kWordMembers)
                          : "[" + std::string(c == 's' ? kSpaceMembers : kWordMembers) + "]";
      case 'S':
      case 'W':
        ++pos_;
        if (inside_set) return std::nullopt;  // a negated set inside a set: no twin
        return "[^" + std::string(c == 'S' ? kSpaceMembers : kWordMembers) + "]";
      default: is_class = false; return std::nullopt;
    }
  }

  std::optional<Piece> escape() {
    const std::size_t start = pos_;
    ++pos_;  // backslash
    if (pos_ >= end_) return std::nullopt;
    bool is_class = false;
    auto members = class_escape(false, is_class);
    if (is_class) {
      if (!members) return std::nullopt;
      return Piece{Piece::Kind::set,
                   0,
                   *members,
                   utf8(std::u32string_view(text_).substr(start, pos_ - start)),
                   {},
                   1,
                   1,
                   {}};
    }
    auto c = escaped_character();
    if (!c) return std::nullopt;
    return Piece{Piece::Kind::literal, *c, {}, {}, {}, 1, 1, {}};
  }

  // One character of a set: a literal or a character escape.
  std::optional<char32_t> set_character() {
    const char32_t c = text_[pos_];
    // Set syntax of ICU's own: nested sets, [:posix:], && and -- between sets, variables.
    if (c == '[' || c == '$' || (c == '&' && pos_ + 1 < end_ && text_[pos_ + 1] == '&')) {
      return std::nullopt;
    }
    if (c != '\\') {
      ++pos_;
      return c;
    }
    ++pos_;
    if (pos_ >= end_) return std::nullopt;
    return escaped_character();
  }

  std::optional<Piece> set() {
    const std::size_t start = pos_;
    ++pos_;  // [
    std::string ecma = "[";
    if (take(U"^")) ecma += '^';
    for (bool first = true;; first = false) {
      if (pos_ >= end_) return std::nullopt;
      const char32_t c = text_[pos_];
      if (c == ']') {
        if (first) return std::nullopt;  // "[]": ICU and ECMAScript disagree
        ++pos_;
        break;
      }
      if (c == '-') {
        // A hyphen is itself only first or last; elsewhere it is a range or a set difference.
        if (!first && !(pos_ + 1 < end_ && text_[pos_ + 1] == ']')) return std::nullopt;
        ++pos_;
        ecma += "\\-";
        continue;
      }
      if (c == '\\' && pos_ + 1 < end_) {
        ++pos_;
        bool is_class = false;
        auto members = class_escape(true, is_class);
        if (is_class) {
          if (!members) return std::nullopt;
          ecma += *members;
          continue;
        }
        --pos_;
      }
      auto low = set_character();
      if (!low) return std::nullopt;
      ecma += ecma_literal(*low, kSetSyntax);
      if (at('-') && pos_ + 1 < end_ && text_[pos_ + 1] != ']') {
        ++pos_;
        if (at('\\') && pos_ + 1 < end_ &&
            std::u32string_view(U"dDsSwWpP").find(text_[pos_ + 1]) != std::u32string_view::npos) {
          return std::nullopt;  // a range to a class: an error in ICU
        }
        auto high = set_character();
        if (!high || *high < *low) return std::nullopt;
        ecma += "-" + ecma_literal(*high, kSetSyntax);
      }
    }
    ecma += ']';
    return Piece{Piece::Kind::set,
                 0,
                 ecma,
                 utf8(std::u32string_view(text_).substr(start, pos_ - start)),
                 {},
                 1,
                 1,
                 {}};
  }

  std::optional<std::int64_t> number() {
    std::int64_t value = 0;
    std::size_t count = 0;
    while (pos_ < end_ && text_[pos_] >= '0' && text_[pos_] <= '9' && count < 9) {
      value = value * 10 + (text_[pos_++] - '0');
      ++count;
    }
    if (count == 0) return std::nullopt;
    return value;
  }

  bool quantifier(Piece& piece) {
    if (pos_ >= end_) return true;
    const std::size_t start = pos_;
    const char32_t c = text_[pos_];
    if (c == '*' || c == '+' || c == '?') {
      ++pos_;
      piece.min = c == '+' ? 1 : 0;
      piece.max = c == '?' ? 1 : kUnbounded;
    } else if (c == '{') {
      ++pos_;
      auto low = number();
      if (!low) return false;
      piece.min = *low;
      piece.max = *low;
      if (take(U",")) {
        piece.max = kUnbounded;
        if (!at('}')) {
          auto high = number();
          if (!high || *high < *low) return false;
          piece.max = *high;
        }
      }
      if (!take(U"}")) return false;
    } else {
      return true;
    }
    if (at('+')) return false;  // possessive: no ECMAScript twin
    take(U"?");                 // lazy: the same texts match whole
    // ECMAScript refuses a repeated lookaround under the u flag.
    if (piece.kind == Piece::Kind::lookaround) return false;
    piece.quantifier = utf8(std::u32string_view(text_).substr(start, pos_ - start));
    return true;
  }

  std::u32string text_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
};

std::string emit(const Branches& branches) {
  std::string out;
  for (std::size_t b = 0; b < branches.size(); ++b) {
    if (b > 0) out += '|';
    for (const Piece& piece : branches[b]) {
      switch (piece.kind) {
        case Piece::Kind::literal: out += ecma_literal(piece.literal, kSyntax); break;
        case Piece::Kind::set: out += piece.ecma; break;
        case Piece::Kind::group:
        case Piece::Kind::lookaround: out += piece.ecma + emit(piece.branches) + ")"; break;
      }
      out += piece.quantifier;
    }
  }
  return out;
}

// Which of kSampleCharacters the set `icu_set` (as the pattern wrote it) holds.
std::u32string members(const std::string& icu_set) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error{};
  std::unique_ptr<icu::RegexPattern> compiled(
      icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(icu_set), 0, parse_error, status));
  std::u32string out;
  if (U_FAILURE(status)) return out;
  for (char32_t c : kSampleCharacters) {
    const icu::UnicodeString one(static_cast<UChar32>(c));
    std::unique_ptr<icu::RegexMatcher> matcher(compiled->matcher(one, status));
    if (U_SUCCESS(status) && matcher->matches(status) && U_SUCCESS(status)) out += c;
  }
  return out;
}

bool sample(const Branches& branches, std::size_t& next, std::string& out);

bool sample(const Piece& piece, std::size_t& next, std::string& out) {
  const bool one_character = piece.kind == Piece::Kind::literal || piece.kind == Piece::Kind::set;
  const std::int64_t wanted =
      one_character ? std::max(piece.min, kSampleRepeats) : std::max<std::int64_t>(piece.min, 1);
  const std::int64_t times = piece.max == kUnbounded ? wanted : std::min(wanted, piece.max);
  switch (piece.kind) {
    case Piece::Kind::literal:
      for (std::int64_t i = 0; i < times; ++i) append_utf8(out, piece.literal);
      return true;
    case Piece::Kind::set: {
      const std::u32string held = members(piece.icu);
      if (held.empty()) return false;
      for (std::int64_t i = 0; i < times; ++i) append_utf8(out, held[next++ % held.size()]);
      return true;
    }
    case Piece::Kind::group:
      for (std::int64_t i = 0; i < times; ++i) {
        if (!sample(piece.branches, next, out)) return false;
      }
      return true;
    case Piece::Kind::lookaround: return true;  // the caller checks the whole sample
  }
  return false;
}

bool sample(const Branches& branches, std::size_t& next, std::string& out) {
  for (const Piece& piece : branches.front()) {
    if (!sample(piece, next, out)) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> ecma_pattern(std::string_view icu_pattern) {
  auto branches = Parser(icu_pattern).parse();
  if (!branches) return std::nullopt;
  const std::string body = emit(*branches);
  return branches->size() == 1 ? "^" + body + "$" : "^(?:" + body + ")$";
}

std::optional<std::string> pattern_sample(std::string_view icu_pattern) {
  auto branches = Parser(icu_pattern).parse();
  if (!branches) return std::nullopt;
  std::string out;
  std::size_t next = 0;
  if (!sample(*branches, next, out)) return std::nullopt;
  return out;
}

}  // namespace pratu::applications
