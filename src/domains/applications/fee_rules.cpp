#include "domains/applications/fee_rules.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "domains/applications/form_loader.hpp"

namespace pratu::applications {

namespace json = boost::json;

std::int64_t bill_total(std::span<const BillLine> lines) {
  std::int64_t total = 0;
  for (const BillLine& line : lines) total += line.amount_satang;
  return total;
}

Result<FeeRules> FeeRules::compile(const platform::ServiceInfo& service, const Form* form) {
  std::map<std::string, Symbol, std::less<>> symbols;
  if (form != nullptr) {
    for (const auto& [page, field] : form->fields()) symbols.emplace(field->id, symbol_of(*field));
  }
  const SymbolLookup lookup = [&symbols](std::string_view id) -> const Symbol* {
    auto it = symbols.find(id);
    return it == symbols.end() ? nullptr : &it->second;
  };

  std::vector<std::string> problems;
  FeeRules rules;
  for (std::size_t i = 0; i < service.fees.size(); ++i) {
    const platform::ServiceFee& fee = service.fees[i];
    const std::string at = service.source_file + ": fees[" + std::to_string(i) + "].";
    Rule rule{fee, std::nullopt, std::nullopt};
    const bool reads_answers =
        !fee.when.empty() || !fee.for_each.empty() || !fee.quantity_of.empty();
    if (reads_answers && form == nullptr) {
      problems.push_back(at +
                         (!fee.when.empty()       ? "when"
                          : !fee.for_each.empty() ? "for_each"
                                                  : "quantity.of") +
                         ": reads the answers, but the service has no form");
      continue;
    }
    const Symbol* item = nullptr;
    if (!fee.for_each.empty()) {
      const Symbol* group = lookup(fee.for_each);
      if (group == nullptr || group->type != ValueType::items) {
        problems.push_back(at + "for_each: '" + fee.for_each +
                           "' is not a repeating group of the service's form");
        continue;
      }
      item = group;
    }
    if (!fee.when.empty()) {
      auto compiled = Expression::compile(fee.when, lookup, item, ValueType::boolean);
      if (compiled) rule.when = std::move(*compiled);
      else problems.push_back(at + "when: " + compiled.error().detail);
    }
    if (!fee.quantity_of.empty()) {
      auto compiled = Expression::compile(fee.quantity_of, lookup, item, ValueType::integer);
      if (compiled) rule.quantity = std::move(*compiled);
      else problems.push_back(at + "quantity.of: " + compiled.error().detail);
    }
    rules.rules_.push_back(std::move(rule));
  }
  if (!problems.empty()) {
    std::string detail;
    for (const std::string& p : problems) detail += p + "\n";
    detail.pop_back();
    return Error{ErrorCode::invalid_input, "catalog.load.invalid", std::move(detail), {}, 0};
  }
  return rules;
}

Result<std::vector<BillLine>> FeeRules::lines(std::span<const std::string> codes,
                                              const json::object& answers,
                                              std::chrono::year_month_day today) const {
  for (const std::string& code : codes) {
    const bool known = std::any_of(rules_.begin(), rules_.end(),
                                   [&](const Rule& r) { return r.fee.code == code; });
    if (!known) return Error::not_found("fee '" + code + "' is not one of the service's");
  }
  Environment env;
  env.answer = [&answers](std::string_view id) -> const json::value* {
    return answers.if_contains(id);
  };
  env.today = today;

  std::vector<BillLine> out;
  std::int64_t total = 0;
  // One line of `rule`, in the environment as it stands (an item set or not).
  auto charge = [&](const Rule& rule, int item) -> Result<void> {
    if (rule.when && !rule.when->holds(env)) return {};
    const platform::ServiceFee& fee = rule.fee;
    std::int64_t quantity = 1;
    if (rule.quantity) {
      const std::optional<std::int64_t> of = rule.quantity->integer(env);
      if (!of || *of <= 0) return {};
      quantity = *of / fee.quantity_per + (*of % fee.quantity_per != 0 ? 1 : 0);
    }
    // Both factors are at most kMaxBillSatang (1e11) and 9.2e18 / 1e11 > 9e7: check before
    // multiplying, so an answer of a billion square centimetres cannot overflow.
    if (fee.amount_satang > 0 && quantity > kMaxBillSatang / fee.amount_satang) {
      return Error{ErrorCode::invalid_input,
                   "errors.invalid_input",
                   "fee '" + fee.code + "' comes to more than a bill may charge",
                   {},
                   0};
    }
    std::int64_t amount = std::max(fee.amount_satang * quantity, fee.minimum_satang);
    total += amount;
    if (total > kMaxBillSatang) {
      return Error{ErrorCode::invalid_input,
                   "errors.invalid_input",
                   "the bill comes to more than a bill may charge",
                   {},
                   0};
    }
    out.push_back(BillLine{fee.code, fee.label_th, fee.label_en, fee.amount_satang, quantity,
                           fee.unit_th, fee.unit_en, amount, fee.stamp_duty, item});
    return {};
  };

  for (const Rule& rule : rules_) {
    if (std::find(codes.begin(), codes.end(), rule.fee.code) == codes.end()) continue;
    if (rule.fee.for_each.empty()) {
      env.item = nullptr;
      PRATU_CHECK(charge(rule, 0));
      continue;
    }
    const json::value* items = answers.if_contains(rule.fee.for_each);
    if (items == nullptr || !items->is_array()) continue;
    int index = 0;
    for (const json::value& entry : items->as_array()) {
      ++index;
      if (!entry.is_object()) continue;
      env.item = &entry.as_object();
      PRATU_CHECK(charge(rule, index));
    }
    env.item = nullptr;
  }
  return out;
}

Result<std::map<std::string, FeeRules, std::less<>>> load_fee_rules(
    const platform::ServiceDirectory& directory,
    const std::map<std::string, Form, std::less<>>& forms) {
  std::map<std::string, FeeRules, std::less<>> out;
  std::string problems;
  for (const platform::ServiceInfo* service : directory.services()) {
    auto form = forms.find(service->slug);
    auto rules = FeeRules::compile(*service, form == forms.end() ? nullptr : &form->second);
    if (!rules) {
      problems += (problems.empty() ? "" : "\n") + rules.error().detail;
      continue;
    }
    out.emplace(service->slug, std::move(*rules));
  }
  if (!problems.empty()) {
    return Error{ErrorCode::invalid_input, "catalog.load.invalid", std::move(problems), {}, 0};
  }
  return out;
}

}  // namespace pratu::applications
