#pragma once
/// The expression language of form conditions, cross-field rules and calculations
/// (forms.md §2): parsed and type-checked once when a form loads, evaluated on the server from
/// effective answers on every request.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace pratu::applications {

namespace detail {
struct Program;  // a parsed expression's tree, defined in expression.cpp
}  // namespace detail

/// The longest expression, in characters (code points).
inline constexpr std::size_t kMaxExpressionCharacters = 500;
/// The deepest nesting: parentheses, operators and calls inside one another.
inline constexpr int kMaxExpressionDepth = 16;
/// The most parts (literals, names, operators, calls) in one expression.
inline constexpr std::size_t kMaxExpressionNodes = 256;

/// The type of an answer as expressions see it.
enum class ValueType { boolean, integer, text, code, date, codes, items, record };

/// What a name resolves to at load.
struct Symbol {
  ValueType type = ValueType::text;
  std::vector<std::string> codes;                     // code and codes: the allowed codes
  std::map<std::string, Symbol, std::less<>> fields;  // items: one item's fields; record: its parts
};

/// Resolves a top-level field id to its symbol, or nullptr when no field of that id may be named
/// here (unknown, or on a later page: the caller decides). Ids are compared exactly.
using SymbolLookup = std::function<const Symbol*(std::string_view id)>;

/// What an expression reads when evaluated: effective answers only (a hidden field is absent).
struct Environment {
  /// The effective answer of a top-level field, or nullptr when absent (unanswered or not
  /// relevant).
  std::function<const boost::json::value*(std::string_view id)> answer;
  /// Inside a repeating group: the current item's answers (nullptr outside one).
  const boost::json::object* item = nullptr;
  /// Today's civil date in Asia/Bangkok (the caller computes it from its clock).
  std::chrono::year_month_day today{};
};

/// A compiled expression: immutable, cheap to copy, safe to evaluate from many threads.
class Expression {
 public:
  /// Parses and type-checks `source` (forms.md §2.1–2.3): the limits above, every ${id}
  /// resolved through `lookup`, ${item.x} through `item` (nullptr outside a repeat: then
  /// ${item.…} is an error), types, and a result of type `expected` (boolean, integer, text,
  /// code or date). The error's `detail` is one sentence naming the problem and its position
  /// in characters from 1, e.g. "at 19: 'maybe' is not a code of has_business (yes, no)".
  static Result<Expression> compile(std::string_view source, const SymbolLookup& lookup,
                                    const Symbol* item = nullptr,
                                    ValueType expected = ValueType::boolean);

  /// The top-level field ids it names (each once, in order of first appearance), for the
  /// caller's checks of forward references and cycles. ${item.x} names no top-level field.
  const std::vector<std::string>& references() const;
  /// Evaluates a boolean expression; an absent result counts as false (forms.md §2.2).
  bool holds(const Environment& env) const;
  /// Evaluates an integer expression (a calculation); nullopt when absent.
  std::optional<std::int64_t> integer(const Environment& env) const;
  /// Evaluates any expression to its result as an answer is stored (bool, int64, string,
  /// "YYYY-MM-DD"); nullopt when absent.
  std::optional<boost::json::value> value(const Environment& env) const;
  /// The text it was compiled from.
  const std::string& source() const;

 private:
  explicit Expression(std::shared_ptr<const detail::Program> program);
  std::shared_ptr<const detail::Program> program_;
};

}  // namespace pratu::applications
