#include "domains/catalog/catalog.hpp"

#include <algorithm>

namespace pratu::catalog {

std::string_view channel_key(Channel channel) {
  switch (channel) {
    case Channel::online: return "online";
    case Channel::counter: return "counter";
    case Channel::post: return "post";
  }
  return "counter";
}

std::string_view criterion_key(Criterion criterion) {
  switch (criterion) {
    case Criterion::e_form: return "e_form";
    case Criterion::prefill: return "prefill";
    case Criterion::linked_documents: return "linked_documents";
    case Criterion::bill_payment: return "bill_payment";
    case Criterion::e_receipt: return "e_receipt";
    case Criterion::e_license: return "e_license";
    case Criterion::ca_signature: return "ca_signature";
    case Criterion::pdf_a3: return "pdf_a3";
  }
  return "e_form";
}

std::string_view level_code(Level level) {
  static constexpr std::array<std::string_view, 4> kCodes = {"L0", "L1", "L2", "L3"};
  return kCodes[static_cast<std::size_t>(level)];
}

std::string_view level_key(Level level) {
  static constexpr std::array<std::string_view, 4> kKeys = {"l0", "l1", "l2", "l3"};
  return kKeys[static_cast<std::size_t>(level)];
}

Level criterion_level(Criterion criterion) {
  switch (criterion) {
    case Criterion::e_form:
    case Criterion::prefill:
    case Criterion::linked_documents: return Level::l1;
    case Criterion::bill_payment:
    case Criterion::e_receipt: return Level::l2;
    case Criterion::e_license:
    case Criterion::ca_signature:
    case Criterion::pdf_a3: return Level::l3;
  }
  return Level::l3;
}

std::string_view criterion_status_key(CriterionStatus status) {
  switch (status) {
    case CriterionStatus::met: return "met";
    case CriterionStatus::missing: return "missing";
    case CriterionStatus::optional_missing: return "optional_missing";
    case CriterionStatus::not_applicable: return "not_applicable";
  }
  return "missing";
}

bool Service::has_channel(Channel channel) const {
  return std::find(channels.begin(), channels.end(), channel) != channels.end();
}

bool Service::charges_fees() const {
  return std::any_of(fees.begin(), fees.end(), [](const Fee& f) { return f.amount_satang > 0; });
}

namespace {

// Prefill and linked documents describe a better L1 but the e-Form alone is applying online.
bool is_optional(Criterion criterion) {
  return criterion == Criterion::prefill || criterion == Criterion::linked_documents;
}

// With nothing to pay there is no payment step left to do at a counter.
bool is_not_applicable(const Service& service, Criterion criterion) {
  return criterion_level(criterion) == Level::l2 && !service.charges_fees();
}

}  // namespace

LevelAssessment assess_level(const Service& service) {
  LevelAssessment assessment;
  std::array<bool, 4> level_complete = {true, true, true, true};
  for (Criterion criterion : kAllCriteria) {
    CriterionStatus status = CriterionStatus::met;
    if (is_not_applicable(service, criterion)) {
      status = CriterionStatus::not_applicable;
    } else if (!service.online.has(criterion)) {
      status =
          is_optional(criterion) ? CriterionStatus::optional_missing : CriterionStatus::missing;
    }
    if (status == CriterionStatus::missing) {
      level_complete[static_cast<std::size_t>(criterion_level(criterion))] = false;
    }
    assessment.items.push_back({criterion, status});
  }
  // Levels are cumulative: L2 needs L1, L3 needs L2.
  for (Level level : {Level::l1, Level::l2, Level::l3}) {
    if (!level_complete[static_cast<std::size_t>(level)]) break;
    assessment.level = level;
  }
  return assessment;
}

}  // namespace pratu::catalog
