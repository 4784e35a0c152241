#include "domains/catalog/catalog.hpp"

#include <gtest/gtest.h>

namespace pratu::catalog {
namespace {

Service service_with(std::vector<Criterion> offered, std::int64_t fee_satang) {
  Service service;
  service.slug = "example";
  service.channels = {Channel::counter};
  for (Criterion criterion : offered) service.online.offered[criterion] = true;
  if (service.online.has(Criterion::e_form))
    service.channels.insert(service.channels.begin(), Channel::online);
  if (fee_satang >= 0) {
    Fee fee;
    fee.code = "fee";
    fee.label = {"ค่าธรรมเนียม", "Fee"};
    fee.amount_satang = fee_satang;
    service.fees.push_back(fee);
  }
  return service;
}

CriterionStatus status_of(const LevelAssessment& assessment, Criterion criterion) {
  for (const auto& item : assessment.items) {
    if (item.criterion == criterion) return item.status;
  }
  ADD_FAILURE() << "no item for " << criterion_key(criterion);
  return CriterionStatus::missing;
}

TEST(LevelAssessment, CounterOnlyServiceIsL0) {
  const auto assessment = assess_level(service_with({}, 5000));
  EXPECT_EQ(assessment.level, Level::l0);
  EXPECT_EQ(status_of(assessment, Criterion::e_form), CriterionStatus::missing);
  EXPECT_EQ(assessment.items.size(), kAllCriteria.size());
}

TEST(LevelAssessment, EFormAloneIsL1ForAPaidService) {
  const auto assessment = assess_level(service_with({Criterion::e_form}, 5000));
  EXPECT_EQ(assessment.level, Level::l1);
  EXPECT_EQ(status_of(assessment, Criterion::e_form), CriterionStatus::met);
  EXPECT_EQ(status_of(assessment, Criterion::prefill), CriterionStatus::optional_missing);
  EXPECT_EQ(status_of(assessment, Criterion::bill_payment), CriterionStatus::missing);
}

TEST(LevelAssessment, PaidServiceNeedsBothBillPaymentAndReceiptForL2) {
  EXPECT_EQ(assess_level(service_with({Criterion::e_form, Criterion::bill_payment}, 5000)).level,
            Level::l1);
  EXPECT_EQ(
      assess_level(
          service_with({Criterion::e_form, Criterion::bill_payment, Criterion::e_receipt}, 5000))
          .level,
      Level::l2);
}

TEST(LevelAssessment, ServiceWithoutFeesReachesL2OnTheEFormAlone) {
  for (std::int64_t fee : {std::int64_t{-1}, std::int64_t{0}}) {  // no fee lines, or a zero fee
    const auto assessment = assess_level(service_with({Criterion::e_form}, fee));
    EXPECT_EQ(assessment.level, Level::l2);
    EXPECT_EQ(status_of(assessment, Criterion::bill_payment), CriterionStatus::not_applicable);
    EXPECT_EQ(status_of(assessment, Criterion::e_receipt), CriterionStatus::not_applicable);
  }
}

TEST(LevelAssessment, L3NeedsELicenseCaSignatureAndPdfA3) {
  const std::vector<Criterion> l2 = {Criterion::e_form, Criterion::bill_payment,
                                     Criterion::e_receipt};
  auto almost = l2;
  almost.insert(almost.end(), {Criterion::e_license, Criterion::ca_signature});
  const auto without_pdf = assess_level(service_with(almost, 4000));
  EXPECT_EQ(without_pdf.level, Level::l2);
  EXPECT_EQ(status_of(without_pdf, Criterion::pdf_a3), CriterionStatus::missing);
  EXPECT_EQ(status_of(without_pdf, Criterion::e_license), CriterionStatus::met);

  almost.push_back(Criterion::pdf_a3);
  EXPECT_EQ(assess_level(service_with(almost, 4000)).level, Level::l3);
}

TEST(LevelAssessment, HigherCriteriaDoNotCountWithoutTheLowerLevels) {
  const auto assessment = assess_level(
      service_with({Criterion::e_license, Criterion::ca_signature, Criterion::pdf_a3}, 0));
  EXPECT_EQ(assessment.level, Level::l0);
  EXPECT_EQ(status_of(assessment, Criterion::pdf_a3), CriterionStatus::met);
}

TEST(LevelAssessment, NamesLevelsAndCriteriaForFilesAndPages) {
  EXPECT_EQ(level_code(Level::l3), "L3");
  EXPECT_EQ(level_key(Level::l0), "l0");
  EXPECT_EQ(criterion_key(Criterion::ca_signature), "ca_signature");
  EXPECT_EQ(criterion_level(Criterion::e_receipt), Level::l2);
}

}  // namespace
}  // namespace pratu::catalog
