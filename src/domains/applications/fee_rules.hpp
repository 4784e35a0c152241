#pragma once
/// A service's fees, compiled against its form: what a bill charges an application
/// (docs/adr/0026). The catalogue gives each fee's amount and, as text, when it applies, what
/// it repeats over and how many units it charges; this checks each of those against the form
/// when the service loads, and works a bill's lines out from an application's answers.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "domains/applications/expression.hpp"
#include "domains/applications/form.hpp"
#include "platform/service_directory.hpp"

namespace boost::json {
class object;
}

namespace pratu::applications {

/// The most a bill's line or total may be: one billion baht, as the catalogue allows a fee.
inline constexpr std::int64_t kMaxBillSatang = 100'000'000'000;

/// One line of a bill, worked out from the answers.
struct BillLine {
  std::string code;  // the fee's code
  std::string label_th, label_en;
  std::int64_t unit_satang = 0;    // the fee's amount: for one unit when it is per unit
  std::int64_t quantity = 1;       // units charged
  std::string unit_th, unit_en;    // empty for a flat fee
  std::int64_t amount_satang = 0;  // unit × quantity, never below the fee's minimum
  bool stamp_duty = false;
  int item = 0;  // the group item it charges for, from 1; 0 for a fee charged once

  bool operator==(const BillLine&) const = default;
};

/// The sum of `lines`, in satang.
std::int64_t bill_total(std::span<const BillLine> lines);

/// The compiled fees of one service.
class FeeRules {
 public:
  /// Checks every fee of `service` against `form` (nullptr: the service has no form, and then
  /// no fee may depend on answers): `when` is a condition, `quantity.of` an integer, both over
  /// any field of the form; `for_each` a repeating group, whose items' fields the two may name
  /// as ${item.x}. An invalid_input error lists every problem, one a line, each naming the
  /// catalogue file and the fee: "services/bma/signboard-tax.yaml: fees[0].when: at 3: ...".
  static Result<FeeRules> compile(const platform::ServiceInfo& service, const Form* form);

  /// The lines a bill for `codes` charges given `answers` (an application's submitted answers,
  /// by field id) on `today`: each fee in the catalogue's order, once or once per item of its
  /// group, when its condition holds and it charges at least one unit. not_found names an
  /// unknown code; invalid_input a line or total past kMaxBillSatang.
  Result<std::vector<BillLine>> lines(std::span<const std::string> codes,
                                      const boost::json::object& answers,
                                      std::chrono::year_month_day today) const;

 private:
  struct Rule {
    platform::ServiceFee fee;
    std::optional<Expression> when;
    std::optional<Expression> quantity;
  };
  std::vector<Rule> rules_;
};

/// The compiled fees of every service `directory` holds, by slug, each checked against its
/// form in `forms` (if any). An invalid_input error lists every problem of every service.
Result<std::map<std::string, FeeRules, std::less<>>> load_fee_rules(
    const platform::ServiceDirectory& directory,
    const std::map<std::string, Form, std::less<>>& forms);

}  // namespace pratu::applications
