#include "domains/applications/fee_rules.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domains/applications/form_loader.hpp"

namespace pratu::applications {
namespace {

using ::testing::HasSubstr;
namespace json = boost::json;

constexpr std::chrono::year_month_day kToday{std::chrono::year{2026}, std::chrono::month{12},
                                             std::chrono::day{5}};

// A licence by type and floor area, and signs taxed per started 500 cm² with a floor a sign.
constexpr std::string_view kForm = R"(title: {th: คำขอ, en: Application}
pages:
  - id: licence
    title: {th: ใบอนุญาต, en: Licence}
    fields:
      - id: licence_type
        type: choice
        label: {th: ประเภท, en: Type}
        required: true
        choices:
          - {code: type1, th: ประเภท 1, en: Type 1}
          - {code: type2, th: ประเภท 2, en: Type 2}
      - id: floor_area
        type: integer
        label: {th: พื้นที่, en: Area}
        min: 1
        max: 100000
      - id: signs
        type: group
        label: {th: ป้าย, en: Signs}
        item_label: {th: ป้าย, en: sign}
        max_items: 50
        fields:
          - id: sign_type
            type: choice
            label: {th: ประเภทป้าย, en: Sign type}
            required: true
            choices:
              - {code: thai, th: ไทย, en: Thai}
              - {code: mixed, th: ปน, en: Mixed}
          - id: width_cm
            type: integer
            label: {th: กว้าง, en: Width}
            required: true
            min: 1
            max: 100000
          - id: height_cm
            type: integer
            label: {th: ยาว, en: Length}
            required: true
            min: 1
            max: 100000
)";

platform::ServiceFee fee(std::string code, std::int64_t satang) {
  platform::ServiceFee f;
  f.code = std::move(code);
  f.label_th = "ค่า " + f.code;
  f.label_en = "Fee " + f.code;
  f.amount_satang = satang;
  return f;
}

platform::ServiceInfo service(std::vector<platform::ServiceFee> fees) {
  platform::ServiceInfo s;
  s.slug = "shop";
  s.agency = "bma";
  s.name_th = "ร้าน";
  s.name_en = "Shop";
  s.time_limit_working_days = 30;
  s.source_file = "services/bma/shop.yaml";
  s.fees = std::move(fees);
  return s;
}

Form form_of(const platform::ServiceInfo& s) {
  auto parsed = parse_form(kForm, "services/bma/shop/form.yaml", s);
  EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().detail);
  return std::move(*parsed);
}

