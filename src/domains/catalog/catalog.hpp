#pragma once
/// The service catalogue: agencies and the services they offer, as loaded from services/*.yaml.
/// Plain types, no I/O. The e-Service level (L0–L3) is computed from what a service offers.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "web/context.hpp"

namespace pratu::catalog {

/// A text in both languages; both are required in the catalogue files.
struct LocalizedText {
  std::string th;
  std::string en;

  /// The text in `locale`.
  const std::string& in(web::Locale locale) const { return locale == web::Locale::en ? en : th; }
  bool operator==(const LocalizedText&) const = default;
};

/// A government agency (or a kind of local administration) that offers services.
struct Agency {
  std::string code;  // lower-case ASCII, e.g. "dbd"; the file is services/agencies/<code>.yaml
  LocalizedText name;
  LocalizedText short_name;
  LocalizedText description;
  std::string website;
  std::string phone;
  std::string email;
  LocalizedText address;
};

/// A document the applicant brings or attaches.
struct RequiredDocument {
  std::string key;  // how a form names it ("house_registration"); empty when none does
  LocalizedText name;
  LocalizedText note;    // empty when there is nothing to add
  int originals = 0;     // original copies
  int copies = 0;        // photocopies
  bool required = true;  // false: only when it applies ("if any")
};

/// How many units a per-unit fee charges for: `of`, an integer expression over the answers,
/// in started units of `per` (a sign of 1,200 cm² at 500 cm² a unit is 3 units).
struct FeeQuantity {
  std::string of;  // in the forms' expression language, e.g. "${item.width_cm} * ${item.height_cm}"
  std::int64_t per = 1;
  LocalizedText unit;  // the unit charged, e.g. "500 ตารางเซนติเมตร" / "500 cm²"
};

/// One fee; amounts are kept in satang (1 baht = 100 satang) so they are exact. What a bill
/// needs beyond the label and amount (docs/adr/0026) is checked against the service's form by
/// the applications module, which works the bill's lines out from the answers.
struct Fee {
  std::string code;  // how a workflow's bill names it: lower-case letters, digits, underscores
  LocalizedText label;
  std::int64_t amount_satang = 0;  // a unit's amount when `quantity` is set
  LocalizedText note;              // e.g. "per 500 cm²"; empty when there is nothing to add
  std::string when;                // a condition on the answers; empty: always billed
  std::string for_each;            // a repeating group: billed once per item; empty: once
  std::optional<FeeQuantity> quantity;
  std::int64_t minimum_satang = 0;  // the line is never less (0: no floor)
  bool stamp_duty = false;          // paid to the Revenue Department, its own line on a bill
};

/// Where an application can be made.
enum class Channel { online, counter, post };
inline constexpr std::array<Channel, 3> kAllChannels = {Channel::online, Channel::counter,
                                                        Channel::post};
/// "online" | "counter" | "post".
std::string_view channel_key(Channel channel);

/// What a service offers online: the criteria of the e-Service levels (MISSION.md).
enum class Criterion {
  e_form,            // L1: apply with an e-Form on the website
  prefill,           // L1: basic data prefilled from the population or business registry
  linked_documents,  // L1: supporting documents linked from other systems
  bill_payment,      // L2: a bill for payment issued by the system, paid online
  e_receipt,         // L2: an electronic receipt
  e_license,         // L3: the licence or document issued electronically
  ca_signature,      // L3: signed with a certificate from a Certificate Authority
  pdf_a3,            // L3: verifiable PDF/A-3 documents
};
inline constexpr std::array<Criterion, 8> kAllCriteria = {
    Criterion::e_form,       Criterion::prefill,   Criterion::linked_documents,
    Criterion::bill_payment, Criterion::e_receipt, Criterion::e_license,
    Criterion::ca_signature, Criterion::pdf_a3};
/// The key used in YAML, JSON and locale files, e.g. "bill_payment".
std::string_view criterion_key(Criterion criterion);

/// e-Service maturity, computed by `compute_level`.
enum class Level { l0 = 0, l1 = 1, l2 = 2, l3 = 3 };
/// "L0" .. "L3".
std::string_view level_code(Level level);
/// "l0" .. "l3" (locale keys and CSS modifiers).
std::string_view level_key(Level level);

/// The level a criterion belongs to.
Level criterion_level(Criterion criterion);

/// How a service stands on one criterion.
enum class CriterionStatus {
  met,
  missing,           // needed for its level and not offered
  optional_missing,  // counted in its level's description but not required to reach it
  not_applicable,    // e.g. online payment for a service without fees
};
/// "met" | "missing" | "optional_missing" | "not_applicable".
std::string_view criterion_status_key(CriterionStatus status);

/// The online features a service file declares, one flag per criterion.
struct OnlineFeatures {
  std::map<Criterion, bool> offered;
  /// Whether `criterion` is offered.
  bool has(Criterion criterion) const {
    auto it = offered.find(criterion);
    return it != offered.end() && it->second;
  }
};

/// Where a service stands, computed from its features and fees.
struct LevelAssessment {
  Level level = Level::l0;
  struct Item {
    Criterion criterion;
    CriterionStatus status;
  };
  std::vector<Item> items;  // one per criterion, in kAllCriteria order
};

/// Subject areas for browsing; names live in the locale files (catalog.categories.<key>).
inline constexpr std::array<std::string_view, 7> kCategories = {
    "business",        "food_health",        "construction", "tax",
    "alcohol_tobacco", "civil_registration", "transport"};

/// One service as described in services/<agency>/<slug>.yaml.
struct Service {
  std::string slug;  // URL-safe: lower-case letters, digits and single hyphens
  std::string agency_code;
  LocalizedText name;
  LocalizedText summary;
  std::vector<LocalizedText> who_may_apply;
  std::vector<RequiredDocument> documents;
  std::vector<Fee> fees;
  int time_limit_working_days = 0;
  std::vector<LocalizedText> legal_basis;
  std::vector<Channel> channels;  // in kAllChannels order
  OnlineFeatures online;
  std::string category;  // one of kCategories
  std::vector<std::string> tags_th;
  std::vector<std::string> tags_en;
  std::int64_t popularity = 0;  // applications a year, for "most used"
  std::string source_file;      // "services/dbd/commercial-registration.yaml"

  /// Whether the service is offered through `channel`.
  bool has_channel(Channel channel) const;
  /// Whether any fee is more than zero.
  bool charges_fees() const;
};

/// Computes the e-Service level and the status of each criterion (rules in docs/catalogue.md).
LevelAssessment assess_level(const Service& service);

/// The whole catalogue, agencies and services sorted by code and slug.
struct Catalog {
  std::vector<Agency> agencies;
  std::vector<Service> services;
};

}  // namespace pratu::catalog
