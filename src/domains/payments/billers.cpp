#include "domains/payments/billers.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <vector>

#include "common/files.hpp"
#include "common/thai_id.hpp"

namespace pratu::payments {

namespace {

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string scalar(const YAML::Node& node) {
  return node.IsDefined() && node.IsScalar() ? node.Scalar() : std::string();
}

}  // namespace

Result<Billers> parse_billers(std::string_view yaml, const std::string& file) {
  std::vector<std::string> problems;
  Billers out;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return Error{ErrorCode::invalid_input,
                 "errors.invalid_input",
                 file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg,
                 {},
                 0};
  }
  const YAML::Node billers = root["billers"];
  if (!root.IsMap() || !billers.IsMap()) {
    problems.push_back(file + ": billers: is required: a map of agency codes to their accounts");
  } else {
    for (const auto& entry : billers) {
      const std::string agency = entry.first.Scalar();
      const YAML::Node node = entry.second;
      const std::string at = file + ": billers." + agency + ".";
      if (!node.IsMap()) {
        problems.push_back(at.substr(0, at.size() - 1) + ": must be a map");
        continue;
      }
      for (const auto& key : node) {
        const std::string name = key.first.Scalar();
        if (name != "tax_id" && name != "suffix" && name != "name" && name != "promptpay") {
          problems.push_back(at + name +
                             ": unknown key (expected one of: tax_id, suffix, name, promptpay)");
        }
      }
      Biller b;
      b.agency = agency;
      b.tax_id = scalar(node["tax_id"]);
      b.suffix = scalar(node["suffix"]);
      b.name_th = scalar(node["name"]["th"]);
      b.name_en = scalar(node["name"]["en"]);
      b.promptpay = scalar(node["promptpay"]);
      if (b.tax_id.size() != 13 || !all_digits(b.tax_id) || !is_valid_juristic_id(b.tax_id)) {
        problems.push_back(at +
                           "tax_id: must be the agency's 13-digit tax ID, with its check digit");
      }
      if (b.suffix.size() != 2 || !all_digits(b.suffix)) {
        problems.push_back(at + "suffix: must be two digits (\"00\" for the first account)");
      }
      if (b.name_th.empty() || b.name_en.empty()) {
        problems.push_back(at + "name: is required, with th and en");
      }
      if (!b.promptpay.empty() && (b.promptpay.size() != 13 || !all_digits(b.promptpay) ||
                                   !is_valid_juristic_id(b.promptpay))) {
        problems.push_back(at + "promptpay: must be a 13-digit tax ID, with its check digit");
      }
      out.emplace(agency, std::move(b));
    }
  }
  if (!problems.empty()) {
    std::string detail;
    for (const auto& p : problems) detail += p + "\n";
    detail.pop_back();
    return Error{ErrorCode::invalid_input, "errors.invalid_input", std::move(detail), {}, 0};
  }
  return out;
}

Result<Billers> load_billers(const std::filesystem::path& path) {
  auto text = read_file(path);
  if (!text) {
    return Error{ErrorCode::invalid_input,
                 "errors.invalid_input",
                 path.string() + ": cannot be read (payments.billers_file)",
                 {},
                 0};
  }
  return parse_billers(*text, path.string());
}

}  // namespace pratu::payments
