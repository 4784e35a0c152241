// libFuzzer target: form expressions (forms.md §2) and their evaluation on answers of any shape.
// Input: the expression's source, then optionally a line break and a JSON object of answers.
#include <boost/json/parse.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "domains/applications/expression.hpp"

namespace {

using pratu::applications::Environment;
using pratu::applications::Expression;
using pratu::applications::Symbol;
using pratu::applications::ValueType;

using Fields = std::map<std::string, Symbol, std::less<>>;

// One field of every type, as a form would declare them.
const Fields& fields() {
  static const Fields all = [] {
    Fields out;
    out["b"] = Symbol{ValueType::boolean, {}, {}};
    out["n"] = Symbol{ValueType::integer, {}, {}};
    out["t"] = Symbol{ValueType::text, {}, {}};
    out["c"] = Symbol{ValueType::code, {"yes", "no", "01"}, {}};
    out["d"] = Symbol{ValueType::date, {}, {}};
    out["m"] = Symbol{ValueType::codes, {"th", "en", "none"}, {}};
    out["a"] = Symbol{
        ValueType::record,
        {},
        {{"p", Symbol{ValueType::code, {"10", "11"}, {}}}, {"h", Symbol{ValueType::text, {}, {}}}}};
    Fields item = out;
    item.erase("m");
    out["r"] = Symbol{ValueType::items, {}, std::move(item)};
    return out;
  }();
  return all;
}

const Symbol* lookup(std::string_view id) {
  const auto it = fields().find(id);
  return it == fields().end() ? nullptr : &it->second;
}

void evaluate(const Expression& expression, const Environment& env) {
  (void)expression.holds(env);
  (void)expression.integer(env);
  (void)expression.value(env);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t line_end = input.find('\n');
  const std::string_view source = input.substr(0, line_end);
  boost::json::object answers;
  if (line_end != std::string_view::npos) {
    boost::json::error_code ec;
    boost::json::value parsed = boost::json::parse(input.substr(line_end + 1), ec);
    if (!ec && parsed.is_object()) answers = std::move(parsed.as_object());
  }

  Environment env;
  env.answer = [&](std::string_view id) -> const boost::json::value* {
    const auto it = answers.find(id);
    return it == answers.end() ? nullptr : &it->value();
  };
  env.today = std::chrono::year_month_day{std::chrono::year{2024}, std::chrono::month{2},
                                          std::chrono::day{29}};
  const boost::json::object* first_item = nullptr;
  if (const auto* items = answers.if_contains("r"); items != nullptr && items->is_array()) {
    const auto& array = items->get_array();
    if (!array.empty()) first_item = array[0].if_object();
  }

  for (ValueType expected : {ValueType::boolean, ValueType::integer, ValueType::date}) {
    for (const Symbol* item : {static_cast<const Symbol*>(nullptr), &fields().at("r")}) {
      auto expression = Expression::compile(source, lookup, item, expected);
      if (!expression) {
        if (expression.error().detail.rfind("at ", 0) != 0) std::abort();
        continue;
      }
      if (expression->source() != source) std::abort();
      for (const std::string& id : expression->references()) {
        if (lookup(id) == nullptr) std::abort();
      }
      evaluate(*expression, env);
      Environment inside = env;
      inside.item = first_item != nullptr ? first_item : &answers;
      evaluate(*expression, inside);
      evaluate(*expression, Environment{});
    }
  }
  return 0;
}
