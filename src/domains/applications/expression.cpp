#include "domains/applications/expression.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <utility>
#include <variant>

#include "common/civil_date.hpp"
#include "common/unicode_text.hpp"

namespace pratu::applications {

namespace json = boost::json;
using std::chrono::year_month_day;

namespace {

// ---- Values ----------------------------------------------------------------------------------

// What a node gives when evaluated: monostate is "absent"; text and code are strings, codes and
// items arrays, a record an object. Arrays and objects point into the caller's answers.
using Value = std::variant<std::monostate, bool, std::int64_t, std::string, year_month_day,
                           const json::array*, const json::object*>;

bool is_absent(const Value& v) { return std::holds_alternative<std::monostate>(v); }

// An absent condition is false (forms.md §2.2).
bool is_true(const Value& v) {
  const bool* b = std::get_if<bool>(&v);
  return b != nullptr && *b;
}

// Text as expressions compare it: NFC without surrounding white space; nullopt when nothing is
// left (whitespace alone is unanswered) or the bytes are not UTF-8.
std::optional<std::string> comparable_text(std::string_view raw) {
  auto text = nfc_trimmed(raw);
  if (!text || text->empty()) return std::nullopt;
  return text;
}

// Whole years from `from` to `to`, counted as birthdays are: negative when `to` is earlier.
std::int64_t whole_years(year_month_day from, year_month_day to) {
  if (to < from) return -whole_years(to, from);
  std::int64_t years = static_cast<int>(to.year()) - static_cast<int>(from.year());
  if (std::pair{static_cast<unsigned>(to.month()), static_cast<unsigned>(to.day())} <
      std::pair{static_cast<unsigned>(from.month()), static_cast<unsigned>(from.day())}) {
    --years;
  }
  return years;
}

// ---- Tokens ----------------------------------------------------------------------------------

enum class Tok {
  end,
  integer,
  text,
  date,
  ref,
  word,
  open_paren,
  close_paren,
  open_bracket,
  close_bracket,
  comma,
  equal,
  not_equal,
  less,
  less_equal,
  greater,
  greater_equal,
  plus,
  minus,
  star,
};

struct Token {
  Tok kind = Tok::end;
  std::size_t offset = 0;  // in bytes from the start of the source
  std::size_t length = 0;
  std::int64_t number = 0;         // integer
  std::string text;                // text (NFC, trimmed) and word
  year_month_day date{};           // date
  std::vector<std::string> names;  // ref: ${a.b} is {"a", "b"}
};

// An error at byte `offset` of `source`, its position given in characters from 1.
Error load_error(std::string_view source, std::size_t offset, std::string what) {
  const std::size_t column = code_point_count(source.substr(0, offset)) + 1;
  return Error{ErrorCode::invalid_input,
               "applications.load.invalid",
               "at " + std::to_string(column) + ": " + std::move(what),
               {},
               0};
}

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The length of the well-formed UTF-8 sequence at `i` (RFC 3629: no overlong forms, surrogates
// or values above U+10FFFF), or 0.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char first = byte(i);
  if (first < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (first >= 0xC2 && first <= 0xDF) {
    length = 2;
  } else if (first >= 0xE0 && first <= 0xEF) {
    length = 3;
    if (first == 0xE0) low = 0xA0;
    if (first == 0xED) high = 0x9F;
  } else if (first >= 0xF0 && first <= 0xF4) {
    length = 4;
    if (first == 0xF0) low = 0x90;
    if (first == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (s.size() - i < length || byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return length;
}

// Checks the source is UTF-8 and within the length limit.
Result<void> check_characters(std::string_view source) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < source.size();) {
    const std::size_t length = utf8_length(source, i);
    if (length == 0) return load_error(source, i, "invalid UTF-8");
    if (++count > kMaxExpressionCharacters) {
      return load_error(source, i,
                        "longer than " + std::to_string(kMaxExpressionCharacters) + " characters");
    }
    i += length;
  }
  return ok();
}

class Lexer {
 public:
  explicit Lexer(std::string_view source) : source_(source) {}

  Result<std::vector<Token>> run() {
    std::vector<Token> tokens;
    while (true) {
      while (pos_ < source_.size() && is_space(source_[pos_])) ++pos_;
      PRATU_TRY(token, next());
      const bool done = token.kind == Tok::end;
      tokens.push_back(std::move(token));
      if (done) return tokens;
    }
  }

 private:
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

  Token make(Tok kind, std::size_t start) const {
    Token t;
    t.kind = kind;
    t.offset = start;
    t.length = pos_ - start;
    return t;
  }

  Error fail(std::size_t offset, std::string what) const {
    return load_error(source_, offset, std::move(what));
  }

  bool next_is(char c) const { return pos_ < source_.size() && source_[pos_] == c; }

  Result<Token> next() {
    const std::size_t start = pos_;
    if (pos_ >= source_.size()) return make(Tok::end, start);
    const char c = source_[pos_++];
    switch (c) {
      case '(': return make(Tok::open_paren, start);
      case ')': return make(Tok::close_paren, start);
      case '[': return make(Tok::open_bracket, start);
      case ']': return make(Tok::close_bracket, start);
      case ',': return make(Tok::comma, start);
      case '=': return make(Tok::equal, start);
      case '+': return make(Tok::plus, start);
      case '-': return make(Tok::minus, start);
      case '*': return make(Tok::star, start);
      case '<':
        if (next_is('=')) ++pos_;
        return make(pos_ - start == 2 ? Tok::less_equal : Tok::less, start);
      case '>':
        if (next_is('=')) ++pos_;
        return make(pos_ - start == 2 ? Tok::greater_equal : Tok::greater, start);
      case '!':
        if (!next_is('=')) return fail(start, "unexpected '!'; write != or not");
        ++pos_;
        return make(Tok::not_equal, start);
      case '\'': return text_literal(start);
      case '$': return ref(start);
      case '"': return fail(start, "text is written in single quotes, like 'yes'");
      default: break;
    }
    if (is_digit(c)) return integer(start);
    if (is_name_start(c)) return word(start);
    // The source is valid UTF-8: show the whole character.
    return fail(start, "unexpected character '" +
                           std::string(source_.substr(start, utf8_length(source_, start))) + "'");
  }

  Result<Token> integer(std::size_t start) {
    while (pos_ < source_.size() && is_digit(source_[pos_])) ++pos_;
    Token t = make(Tok::integer, start);
    const auto [end, ec] = std::from_chars(source_.data() + start, source_.data() + pos_, t.number);
    if (ec != std::errc{} || end != source_.data() + pos_) {
      return fail(start, std::string(source_.substr(start, pos_ - start)) +
                             " is too large for a whole number");
    }
    return t;
  }

  // The raw text between quotes; `pos_` is just after the opening quote.
  Result<std::string_view> quoted(std::size_t start) {
    const std::size_t close = source_.find('\'', pos_);
    if (close == std::string_view::npos) {
      return fail(start, "the text that starts here has no closing quote");
    }
    const std::string_view raw = source_.substr(pos_, close - pos_);
    pos_ = close + 1;
    return raw;
  }

  Result<Token> text_literal(std::size_t start) {
    PRATU_TRY(raw, quoted(start));
    auto text = comparable_text(raw);
    if (!text) {
      return fail(start, "empty text cannot be compared; test for an answer with answered()");
    }
    Token t = make(Tok::text, start);
    t.text = std::move(*text);
    return t;
  }

  Result<Token> ref(std::size_t start) {
    if (!next_is('{')) return fail(start, "expected '{' after '$', like ${age}");
    ++pos_;
    std::vector<std::string> names;
    while (true) {
      const std::size_t name_start = pos_;
      while (pos_ < source_.size() && is_name_char(source_[pos_])) ++pos_;
      if (pos_ == name_start || !is_name_start(source_[name_start])) {
        return fail(name_start, "expected a field id (letters, digits and _), like ${age}");
      }
      names.emplace_back(source_.substr(name_start, pos_ - name_start));
      if (next_is('.')) {
        ++pos_;
        continue;
      }
      if (next_is('}')) break;
      return fail(pos_, "expected '}' to close the '${' at " +
                            std::to_string(code_point_count(source_.substr(0, start)) + 1));
    }
    ++pos_;
    Token out = make(Tok::ref, start);
    out.names = std::move(names);
    return out;
  }

  Result<Token> word(std::size_t start) {
    while (pos_ < source_.size() && is_name_char(source_[pos_])) ++pos_;
    const std::string_view name = source_.substr(start, pos_ - start);
    if (name == "date" && next_is('\'')) {
      ++pos_;
      PRATU_TRY(raw, quoted(start));
      auto date = parse_iso_date(raw);
      if (!date) {
        return fail(start, "'" + std::string(raw) + "' is not a date; write date'2024-02-29'");
      }
      Token t = make(Tok::date, start);
      t.date = *date;
      return t;
    }
    Token t = make(Tok::word, start);
    t.text = std::string(name);
    return t;
  }

  std::string_view source_;
  std::size_t pos_ = 0;
};

}  // namespace

namespace detail {

// ---- The tree --------------------------------------------------------------------------------

enum class Op {
  boolean_literal,
  integer_literal,
  text_literal,
  date_literal,
  ref,
  logical_or,
  logical_and,
  logical_not,
  equal,
  not_equal,
  less,
  less_equal,
  greater,
  greater_equal,
  in_list,   // children: the value, then the literals
  add,       // children added, or subtracted where `subtract` says so
  multiply,  // children multiplied
  negate,
  answered,
  selected,  // children: the field, then the code literal
  count,
  sum,
  today,
  years_between,
  days_between,
  length,
};

// Where a ${…} reads its value.
struct Path {
  bool from_item = false;         // ${item.…}: starts at the current repeat item
  std::vector<std::string> head;  // the field, then record parts
  bool spread = false;            // head is a repeat; `tail` is read in each of its items
  std::vector<std::string> tail;
};

struct Node {
  Op op = Op::boolean_literal;
  ValueType type = ValueType::boolean;  // of its result; for a spread ref, of each item's value
  std::size_t offset = 0;               // where it starts in the source, in bytes
  int depth = 1;
  std::vector<std::size_t> children;
  std::vector<bool> subtract;      // add: per child
  bool flag = false;               // boolean literal
  std::int64_t number = 0;         // integer literal
  std::string text;                // text literal; for a ref, its name as written ("item.x")
  year_month_day date{};           // date literal
  Path path;                       // ref
  std::vector<std::string> codes;  // code and codes refs: the allowed codes
};

struct Program {
  std::string source;
  std::vector<Node> nodes;
  std::size_t root = 0;
  std::vector<std::string> references;
};

}  // namespace detail

namespace {

using detail::Node;
using detail::Op;
using detail::Program;

std::string describe(ValueType type) {
  switch (type) {
    case ValueType::boolean: return "true/false";
    case ValueType::integer: return "a whole number";
    case ValueType::text: return "text";
    case ValueType::code: return "a code";
    case ValueType::date: return "a date";
    case ValueType::codes: return "a multiple choice";
    case ValueType::items: return "a repeat";
    case ValueType::record: return "a record";
  }
  return "a value";
}

bool is_scalar(ValueType type) {
  return type != ValueType::codes && type != ValueType::items && type != ValueType::record;
}

// "(yes, no)": the first codes of a list, for messages.
std::string code_list(const std::vector<std::string>& codes) {
  constexpr std::size_t kShown = 10;
  std::string out = "(";
  for (std::size_t i = 0; i < codes.size() && i < kShown; ++i) {
    if (i > 0) out += ", ";
    out += codes[i];
  }
  if (codes.size() > kShown) out += ", … " + std::to_string(codes.size()) + " codes";
  return out + ")";
}

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// The functions, a closed list (forms.md §2.1).
enum class Param { field, repeat_field, value, code };

struct Function {
  std::string_view name;
  Op op;
  std::string_view usage;
  std::size_t arity;
  std::array<Param, 2> params;
};

constexpr std::array kFunctions = {
    Function{"answered", Op::answered, "answered(${field})", 1, {Param::field}},
    Function{
        "selected", Op::selected, "selected(${field}, 'code')", 2, {Param::field, Param::code}},
    Function{"count", Op::count, "count(${field})", 1, {Param::field}},
    Function{"sum", Op::sum, "sum(${repeat.field})", 1, {Param::repeat_field}},
    Function{"today", Op::today, "today()", 0, {}},
    Function{"years_between",
             Op::years_between,
             "years_between(date1, date2)",
             2,
             {Param::value, Param::value}},
    Function{"days_between",
             Op::days_between,
             "days_between(date1, date2)",
             2,
             {Param::value, Param::value}},
    Function{"length", Op::length, "length(${field})", 1, {Param::field}},
};

const Function* find_function(std::string_view name) {
  for (const Function& f : kFunctions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string function_names() {
  std::string out;
  for (const Function& f : kFunctions) out += (out.empty() ? "" : ", ") + std::string(f.name);
  return out;
}

bool is_keyword(std::string_view word) {
  return word == "and" || word == "or" || word == "not" || word == "in" || word == "true" ||
         word == "false";
}

std::string lower_ascii(std::string_view word) {
  std::string out(word);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// ---- The parser ------------------------------------------------------------------------------

class Parser {
 public:
  Parser(std::string_view source, std::vector<Token> tokens, const SymbolLookup& lookup,
         const Symbol* item)
      : source_(source), tokens_(std::move(tokens)), lookup_(lookup), item_(item) {}

  Result<Program> run(ValueType expected) {
    if (peek().kind == Tok::end) return fail(0, "the expression is empty");
    PRATU_TRY(root, parse_or());
    if (peek().kind != Tok::end) {
      if (is_relop(peek().kind)) {
        return fail(peek().offset, "unexpected " + quote(peek()) + "; join comparisons with and");
      }
      std::string what = "unexpected " + quote(peek());
      if (peek().kind == Tok::word && !is_keyword(peek().text) &&
          is_keyword(lower_ascii(peek().text))) {
        what += "; write " + lower_ascii(peek().text) + " in lower case";
      }
      return fail(peek().offset, std::move(what));
    }
    const Node& top = program_.nodes[root];
    if (top.type != expected) {
      return fail(top.offset, "the expression gives " + describe(top.type) + ", but " +
                                  describe(expected) + " is needed here");
    }
    program_.root = root;
    program_.source = std::string(source_);
    return std::move(program_);
  }

 private:
  // ---- Tokens and errors ----

  const Token& peek() const { return tokens_[pos_]; }
  const Token& take() {
    const Token& t = tokens_[pos_];
    if (t.kind != Tok::end) ++pos_;
    return t;
  }
  bool accept(Tok kind) {
    if (peek().kind != kind) return false;
    take();
    return true;
  }
  bool at_word(std::string_view word) const {
    return peek().kind == Tok::word && peek().text == word;
  }

  static bool is_relop(Tok kind) {
    return kind == Tok::equal || kind == Tok::not_equal || kind == Tok::less ||
           kind == Tok::less_equal || kind == Tok::greater || kind == Tok::greater_equal;
  }

  std::string quote(const Token& t) const {
    if (t.kind == Tok::end) return "end";
    return "'" + std::string(source_.substr(t.offset, t.length)) + "'";
  }

  Error fail(std::size_t offset, std::string what) const {
    return load_error(source_, offset, std::move(what));
  }

  Result<void> expect(Tok kind, std::string_view what) {
    if (accept(kind)) return ok();
    return fail(peek().offset, "expected " + std::string(what) + ", found " + quote(peek()));
  }

  // Parentheses, not, minus and calls nest the parser: bounded, so is its recursion.
  Result<void> enter(std::size_t offset) {
    if (++nesting_ > kMaxExpressionDepth) return too_deep(offset);
    return ok();
  }
  void leave() { --nesting_; }
  Error too_deep(std::size_t offset) const {
    return fail(offset, "nested more than " + std::to_string(kMaxExpressionDepth) + " deep");
  }

  Result<std::size_t> add(Node n) {
    for (std::size_t child : n.children) {
      n.depth = std::max(n.depth, program_.nodes[child].depth + 1);
    }
    if (n.depth > kMaxExpressionDepth) return too_deep(n.offset);
    if (program_.nodes.size() >= kMaxExpressionNodes) {
      return fail(n.offset,
                  "more than " + std::to_string(kMaxExpressionNodes) + " parts in one expression");
    }
    program_.nodes.push_back(std::move(n));
    return program_.nodes.size() - 1;
  }

  const Node& node(std::size_t i) const { return program_.nodes[i]; }

  // ---- Type checks ----

  // A value that can be compared or computed with: not a list or a record.
  Result<void> check_scalar(std::size_t i) const {
    const Node& n = node(i);
    switch (n.type) {
      case ValueType::codes:
        return fail(n.offset, n.text + " is a multiple choice: use selected(${" + n.text +
                                  "}, 'code') or count(${" + n.text + "})");
      case ValueType::items:
        return fail(n.offset, n.text + " is a repeat: use count(${" + n.text + "}) or sum(${" +
                                  n.text + ".field})");
      case ValueType::record:
        return fail(n.offset,
                    n.text + " is a record: name one of its parts, like ${" + n.text + ".part}");
      default: return ok();
    }
  }

  Result<void> check_code_literal(std::size_t literal, std::size_t field) const {
    const Node& lit = node(literal);
    const Node& f = node(field);
    if (contains(f.codes, lit.text)) return ok();
    return fail(lit.offset,
                "'" + lit.text + "' is not a code of " + f.text + " " + code_list(f.codes));
  }

  // `a` and `b` can be tested for equality; `at` is the operator's offset.
  Result<void> check_equatable(std::size_t a, std::size_t b, std::size_t at) const {
    PRATU_CHECK(check_scalar(a));
    PRATU_CHECK(check_scalar(b));
    const Node& x = node(a);
    const Node& y = node(b);
    if (x.type == ValueType::code && y.op == Op::text_literal) return check_code_literal(b, a);
    if (y.type == ValueType::code && x.op == Op::text_literal) return check_code_literal(a, b);
    if (x.type == y.type) return ok();
    return mismatch(x, y, at);
  }

  Error mismatch(const Node& x, const Node& y, std::size_t at) const {
    std::string what = "cannot compare " + describe(x.type) + " with " + describe(y.type);
    const Node& literal = x.op == Op::text_literal ? x : y;
    const Node& other = x.op == Op::text_literal ? y : x;
    if (literal.op == Op::text_literal) {
      switch (other.type) {
        case ValueType::integer: what += "; write a whole number without quotes"; break;
        case ValueType::date: what += "; write a date as date'2024-02-29'"; break;
        case ValueType::boolean: what += "; write true or false without quotes"; break;
        default: break;
      }
    }
    return fail(at, std::move(what));
  }

  Result<void> check_ordered(std::size_t a, std::size_t b, const Token& op) const {
    PRATU_CHECK(check_scalar(a));
    PRATU_CHECK(check_scalar(b));
    const Node& x = node(a);
    const Node& y = node(b);
    if (x.type != y.type) return mismatch(x, y, op.offset);
    if (x.type != ValueType::integer && x.type != ValueType::date) {
      return fail(op.offset,
                  quote(op) + " compares whole numbers or dates, not " + describe(x.type));
    }
    return ok();
  }

  Result<void> check_type(std::size_t i, ValueType type, std::string_view where) const {
    PRATU_CHECK(check_scalar(i));
    const Node& n = node(i);
    if (n.type == type) return ok();
    return fail(n.offset,
                std::string(where) + " needs " + describe(type) + ", not " + describe(n.type));
  }

  // ---- Grammar (forms.md §2.1) ----

  Result<std::size_t> parse_or() {
    return parse_logical("or", Op::logical_or, [this] { return parse_and(); });
  }
  Result<std::size_t> parse_and() {
    return parse_logical("and", Op::logical_and, [this] { return parse_not(); });
  }

  template <class Operand>
  Result<std::size_t> parse_logical(std::string_view word, Op op, Operand operand) {
    const std::size_t start = peek().offset;
    PRATU_TRY(first, operand());
    if (!at_word(word)) return first;
    Node n;
    n.op = op;
    n.offset = start;
    n.children.push_back(first);
    while (at_word(word)) {
      take();
      PRATU_TRY(next, operand());
      n.children.push_back(next);
    }
    for (std::size_t child : n.children) {
      PRATU_CHECK(check_type(child, ValueType::boolean, "'" + std::string(word) + "'"));
    }
    n.type = ValueType::boolean;
    return add(std::move(n));
  }

  Result<std::size_t> parse_not() {
    if (!at_word("not")) return parse_comparison();
    const std::size_t start = take().offset;
    PRATU_CHECK(enter(start));
    PRATU_TRY(operand, parse_not());
    leave();
    PRATU_CHECK(check_type(operand, ValueType::boolean, "'not'"));
    Node n;
    n.op = Op::logical_not;
    n.type = ValueType::boolean;
    n.offset = start;
    n.children = {operand};
    return add(std::move(n));
  }

  Result<std::size_t> parse_comparison() {
    const std::size_t start = peek().offset;
    PRATU_TRY(left, parse_sum());
    if (at_word("in")) {
      take();
      return parse_in(left, start);
    }
    if (!is_relop(peek().kind)) return left;
    const Token& op = take();
    PRATU_TRY(right, parse_sum());
    Node n;
    n.type = ValueType::boolean;
    n.offset = start;
    n.children = {left, right};
    switch (op.kind) {
      case Tok::equal: n.op = Op::equal; break;
      case Tok::not_equal: n.op = Op::not_equal; break;
      case Tok::less: n.op = Op::less; break;
      case Tok::less_equal: n.op = Op::less_equal; break;
      case Tok::greater: n.op = Op::greater; break;
      default: n.op = Op::greater_equal; break;
    }
    if (n.op == Op::equal || n.op == Op::not_equal) {
      PRATU_CHECK(check_equatable(left, right, op.offset));
    } else {
      PRATU_CHECK(check_ordered(left, right, op));
    }
    return add(std::move(n));
  }

  Result<std::size_t> parse_in(std::size_t left, std::size_t start) {
    PRATU_CHECK(check_scalar(left));
    PRATU_CHECK(expect(Tok::open_bracket, "'[' after in"));
    Node n;
    n.op = Op::in_list;
    n.type = ValueType::boolean;
    n.offset = start;
    n.children.push_back(left);
    do {
      const std::size_t at = peek().offset;
      PRATU_TRY(literal, parse_literal());
      PRATU_CHECK(check_equatable(left, literal, at));
      n.children.push_back(literal);
    } while (accept(Tok::comma));
    PRATU_CHECK(expect(Tok::close_bracket, "',' or ']'"));
    return add(std::move(n));
  }

  // One literal of an `in` list: a whole number (which may be negative), text, date, true or
  // false.
  Result<std::size_t> parse_literal() {
    const Token& t = peek();
    const bool negative = t.kind == Tok::minus;
    if (negative) take();
    const Token& lit = peek();
    if (lit.kind == Tok::integer || (!negative && (lit.kind == Tok::text || lit.kind == Tok::date ||
                                                   at_word("true") || at_word("false")))) {
      PRATU_TRY(index, parse_atom());
      if (negative) program_.nodes[index].number = -program_.nodes[index].number;
      program_.nodes[index].offset = t.offset;
      return index;
    }
    return fail(lit.offset, "expected a number, 'text', a date, true or false in the list, found " +
                                quote(lit));
  }

  Result<std::size_t> parse_sum() {
    const std::size_t start = peek().offset;
    PRATU_TRY(first, parse_product());
    if (peek().kind != Tok::plus && peek().kind != Tok::minus) return first;
    Node n;
    n.op = Op::add;
    n.type = ValueType::integer;
    n.offset = start;
    n.children.push_back(first);
    n.subtract.push_back(false);
    while (peek().kind == Tok::plus || peek().kind == Tok::minus) {
      const Token& op = take();
      PRATU_TRY(next, parse_product());
      n.children.push_back(next);
      n.subtract.push_back(op.kind == Tok::minus);
    }
    for (std::size_t i = 0; i < n.children.size(); ++i) {
      // The first operand is named by the operator after it, the others by the one before.
      const bool minus = n.subtract[i == 0 ? 1 : i];
      PRATU_CHECK(check_arithmetic(n.children[i], minus ? "'-'" : "'+'"));
    }
    return add(std::move(n));
  }

  Result<void> check_arithmetic(std::size_t i, std::string_view op) const {
    const Node& n = node(i);
    if (n.type == ValueType::date) {
      return fail(n.offset, std::string(op) +
                                " needs whole numbers, not a date; use days_between() or "
                                "years_between()");
    }
    return check_type(i, ValueType::integer, op);
  }

  Result<std::size_t> parse_product() {
    const std::size_t start = peek().offset;
    PRATU_TRY(first, parse_unary());
    if (peek().kind != Tok::star) return first;
    Node n;
    n.op = Op::multiply;
    n.type = ValueType::integer;
    n.offset = start;
    n.children.push_back(first);
    while (accept(Tok::star)) {
      PRATU_TRY(next, parse_unary());
      n.children.push_back(next);
    }
    for (std::size_t child : n.children) PRATU_CHECK(check_arithmetic(child, "'*'"));
    return add(std::move(n));
  }

  Result<std::size_t> parse_unary() {
    if (peek().kind != Tok::minus) return parse_atom();
    const std::size_t start = take().offset;
    PRATU_CHECK(enter(start));
    PRATU_TRY(operand, parse_unary());
    leave();
    PRATU_CHECK(check_arithmetic(operand, "'-'"));
    Node n;
    n.op = Op::negate;
    n.type = ValueType::integer;
    n.offset = start;
    n.children = {operand};
    return add(std::move(n));
  }

  Result<std::size_t> parse_atom() {
    const Token& t = peek();
    Node n;
    n.offset = t.offset;
    switch (t.kind) {
      case Tok::integer:
        take();
        n.op = Op::integer_literal;
        n.type = ValueType::integer;
        n.number = t.number;
        return add(std::move(n));
      case Tok::text:
        take();
        n.op = Op::text_literal;
        n.type = ValueType::text;
        n.text = t.text;
        return add(std::move(n));
      case Tok::date:
        take();
        n.op = Op::date_literal;
        n.type = ValueType::date;
        n.date = t.date;
        return add(std::move(n));
      case Tok::ref: take(); return parse_ref(t, /*allow_spread=*/false);
      case Tok::open_paren: {
        take();
        PRATU_CHECK(enter(t.offset));
        PRATU_TRY(inner, parse_or());
        leave();
        if (!accept(Tok::close_paren)) {
          return fail(peek().offset, "expected ')' to close the '(' at " + column(t.offset) +
                                         ", found " + quote(peek()));
        }
        return inner;
      }
      case Tok::word: return parse_word();
      case Tok::end: return fail(t.offset, "the expression ends where a value is expected");
      default: return fail(t.offset, "expected a value, found " + quote(t));
    }
  }

  std::string column(std::size_t offset) const {
    return std::to_string(code_point_count(source_.substr(0, offset)) + 1);
  }

  Result<std::size_t> parse_word() {
    const Token& t = take();
    Node n;
    n.offset = t.offset;
    if (t.text == "true" || t.text == "false") {
      n.op = Op::boolean_literal;
      n.type = ValueType::boolean;
      n.flag = t.text == "true";
      return add(std::move(n));
    }
    if (peek().kind == Tok::open_paren) {
      if (const Function* f = find_function(t.text)) return parse_call(t, *f);
      return fail(t.offset, "'" + t.text + "' is not a function (" + function_names() + ")");
    }
    if (is_keyword(t.text)) return fail(t.offset, "expected a value, found '" + t.text + "'");
    if (is_keyword(lower_ascii(t.text))) {
      return fail(t.offset,
                  "unknown word '" + t.text + "'; write " + lower_ascii(t.text) + " in lower case");
    }
    if (find_function(t.text)) {
      return fail(t.offset, "'" + t.text + "' is a function: write " + t.text + "(…)");
    }
    return fail(t.offset, "unknown word '" + t.text + "'; a field is written ${" + t.text + "}");
  }

  Result<std::size_t> parse_call(const Token& name, const Function& f) {
    const std::size_t open = take().offset;
    PRATU_CHECK(enter(open));
    Node n;
    n.op = f.op;
    n.offset = name.offset;
    auto wrong_use = [&] {
      return fail(peek().offset, "expected " + std::string(f.usage) + ", found " + quote(peek()));
    };
    for (std::size_t i = 0; i < f.arity; ++i) {
      if (i > 0 && !accept(Tok::comma)) return wrong_use();
      const Token& arg = peek();
      switch (f.params[i]) {
        case Param::field:
        case Param::repeat_field: {
          if (arg.kind != Tok::ref) return wrong_use();
          take();
          PRATU_TRY(field, parse_ref(arg, f.params[i] == Param::repeat_field));
          n.children.push_back(field);
          break;
        }
        case Param::code: {
          if (arg.kind != Tok::text) return wrong_use();
          PRATU_TRY(code, parse_atom());
          n.children.push_back(code);
          break;
        }
        case Param::value: {
          PRATU_TRY(value, parse_or());
          n.children.push_back(value);
          break;
        }
      }
    }
    if (!accept(Tok::close_paren)) return wrong_use();
    leave();
    PRATU_CHECK(check_call(n, f));
    return add(std::move(n));
  }

  // Sets the call's type, or says why its arguments do not fit.
  Result<void> check_call(Node& n, const Function& f) const {
    const std::string where = std::string(f.name) + "()";
    auto needs = [&](std::size_t child, std::string_view what) {
      const Node& arg = node(child);
      return fail(arg.offset, where + " needs " + std::string(what) + ", but " + arg.text + " is " +
                                  describe(arg.type));
    };
    switch (f.op) {
      case Op::answered: n.type = ValueType::boolean; return ok();
      case Op::selected: {
        const ValueType t = node(n.children[0]).type;
        if (t != ValueType::codes && t != ValueType::code) {
          return needs(n.children[0], "a choice");
        }
        n.type = ValueType::boolean;
        return check_code_literal(n.children[1], n.children[0]);
      }
      case Op::count: {
        const ValueType t = node(n.children[0]).type;
        if (t != ValueType::codes && t != ValueType::items) {
          return needs(n.children[0], "a multiple choice or a repeat");
        }
        n.type = ValueType::integer;
        return ok();
      }
      case Op::sum: {
        const Node& arg = node(n.children[0]);
        if (!arg.path.spread) {
          return fail(arg.offset, where + " adds up one field of a repeat's items, like " +
                                      "sum(${members.share})");
        }
        if (arg.type != ValueType::integer) return needs(n.children[0], "whole numbers");
        n.type = ValueType::integer;
        return ok();
      }
      case Op::today: n.type = ValueType::date; return ok();
      case Op::years_between:
      case Op::days_between:
        for (std::size_t child : n.children) {
          PRATU_CHECK(check_type(child, ValueType::date, where));
        }
        n.type = ValueType::integer;
        return ok();
      case Op::length: {
        const ValueType t = node(n.children[0]).type;
        if (t != ValueType::text && t != ValueType::code) return needs(n.children[0], "text");
        n.type = ValueType::integer;
        return ok();
      }
      default: return ok();
    }
  }

  // ${a.b.c}: a top-level field (or item.x), then record parts; with `allow_spread` (sum's
  // argument) also the field of a repeat's items.
  Result<std::size_t> parse_ref(const Token& t, bool allow_spread) {
    Node n;
    n.op = Op::ref;
    n.offset = t.offset;
    const Symbol* symbol = nullptr;
    std::size_t next = 1;
    if (t.names[0] == "item") {
      if (item_ == nullptr) {
        return fail(t.offset,
                    "${item.…} names a field of the current repeat item, but this "
                    "expression is not inside a repeat");
      }
      if (t.names.size() == 1) {
        return fail(t.offset, "name a field of the repeat item, like ${item.x}");
      }
      const auto it = item_->fields.find(t.names[1]);
      if (it == item_->fields.end()) {
        return fail(t.offset, "the repeat item has no field '" + t.names[1] + "'");
      }
      symbol = &it->second;
      n.path.from_item = true;
      n.path.head = {t.names[1]};
      n.text = "item." + t.names[1];
      next = 2;
    } else {
      symbol = lookup_ ? lookup_(t.names[0]) : nullptr;
      if (symbol == nullptr) {
        return fail(t.offset, "no field '" + t.names[0] +
                                  "' can be named here (it is unknown, or on a later page)");
      }
      if (!contains(program_.references, t.names[0])) program_.references.push_back(t.names[0]);
      n.path.head = {t.names[0]};
      n.text = t.names[0];
    }
    for (; next < t.names.size(); ++next) {
      const std::string& part = t.names[next];
      if (symbol->type == ValueType::record) {
        const auto it = symbol->fields.find(part);
        if (it == symbol->fields.end()) {
          return fail(t.offset, n.text + " has no part '" + part + "'");
        }
        symbol = &it->second;
        (n.path.spread ? n.path.tail : n.path.head).push_back(part);
      } else if (symbol->type == ValueType::items) {
        if (!allow_spread) {
          return fail(t.offset, n.text + " is a repeat: only count() and sum() reach into it, " +
                                    "like sum(${" + n.text + "." + part + "})");
        }
        if (n.path.spread) return fail(t.offset, "sum() reaches into one repeat only");
        const auto it = symbol->fields.find(part);
        if (it == symbol->fields.end()) {
          return fail(t.offset, "an item of " + n.text + " has no field '" + part + "'");
        }
        symbol = &it->second;
        n.path.spread = true;
        n.path.tail.push_back(part);
      } else {
        return fail(t.offset, n.text + " is " + describe(symbol->type) + " and has no parts");
      }
      n.text += "." + part;
    }
    n.type = symbol->type;
    if (n.type == ValueType::code || n.type == ValueType::codes) n.codes = symbol->codes;
    return add(std::move(n));
  }

  std::string_view source_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  const SymbolLookup& lookup_;
  const Symbol* item_;
  int nesting_ = 0;
  Program program_;
};

// ---- Evaluation ------------------------------------------------------------------------------

const json::value* member(const json::value* value, std::string_view name) {
  if (value == nullptr) return nullptr;
  const json::object* object = value->if_object();
  if (object == nullptr) return nullptr;
  const auto it = object->find(name);
  return it == object->end() ? nullptr : &it->value();
}

// A repeat's answer: an array of objects, or nullptr when it is absent or of another shape.
const json::array* as_items(const json::value* value) {
  const json::array* items = value == nullptr ? nullptr : value->if_array();
  if (items == nullptr) return nullptr;
  for (const json::value& item : *items) {
    if (!item.is_object()) return nullptr;
  }
  return items;
}

// A multiple choice's answer: distinct codes of its list, or nullptr.
const json::array* as_codes(const json::value* value, const std::vector<std::string>& codes) {
  const json::array* chosen = value == nullptr ? nullptr : value->if_array();
  if (chosen == nullptr || chosen->size() > codes.size()) return nullptr;
  std::vector<bool> seen(codes.size());
  for (const json::value& v : *chosen) {
    const json::string* s = v.if_string();
    if (s == nullptr) return nullptr;
    const auto it = std::find(codes.begin(), codes.end(), std::string_view(*s));
    if (it == codes.end()) return nullptr;
    const auto index = static_cast<std::size_t>(it - codes.begin());
    if (seen[index]) return nullptr;
    seen[index] = true;
  }
  return chosen;
}

// An answer read as the type the form gives it; a value of any other shape is absent.
Value typed(const json::value* value, const Node& n) {
  if (value == nullptr) return {};
  switch (n.type) {
    case ValueType::boolean:
      if (const bool* b = value->if_bool()) return *b;
      return {};
    case ValueType::integer:
      if (const std::int64_t* i = value->if_int64()) return *i;
      if (const std::uint64_t* u = value->if_uint64()) {
        if (*u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
          return static_cast<std::int64_t>(*u);
        }
      }
      return {};
    case ValueType::text:
      if (const json::string* s = value->if_string()) {
        if (auto text = comparable_text(*s)) return std::move(*text);
      }
      return {};
    case ValueType::code:
      if (const json::string* s = value->if_string()) {
        if (contains(n.codes, *s)) return std::string(*s);
      }
      return {};
    case ValueType::date:
      if (const json::string* s = value->if_string()) {
        if (auto date = parse_iso_date(*s)) return *date;
      }
      return {};
    case ValueType::codes:
      if (const json::array* codes = as_codes(value, n.codes)) return codes;
      return {};
    case ValueType::items:
      if (const json::array* items = as_items(value)) return items;
      return {};
    case ValueType::record:
      if (const json::object* record = value->if_object()) return record;
      return {};
  }
  return {};
}

class Evaluator {
 public:
  Evaluator(const Program& program, const Environment& env) : program_(program), env_(env) {}

  // Recursion is bounded by kMaxExpressionDepth, checked at load.
  Value eval(std::size_t index) const {
    const Node& n = program_.nodes[index];
    switch (n.op) {
      case Op::boolean_literal: return n.flag;
      case Op::integer_literal: return n.number;
      case Op::text_literal: return n.text;
      case Op::date_literal: return n.date;
      case Op::ref: return typed(locate(n.path.head, n.path.from_item), n);
      case Op::logical_or:
        for (std::size_t child : n.children) {
          if (is_true(eval(child))) return true;
        }
        return false;
      case Op::logical_and:
        for (std::size_t child : n.children) {
          if (!is_true(eval(child))) return false;
        }
        return true;
      case Op::logical_not: return !is_true(eval(n.children[0]));
      case Op::equal:
      case Op::not_equal: {
        const Value a = eval(n.children[0]);
        const Value b = eval(n.children[1]);
        // With an absent side `=` is false and `!=` true (forms.md §2.2).
        const bool equal = !is_absent(a) && !is_absent(b) && a == b;
        return n.op == Op::equal ? equal : !equal;
      }
      case Op::less:
      case Op::less_equal:
      case Op::greater:
      case Op::greater_equal: return compare(n);
      case Op::in_list: {
        const Value value = eval(n.children[0]);
        if (is_absent(value)) return false;
        for (std::size_t i = 1; i < n.children.size(); ++i) {
          if (value == eval(n.children[i])) return true;
        }
        return false;
      }
      case Op::add: return add(n);
      case Op::multiply: return multiply(n);
      case Op::negate: {
        const auto value = integer(eval(n.children[0]));
        if (!value || *value == std::numeric_limits<std::int64_t>::min()) return {};
        return -*value;
      }
      case Op::answered: return !is_absent(eval(n.children[0]));
      case Op::selected: return selected(n);
      case Op::count: {
        const Value value = eval(n.children[0]);
        if (const auto* list = std::get_if<const json::array*>(&value)) {
          return static_cast<std::int64_t>((*list)->size());
        }
        return std::int64_t{0};  // an absent answer has nothing to count
      }
      case Op::sum: return sum(program_.nodes[n.children[0]]);
      case Op::today:
        if (env_.today.ok()) return env_.today;
        return {};
      case Op::years_between:
      case Op::days_between: {
        const Value a = eval(n.children[0]);
        const Value b = eval(n.children[1]);
        const auto* from = std::get_if<year_month_day>(&a);
        const auto* to = std::get_if<year_month_day>(&b);
        if (from == nullptr || to == nullptr) return {};
        if (n.op == Op::years_between) return whole_years(*from, *to);
        return static_cast<std::int64_t>(
            (std::chrono::sys_days(*to) - std::chrono::sys_days(*from)).count());
      }
      case Op::length: {
        const Value value = eval(n.children[0]);
        if (const auto* text = std::get_if<std::string>(&value)) {
          return static_cast<std::int64_t>(code_point_count(*text));
        }
        return {};
      }
    }
    return {};
  }

 private:
  static std::optional<std::int64_t> integer(const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    return std::nullopt;
  }

  const json::value* locate(const std::vector<std::string>& head, bool from_item) const {
    const json::value* value = nullptr;
    if (from_item) {
      if (env_.item == nullptr) return nullptr;
      const auto it = env_.item->find(head[0]);
      if (it == env_.item->end()) return nullptr;
      value = &it->value();
    } else {
      if (!env_.answer) return nullptr;
      value = env_.answer(head[0]);
    }
    for (std::size_t i = 1; i < head.size() && value != nullptr; ++i) {
      value = member(value, head[i]);
    }
    return value;
  }

  // Ordering with an absent side is absent (forms.md §2.2).
  Value compare(const Node& n) const {
    const Value a = eval(n.children[0]);
    const Value b = eval(n.children[1]);
    if (is_absent(a) || is_absent(b) || a.index() != b.index()) return {};
    const bool less = a < b;
    const bool greater = b < a;
    switch (n.op) {
      case Op::less: return less;
      case Op::less_equal: return !greater;
      case Op::greater: return greater;
      default: return !less;
    }
  }

  // Overflow is absent, never undefined behaviour.
  Value add(const Node& n) const {
    std::int64_t total = 0;
    for (std::size_t i = 0; i < n.children.size(); ++i) {
      const auto value = integer(eval(n.children[i]));
      if (!value) return {};
      const bool overflow = n.subtract[i] ? __builtin_sub_overflow(total, *value, &total)
                                          : __builtin_add_overflow(total, *value, &total);
      if (overflow) return {};
    }
    return total;
  }

  Value multiply(const Node& n) const {
    std::int64_t product = 1;
    for (std::size_t child : n.children) {
      const auto value = integer(eval(child));
      if (!value || __builtin_mul_overflow(product, *value, &product)) return {};
    }
    return product;
  }

  Value selected(const Node& n) const {
    const Value value = eval(n.children[0]);
    const std::string& code = program_.nodes[n.children[1]].text;
    if (const auto* chosen = std::get_if<std::string>(&value)) return *chosen == code;
    if (const auto* list = std::get_if<const json::array*>(&value)) {
      for (const json::value& v : **list) {
        if (const json::string* s = v.if_string(); s != nullptr && *s == code) return true;
      }
    }
    return false;
  }

  // sum(${repeat.field}): absent values are skipped; an absent repeat sums to 0.
  Value sum(const Node& ref) const {
    const json::array* items = as_items(locate(ref.path.head, ref.path.from_item));
    std::int64_t total = 0;
    if (items == nullptr) return total;
    for (const json::value& item : *items) {
      const json::value* value = &item;
      for (const std::string& name : ref.path.tail) value = member(value, name);
      const auto number = integer(typed(value, ref));
      if (number && __builtin_add_overflow(total, *number, &total)) return {};
    }
    return total;
  }

  const Program& program_;
  const Environment& env_;
};

}  // namespace

// ---- Expression ------------------------------------------------------------------------------

Expression::Expression(std::shared_ptr<const detail::Program> program)
    : program_(std::move(program)) {}

Result<Expression> Expression::compile(std::string_view source, const SymbolLookup& lookup,
                                       const Symbol* item, ValueType expected) {
  if (!is_scalar(expected)) {
    return load_error(source, 0, "an expression cannot give " + describe(expected));
  }
  PRATU_CHECK(check_characters(source));
  PRATU_TRY(tokens, Lexer(source).run());
  PRATU_TRY(program, Parser(source, std::move(tokens), lookup, item).run(expected));
  return Expression(std::make_shared<const detail::Program>(std::move(program)));
}

const std::vector<std::string>& Expression::references() const { return program_->references; }

const std::string& Expression::source() const { return program_->source; }

bool Expression::holds(const Environment& env) const {
  return is_true(Evaluator(*program_, env).eval(program_->root));
}

std::optional<std::int64_t> Expression::integer(const Environment& env) const {
  const Value result = Evaluator(*program_, env).eval(program_->root);
  if (const auto* i = std::get_if<std::int64_t>(&result)) return *i;
  return std::nullopt;
}

std::optional<json::value> Expression::value(const Environment& env) const {
  const Value result = Evaluator(*program_, env).eval(program_->root);
  if (const auto* b = std::get_if<bool>(&result)) return json::value(*b);
  if (const auto* i = std::get_if<std::int64_t>(&result)) return json::value(*i);
  if (const auto* s = std::get_if<std::string>(&result)) return json::value(*s);
  if (const auto* d = std::get_if<year_month_day>(&result)) return json::value(iso_date(*d));
  return std::nullopt;
}

}  // namespace pratu::applications