// The fees of a sign-taxing, type-licensing service.
std::vector<platform::ServiceFee> shop_fees() {
  auto type1 = fee("type1", 1'100'000);
  type1.when = "${licence_type} = 'type1'";
  auto type2 = fee("type2", 110'000);
  type2.when = "${licence_type} = 'type2'";
  auto sign = fee("sign_thai", 1'000);
  sign.for_each = "signs";
  sign.when = "${item.sign_type} = 'thai'";
  sign.quantity_of = "${item.width_cm} * ${item.height_cm}";
  sign.quantity_per = 500;
  sign.unit_th = "500 ตร.ซม.";
  sign.unit_en = "500 cm²";
  sign.minimum_satang = 20'000;
  auto duty = fee("stamp", 3'000);
  duty.stamp_duty = true;
  return {type1, type2, sign, duty};
}

json::object answers(std::string_view text) { return json::parse(text).as_object(); }

TEST(FeeRulesTest, BillsOnlyTheFeesWhoseConditionHolds) {
  const auto s = service(shop_fees());
  const Form form = form_of(s);
  auto rules = FeeRules::compile(s, &form);
  ASSERT_TRUE(rules) << rules.error().detail;
  const std::vector<std::string> codes{"type1", "type2", "stamp"};
  auto lines = rules->lines(codes, answers(R"({"licence_type": "type2"})"), kToday);
  ASSERT_TRUE(lines) << lines.error().detail;
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ((*lines)[0].code, "type2");
  EXPECT_EQ((*lines)[0].amount_satang, 110'000);
  EXPECT_FALSE((*lines)[0].stamp_duty);
  EXPECT_EQ((*lines)[1].code, "stamp");
  EXPECT_TRUE((*lines)[1].stamp_duty);
  EXPECT_EQ(bill_total(*lines), 113'000);
}

TEST(FeeRulesTest, ChargesPerItemPerStartedUnitWithItsFloor) {
  const auto s = service(shop_fees());
  const Form form = form_of(s);
  auto rules = FeeRules::compile(s, &form);
  ASSERT_TRUE(rules) << rules.error().detail;
  const std::vector<std::string> codes{"sign_thai"};
  // 100 × 120 = 12,000 cm² is 24 units exactly; 101 × 100 = 10,100 cm² starts a 21st unit;
  // 10 × 10 = 100 cm² is one unit of 10 baht, raised to the 200 baht floor; the mixed sign is
  // not this fee's.
  auto lines = rules->lines(codes, answers(R"({"signs": [
      {"_key": "a", "sign_type": "thai", "width_cm": 100, "height_cm": 120},
      {"_key": "b", "sign_type": "mixed", "width_cm": 100, "height_cm": 120},
      {"_key": "c", "sign_type": "thai", "width_cm": 101, "height_cm": 100},
      {"_key": "d", "sign_type": "thai", "width_cm": 10, "height_cm": 10}]})"),
                            kToday);
  ASSERT_TRUE(lines) << lines.error().detail;
  ASSERT_EQ(lines->size(), 3u);
  EXPECT_EQ((*lines)[0].item, 1);
  EXPECT_EQ((*lines)[0].quantity, 24);
  EXPECT_EQ((*lines)[0].amount_satang, 24'000);
  EXPECT_EQ((*lines)[0].unit_en, "500 cm²");
  EXPECT_EQ((*lines)[1].item, 3);
  EXPECT_EQ((*lines)[1].quantity, 21);
  EXPECT_EQ((*lines)[1].amount_satang, 21'000);
  EXPECT_EQ((*lines)[2].item, 4);
  EXPECT_EQ((*lines)[2].quantity, 1);
  EXPECT_EQ((*lines)[2].amount_satang, 20'000);
  EXPECT_EQ(bill_total(*lines), 65'000);
}

TEST(FeeRulesTest, RefusesAnUnknownCodeAndABillPastTheLimit) {
  const auto s = service(shop_fees());
  const Form form = form_of(s);
  auto rules = FeeRules::compile(s, &form);
  ASSERT_TRUE(rules) << rules.error().detail;
  const std::vector<std::string> unknown{"licence"};
  auto missing = rules->lines(unknown, answers("{}"), kToday);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);

  // 50 signs of 100,000 × 100,000 cm² at 10 baht per 500 cm²: 1e13 satang, past the limit;
  // the product is checked before it is taken, so nothing overflows.
  json::array signs;
  for (int i = 0; i < 50; ++i) {
    signs.push_back(json::object{{"_key", std::to_string(i)},
                                 {"sign_type", "thai"},
                                 {"width_cm", 100000},
                                 {"height_cm", 100000}});
  }
  const std::vector<std::string> codes{"sign_thai"};
  auto huge = rules->lines(codes, json::object{{"signs", signs}}, kToday);
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code, ErrorCode::invalid_input);
}

TEST(FeeRulesTest, ChecksEveryExpressionAgainstTheFormAndNamesTheFee) {
  auto bad_when = fee("a", 100);
  bad_when.when = "${licence_type} = 'type9'";
  auto bad_group = fee("b", 100);
  bad_group.for_each = "floor_area";
  auto bad_quantity = fee("c", 100);
  bad_quantity.quantity_of = "${licence_type}";
  auto unknown_field = fee("d", 100);
  unknown_field.when = "${nothing} > 1";
  auto item_outside = fee("e", 100);
  item_outside.when = "${item.sign_type} = 'thai'";
  const auto s = service({bad_when, bad_group, bad_quantity, unknown_field, item_outside});
  const Form form = form_of(s);
  auto rules = FeeRules::compile(s, &form);
  ASSERT_FALSE(rules);
  const std::string& detail = rules.error().detail;
  EXPECT_THAT(detail, HasSubstr("services/bma/shop.yaml: fees[0].when: "));
  EXPECT_THAT(detail, HasSubstr("type9"));
  EXPECT_THAT(detail, HasSubstr("fees[1].for_each: 'floor_area' is not a repeating group"));
  EXPECT_THAT(detail, HasSubstr("fees[2].quantity.of: "));
  EXPECT_THAT(detail, HasSubstr("fees[3].when: "));
  EXPECT_THAT(detail, HasSubstr("fees[4].when: "));
}

TEST(FeeRulesTest, AServiceWithoutAFormTakesOnlyPlainFees) {
  auto plain = fee("copy", 3'000);
  EXPECT_TRUE(FeeRules::compile(service({plain}), nullptr));
  auto conditional = fee("type1", 100);
  conditional.when = "${licence_type} = 'type1'";
  auto rules = FeeRules::compile(service({plain, conditional}), nullptr);
  ASSERT_FALSE(rules);
  EXPECT_THAT(rules.error().detail,
              HasSubstr("fees[1].when: reads the answers, but the service has no form"));
}

}  // namespace
}  // namespace pratu::applications
